import path from 'node:path';
import { Lexer, type Token } from 'marked';
import { loadModel } from '../../src/model/resolve';
import { renderDocument } from '../../src/render';
import { PlainFirstLexer } from '../../src/pdf/normalise';
import { prng, SEED } from '../helpers/random';

/**
 * The layout's Markdown lexer (normalise.ts) reads plain inline text without marked's inline
 * tokenizers (issue 15). The oracle is marked itself: for every input, the token tree (and the
 * link definitions) must be exactly what marked's own lexer makes, including the inputs where
 * one character or sequence makes the difference (an address, a URL, a hard line break).
 */

const ROOT = path.join(__dirname, '..', '..');

/** Both lexers' output for `md`, as JSON (every field of every token, and the links). */
function both(md: string): { ours: string; marked: string } {
  const a = new PlainFirstLexer({ gfm: true }).lex(md);
  const b = new Lexer({ gfm: true }).lex(md);
  return {
    ours: JSON.stringify({ tokens: a, links: a.links }),
    marked: JSON.stringify({ tokens: b, links: b.links }),
  };
}

/** The lexer, counting every inline run it is asked for (marked's nested ones too). */
class Counting extends PlainFirstLexer {
  runs = 0;
  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    this.runs++;
    return super.inlineTokens(src, tokens);
  }
}

/** How many inline runs took the plain path while lexing `md`, and how many marked's. */
function runsOf(md: string): { plain: number; marked: number } {
  const lexer = new Counting({ gfm: true });
  const spy = jest.spyOn(Lexer.prototype, 'inlineTokens');
  try {
    lexer.lex(md);
    const marked = spy.mock.calls.length;
    return { plain: lexer.runs - marked, marked };
  } finally {
    spy.mockRestore();
  }
}

test("the example statement's Markdown lexes as marked lexes it, most of its runs plain", () => {
  for (const file of ['example-cloud.yaml', 'example-customer.yaml']) {
    const { model } = loadModel(path.join(ROOT, 'answers', file));
    const md = renderDocument(model, { template: 'statement' });
    const { ours, marked } = both(md);
    expect(ours).toBe(marked);
    expect(runsOf(md).plain).toBeGreaterThan(50);
  }
});

/** Pieces of inline and block syntax, and the plain text between them. */
const PIECES = [
  'word',
  'Service',
  'data',
  ' ',
  ' ',
  ' ',
  '  ',
  '\n',
  '\n',
  '\n\n',
  '  \n',
  '\t',
  ',',
  '.',
  ':',
  ';',
  '(',
  ')',
  "'",
  '"',
  'é',
  '—',
  '1. ',
  '- ',
  '# ',
  '> ',
  '| a | b |\n|---|---|\n',
  '*',
  '**',
  '_',
  '__',
  '`',
  '~',
  '~~',
  '\\',
  '!',
  '[',
  ']',
  '[a](https://x.example/)',
  '[r]',
  '[r]: https://r.example/\n',
  '<b>',
  '<code>',
  '</code>',
  '<pre>',
  '&amp;',
  '&#39;',
  '&',
  '@',
  'a@b.example',
  'www.example.org',
  'WWW.Example.org',
  'http://x.y',
  'HTTPS://x.y',
  'ftp://f.g',
  'mailto:a@b.example',
  'xmpp:c@d.example',
  '://',
  'http',
  'www',
  '<https://auto.example>',
];

test('random Markdown lexes as marked lexes it (seeded)', () => {
  const rand = prng(SEED);
  let plain = 0;
  for (let n = 0; n < 1500; n++) {
    const parts: string[] = [];
    const length = 1 + Math.floor(rand() * 40);
    for (let i = 0; i < length; i++) {
      // Mostly plain words, so that many runs have no syntax at all and some have one piece.
      const k = rand() < 0.6 ? Math.floor(rand() * 12) : Math.floor(rand() * PIECES.length);
      parts.push(PIECES[k]);
    }
    const md = parts.join('');
    const { ours, marked } = both(md);
    if (ours !== marked)
      throw new Error(`differs from marked (seed ${SEED}, case ${n}): ${JSON.stringify(md)}`);
    if (n < 300) plain += runsOf(md).plain;
  }
  // The plain path was taken, not only marked's.
  expect(plain).toBeGreaterThan(100);
});

test('a leading bold label and the text after it lex as marked lexes them (seeded)', () => {
  const rand = prng(SEED + 1);
  const pick = (chars: string) => chars[Math.floor(rand() * chars.length)];
  // Labels and what follows them, with the characters that decide whether ** opens or closes.
  const LABEL = 'abcXYZ09 .:?!,;()-—é’"\'/#\n*_';
  const AFTER = ' \n.:,;?)(abZ9-—é’"\'*_/#[<&@';
  let fast = 0;
  for (let n = 0; n < 4000; n++) {
    let label = '';
    const length = Math.floor(rand() * 10);
    for (let i = 0; i < length; i++) label += rand() < 0.7 ? pick('abcXYZ09 ') : pick(LABEL);
    let rest = '';
    if (rand() < 0.9) {
      rest = pick(AFTER);
      const words = Math.floor(rand() * 6);
      for (let i = 0; i < words; i++) {
        const r = rand();
        // Now and then a piece of real syntax after the label (emphasis, a link, an address…).
        rest +=
          r < 0.7 ? ' word' : r < 0.9 ? pick(AFTER) : PIECES[Math.floor(rand() * PIECES.length)];
      }
    }
    const md = `**${label}**${rest}`;
    const { ours, marked } = both(md);
    if (ours !== marked)
      throw new Error(`differs from marked (seed ${SEED + 1}, case ${n}): ${JSON.stringify(md)}`);
    if (n < 800 && runsOf(md).marked === 0) fast++;
  }
  // The label path was taken, not only marked's.
  expect(fast).toBeGreaterThan(100);
});

test('emphasis and strong spans among plain text lex as marked lexes them (seeded)', () => {
  const rand = prng(SEED + 2);
  const pick = (chars: string | string[]) => chars[Math.floor(rand() * chars.length)];
  // What is inside a span, and what is around one: the characters that decide whether its stars
  // open or close (white space, punctuation, other stars and underscores, other syntax).
  const INNER = 'abcXYZ09 .:?!,;()-—é’"\'/#\n*_`[<&@';
  const AROUND = ' \n.:,;?!)(abZ9-—é’"\'*_/#[<&@`\t';
  const span = () => {
    const stars = rand() < 0.5 ? '*' : rand() < 0.8 ? '**' : pick(['***', '_', '__']);
    let inner = '';
    const length = Math.floor(rand() * 12);
    for (let i = 0; i < length; i++) inner += rand() < 0.85 ? pick('abcXYZ09 ') : pick(INNER);
    const close = rand() < 0.9 ? stars : pick(['*', '**', '***']);
    // Mostly where a span can open (after a space), now and then inside a word.
    return `${rand() < 0.7 ? ' ' : ''}${stars}${inner}${close}`;
  };
  let fast = 0;
  for (let n = 0; n < 6000; n++) {
    let md = '';
    const parts = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < parts; i++) {
      const r = rand();
      md +=
        r < 0.35
          ? span()
          : r < 0.75
            ? ' word'
            : r < 0.95
              ? pick(rand() < 0.8 ? AROUND.slice(0, 18) : AROUND)
              : PIECES[Math.floor(rand() * PIECES.length)];
    }
    const { ours, marked } = both(md);
    if (ours !== marked)
      throw new Error(`differs from marked (seed ${SEED + 2}, case ${n}): ${JSON.stringify(md)}`);
    if (n < 1500 && /\*/.test(md) && runsOf(md).marked === 0) fast++;
  }
  // The span path was taken, not only marked's.
  expect(fast).toBeGreaterThan(150);
});

test.each([
  ["the statement's labels", '*Requirement:* That data is kept apart.'],
  ['two spans', '*Assurance:* Independent validation. *Evidence:* ISO 27001.'],
  ['a span and a bracket', '*Basic* (Customer): Keep your keys.'],
  ['a bold label', '**Your responsibilities**'],
])("text with %s lexes as marked lexes it, without marked's inline tokenizers", (_what, md) => {
  const { ours, marked } = both(md);
  expect(ours).toBe(marked);
  const runs = runsOf(md);
  expect(runs.marked).toBe(0);
  expect(runs.plain).toBeGreaterThan(1);
});

test.each([
  ['an address', 'write to help@example.org today'],
  ['a URL', 'see https://example.org for more'],
  ['www', 'see www.example.org for more'],
  ['a hard line break', 'one line  \nand the next'],
  ['an entity', 'Smith &amp; Sons'],
  ['a numeric reference', 'it&#39;s'],
  ['emphasis inside a word', 'a*strong*claim'],
  ['a link in emphasis', 'a *[strong](https://x.example/)* claim'],
  ['an underscore span', 'a _strong_ claim'],
  ['an escaped closing star', 'a *b \\* c'],
  ['a code span over a closing star', 'a *b `c* d` e'],
  ['a link over a closing star', 'a *b [c*](https://x.example/) d'],
  ['an autolink over a closing star', 'a *see <https://x.example/*> now'],
  ['code', 'run `srq build`'],
])('text with %s is left to marked, and lexes as marked lexes it', (_what, md) => {
  const { ours, marked } = both(md);
  expect(ours).toBe(marked);
  // The run holding it goes to marked (emphasis's own text, lexed again inside it, may not).
  expect(runsOf(md).marked).toBeGreaterThan(0);
  if (!/[*_`]/.test(md)) expect(runsOf(md).plain).toBe(0);
});
