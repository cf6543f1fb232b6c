import fc from 'fast-check';
import { parse } from 'yaml';

/**
 * fast-check generators for the fuzz tests (fuzz.test.ts, test/interop/fuzz.interop.ts): answers
 * files with hostile text, and the oracle of which words each must show.
 *
 * Markdown is generated together with its visible words (a small model of what the layout prints),
 * so the check is exact: text a Markdown construct hides by design (a link's address, a fence's
 * info string, an HTML comment, a reference definition) is never expected; all other text is.
 * Free punctuation between words is drawn from characters that cannot form such constructs.
 */

/** Markdown and the words it must show (whitespace-free; punctuation of the Markdown aside). */
export interface Md {
  md: string;
  words: string[];
}

const cat = (...parts: Md[]): Md => ({
  md: parts.map((p) => p.md).join(''),
  words: parts.flatMap((p) => p.words),
});
const lit = (md: string): Md => ({ md, words: [] });

// ---------------------------------------------------------------------------------------------
// Characters and words

const range = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => c);
const fromString = (s: string) => fc.constantFrom(...Array.from(s));

/** One "letter" of a word: a code point or a short sequence that belongs together. */
const letter: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fromString('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') },
  { weight: 3, arbitrary: fromString('0123456789') },
  { weight: 3, arbitrary: fromString('éèêëàâäçñøåæœßÉÀÇÑÅØłđħĳǆŉ') },
  // Combining marks, one to three on a base letter (Zalgo-lite).
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fromString('aeiouxzAEZ'),
        fc.array(range(0x300, 0x36f), { minLength: 1, maxLength: 3 }),
      )
      .map(([b, ms]) => b + String.fromCodePoint(...ms)),
  },
  { weight: 2, arbitrary: fromString('αβγδεζηθικλμνξοπρστυφχψωΩΣΔ') },
  { weight: 2, arbitrary: fromString('абвгдежзийклмнопрстуфхцчшщъыьэюяЖЯ') },
  // Right-to-left: Hebrew (with points) and Arabic (with harakat).
  { weight: 3, arbitrary: fromString('אבגדהוזחטיכלמנסעפצקרשתךםןףץ') },
  { weight: 1, arbitrary: range(0x5b0, 0x5bc).map((c) => `ש${String.fromCodePoint(c)}`) },
  { weight: 3, arbitrary: fromString('ابتثجحخدذرزسشصضطظعغفقكلمنهوي') },
  { weight: 1, arbitrary: range(0x64b, 0x652).map((c) => `ب${String.fromCodePoint(c)}`) },
  // Scripts DejaVu lacks: CJK, Hangul, Devanagari (reported as not in the fonts).
  { weight: 1, arbitrary: range(0x4e00, 0x9fff).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: range(0xac00, 0xd7a3).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: range(0x915, 0x939).map((c) => String.fromCodePoint(c)) },
  // Emoji: plain, with skin tone, ZWJ sequences, flags, variation selectors.
  {
    weight: 2,
    arbitrary: fc.constantFrom('😀', '🎉', '👍🏽', '👩‍💻', '👨‍👩‍👧', '🇬🇧', '🏳️‍🌈', '❤️', '☃', '⚠️', '✓', '☺'),
  },
  // Astral letters (mathematical alphanumerics, Deseret, CJK extension B).
  { weight: 1, arbitrary: range(0x1d400, 0x1d6a3).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: range(0x10400, 0x1044f).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: range(0x20000, 0x2a6df).map((c) => String.fromCodePoint(c)) },
  // Ligature-prone, compatibility and odd-but-printable characters.
  { weight: 1, arbitrary: fc.constantFrom('ﬁ', 'ﬀ', 'Ǆ', '½', '①', '㎞', 'ℌ', 'Ω', 'K', 'µ', '™') },
  // Invisible: controls (NUL too), joiners, bidi controls, BOM, soft hyphen, DEL.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\u202e',
      '\u2066',
      '\ufeff',
      '\u00ad',
    ),
  },
  // Anything at all outside ASCII (and never whitespace: that separates words).
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 0xa0, max: 0x10ffff })
      .filter((c) => (c < 0xd800 || c > 0xdfff) && !/\s/u.test(String.fromCodePoint(c)))
      .map((c) => String.fromCodePoint(c)),
  },
);

/** A word: letters from anywhere, no whitespace and no ASCII punctuation (that is Markdown's). */
export const word: fc.Arbitrary<string> = fc
  .array(letter, { minLength: 1, maxLength: 10 })
  .map((ls) => ls.join(''));

/** A 300-character word in one script (a hash, a URL-free identifier, a German compound). */
const longWord: fc.Arbitrary<string> = fc
  .constantFrom('abcdefghij', 'αβγδεζηθικ', 'אבגדהוזחטי', 'ابتثجحخدذر', 'ÀÉÎÕÜçñøåß', '0123456789')
  .chain((pool) =>
    fc
      .array(fc.constantFrom(...Array.from(pool)), { minLength: 300, maxLength: 300 })
      .map((cs) => cs.join('')),
  );

const anyWord = fc.oneof({ weight: 40, arbitrary: word }, { weight: 1, arbitrary: longWord });

/**
 * Punctuation between words. Never `[`, `<`, `&`, a backtick or `~~~`: those could make a link,
 * an autolink, HTML, an entity or a fence out of neighbouring words and hide them by design.
 */
const noise: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '*',
    '**',
    '_',
    '\\',
    '\\\\',
    '\\*',
    '\\_',
    '#',
    '##',
    '-',
    '+',
    '=',
    '|',
    '||',
    '>',
    '!',
    '"',
    "'",
    ':',
    ';',
    ',',
    '.',
    '?',
    '/',
    '%',
    '$',
    '@',
    '^',
    '{',
    '}',
    '{{',
    '}}',
    '(',
    ')',
    ']',
    '~',
    '~~',
    '---',
    '...',
    '1.',
    '2)',
    '—',
    '«',
    '»',
    '¿',
    '\t',
    '\u00a0',
    '\u2003',
    '\u3000',
    '\u2028',
  ),
);

/** Text for plain fields (names, titles, ids of nothing): anything, Markdown characters included. */
export const plainText: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.array(fc.oneof(word, noise), { minLength: 1, maxLength: 8 }) },
    {
      weight: 2,
      arbitrary: fc.array(
        fc.oneof(
          word,
          fc.constantFrom('[', ']', '<', '>', '&', '&amp;', '`', '```', '~~~', '*', '_', '|', '#'),
        ),
        { minLength: 1, maxLength: 8 },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), {
        minLength: 1,
        maxLength: 3,
      }),
    },
  )
  .map((parts) => parts.join(' '))
  .filter((s) => s.trim().length > 0);

// ---------------------------------------------------------------------------------------------
// Markdown with its visible words

const words = (min: number, max: number): fc.Arbitrary<string[]> =>
  fc.array(anyWord, { minLength: min, maxLength: max });
const phrase = (min: number, max: number): fc.Arbitrary<Md> =>
  words(min, max).map((ws) => ({ md: ws.join(' '), words: ws }));

/** Inline pieces: text, emphasis, code, links, images, autolinks, HTML, handlebars, entities. */
const inlinePiece: fc.Arbitrary<Md> = fc.oneof(
  { weight: 12, arbitrary: anyWord.map((w) => ({ md: w, words: [w] })) },
  { weight: 4, arbitrary: noise.map(lit) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('*', '**', '_', '__', '***', '~~', '~'), phrase(1, 3))
      .map(([d, p]) => ({ md: `${d}${p.md}${d}`, words: p.words })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('`', '``'), phrase(1, 3))
      .map(([d, p]) => ({ md: `${d}${p.md}${d}`, words: p.words })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(phrase(1, 3), fc.webPath(), fc.option(fc.constantFrom(' "a title"', " 'T'")))
      .map(([p, url, title]) => ({
        md: `[${p.md}](https://example.com${encodeURI(url)}${title ?? ''})`,
        words: p.words,
      })),
  },
  {
    weight: 1,
    arbitrary: phrase(0, 2).map((p) => ({
      md: `![${p.md}](logo.png)`,
      words: p.words,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .stringMatching(/^[a-z]{1,12}$/)
      .map((w) => ({ md: `<https://example.com/${w}>`, words: [w] })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('b', 'span', 'em', 'u', 'font color="red"'), phrase(1, 2))
      .map(([tag, p]) => ({
        md: `<${tag}>${p.md}</${tag.split(' ')[0]}>`,
        words: p.words,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('{{', '{{{', '{{#each ', '{{> ', '{{!', '{{/'),
        fc.stringMatching(/^[a-z]{1,8}$/),
      )
      .map(([open, w]) => ({
        md: `${open}${w}${open.startsWith('{{{') ? '}}}' : '}}'}`,
        words: [w],
      })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('&amp;', '&lt;', '&#169;', '&#x1F600;', '&nosuch;').map(lit),
  },
  // A hard line break inside the paragraph.
  { weight: 1, arbitrary: fc.constantFrom('  \n', '\\\n').map(lit) },
);

/** One line or a few of inline Markdown, never starting with a space (that would indent code). */
const inlineText = (min: number, max: number): fc.Arbitrary<Md> =>
  fc
    .tuple(anyWord, fc.array(inlinePiece, { minLength: min, maxLength: max }))
    .map(([first, rest]) => {
      let md = first;
      for (const p of rest) md += p.md.endsWith('\n') || md.endsWith('\n') ? p.md : ` ${p.md}`;
      return { md, words: [first, ...rest.flatMap((p) => p.words)] };
    });

const heading: fc.Arbitrary<Md> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), inlineText(0, 4))
    .map(([n, t]) => ({ md: `${'#'.repeat(n)} ${t.md.replace(/\s*\n/g, ' ')}`, words: t.words })),
  fc
    .tuple(inlineText(0, 4), fc.constantFrom('===', '---'))
    .map(([t, u]) => ({ md: `${t.md.replace(/\s*\n/g, ' ')}\n${u}`, words: t.words })),
);

/** A list nested up to `depth` levels (the fuzz asks for 10), bullets or numbers. */
function list(depth: number): fc.Arbitrary<Md> {
  return fc
    .tuple(
      fc.constantFrom('- ', '* ', '+ ', '1. ', '3) '),
      fc.array(
        fc.tuple(
          inlineText(0, 3),
          depth > 1 ? fc.option(fc.constant(null), { freq: 3 }) : fc.constant(undefined),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .chain(([marker, items]) => {
      const nested = items.map(([, n]) => (n === null && depth > 1 ? list(depth - 1) : undefined));
      return fc.tuple(...nested.map((n) => n ?? fc.constant(undefined))).map((subs) => {
        const pad = ' '.repeat(marker.length);
        const out: Md[] = [];
        items.forEach(([t], i) => {
          const body = t.md.replace(/\n/g, `\n${pad}`);
          out.push({ md: `${marker}${body}\n`, words: t.words });
          const sub = subs[i];
          if (sub) {
            out.push({
              md: sub.md
                .split('\n')
                .map((l) => (l ? pad + l : l))
                .join('\n'),
              words: sub.words,
            });
          }
        });
        return cat(...out);
      });
    });
}

/** A deep list: ten levels, one item each, so depth is reached whatever else is drawn. */
const deepList: fc.Arbitrary<Md> = fc.array(word, { minLength: 10, maxLength: 10 }).map((ws) => ({
  md: ws.map((w, i) => `${'  '.repeat(i)}- ${w}`).join('\n'),
  words: ws,
}));

const cellText: fc.Arbitrary<Md> = fc.oneof(
  { weight: 5, arbitrary: inlineText(0, 2).map((t) => ({ ...t, md: t.md.replace(/\n/g, ' ') })) },
  { weight: 1, arbitrary: fc.constant(lit('')) },
  { weight: 1, arbitrary: phrase(1, 2).map((p) => ({ md: `a \\| ${p.md}`, words: p.words })) },
);

/** A GFM table; body rows may have fewer or more cells than the header. */
const table: fc.Arbitrary<Md> = fc
  .integer({ min: 1, max: 5 })
  .chain((cols) =>
    fc.tuple(
      fc.array(cellText, { minLength: cols, maxLength: cols }),
      fc.array(fc.array(cellText, { minLength: 1, maxLength: cols + 2 }), {
        minLength: 0,
        maxLength: 4,
      }),
    ),
  )
  .map(([header, rows]) => {
    const row = (cells: Md[]) => `| ${cells.map((c) => c.md).join(' | ')} |`;
    // NOTE: a header of only empty cells is still a table; its words are the body's.
    const md = [row(header), `|${header.map(() => ' --- |').join('')}`, ...rows.map(row)].join(
      '\n',
    );
    return { md, words: [header, ...rows].flat().flatMap((c) => c.words) };
  });

const fenceLang = fc.constantFrom('', 'js', 'yaml', 'text', 'cover', 'mermaid', 'md {.x}');

const codeBlock: fc.Arbitrary<Md> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('```', '~~~', '````'),
      fenceLang,
      fc.array(phrase(0, 5), { maxLength: 4 }),
    )
    .map(([fence, lang, lines]) => ({
      md: `${fence}${lang}\n${lines.map((l) => l.md).join('\n')}\n${fence}`,
      words: lines.flatMap((l) => l.words),
    })),
  fc.array(phrase(1, 5), { minLength: 1, maxLength: 3 }).map((lines) => ({
    md: lines.map((l) => `    ${l.md}`).join('\n'),
    words: lines.flatMap((l) => l.words),
  })),
);

const htmlBlock: fc.Arbitrary<Md> = fc.oneof(
  phrase(1, 4).map((p) => ({ md: `<div class="x">\n${p.md}\n</div>`, words: p.words })),
  phrase(1, 4).map((p) => ({ md: `<table><tr><td>${p.md}</td></tr></table>`, words: p.words })),
  phrase(1, 4).map((p) => ({ md: `<script>alert(1)</script>\n${p.md}`, words: p.words })),
  phrase(1, 4).map((p) => ({ md: `<p>\n${p.md}\n</p>`, words: p.words })),
  // Comments are dropped by design: their words are not expected.
  phrase(1, 4).map((p) => lit(`<!-- ${p.md} -->`)),
  fc.constantFrom('<!-- pagebreak -->', '<hr/>', '<br>').map(lit),
);

const blockquote: fc.Arbitrary<Md> = inlineText(1, 5).map((t) => ({
  md: t.md
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n'),
  words: t.words,
}));

/** A reference definition shows nothing; a reference link to it shows its text. */
const reference: fc.Arbitrary<Md> = fc
  .tuple(fc.stringMatching(/^[a-z]{1,8}$/), phrase(1, 3))
  .map(([label, p]) => ({
    md: `[${p.md}][${label}]\n\n[${label}]: https://example.com/${label} "Title"`,
    words: p.words,
  }));

/** About 100 KB of statement: paragraphs of generated words. */
const huge: fc.Arbitrary<Md> = fc.array(word, { minLength: 40, maxLength: 40 }).map((pool) => {
  const ws: string[] = [];
  let md = '';
  let i = 0;
  while (md.length < 100_000) {
    const w = pool[(i * 7) % pool.length] + String(i);
    ws.push(w);
    md += w + (i % 90 === 89 ? '\n\n' : ' ');
    i++;
  }
  return { md: md.trim(), words: ws };
});

const block: fc.Arbitrary<Md> = fc.oneof(
  { weight: 10, arbitrary: inlineText(0, 8) },
  { weight: 2, arbitrary: heading },
  { weight: 3, arbitrary: list(4) },
  { weight: 1, arbitrary: deepList },
  { weight: 2, arbitrary: table },
  { weight: 2, arbitrary: codeBlock },
  { weight: 2, arbitrary: htmlBlock },
  { weight: 1, arbitrary: blockquote },
  { weight: 1, arbitrary: reference },
  { weight: 1, arbitrary: fc.constantFrom('---', '***', '* * *').map(lit) },
);

/**
 * A block left open at the end of an answer, where it meets the template: a fence without its
 * closing line, a comment without `-->`, `<script>` or `<pre>` without its end tag. Its words
 * must still show, and it must not swallow what follows the answer.
 */
const unclosed: fc.Arbitrary<Md> = fc
  .tuple(
    fc.constantFrom('```', '~~~', '```js', '<!--', '<script>', '<pre>', '<?php', '<!DOCTYPE'),
    phrase(1, 4),
  )
  .map(([open, p]) => ({ md: `${open}\n${p.md}`, words: p.words }));

/** An answer's Markdown: a few blocks separated by blank lines. */
export const markdown = (): fc.Arbitrary<Md> =>
  fc
    .tuple(
      fc.array(block, { minLength: 1, maxLength: 3 }),
      fc.option(unclosed, { freq: 10, nil: undefined }),
    )
    .map(([list, tail]) => {
      const blocks = tail ? [...list, tail] : list;
      return {
        md: blocks.map((b) => b.md).join('\n\n'),
        words: blocks.flatMap((b) => b.words),
      };
    })
    .filter((m) => m.md.trim().length > 0);

// ---------------------------------------------------------------------------------------------
// Answers files

const RESPONSIBILITIES = ['provider', 'customer', 'shared', 'not-applicable'] as const;
const ASSURANCE = ['provider-assertion', 'independent-validation', 'assured-design'] as const;

export interface Catalogue {
  id: string;
  title: string;
  version: string;
  principles: {
    id: string;
    title: string;
    requirement: string;
    principles?: Catalogue['principles'];
  }[];
}

export interface Generated {
  /** The catalogue file's content, when the answers use one (else the built-in ncsc-2023). */
  catalogue?: Catalogue;
  /** The answers as data (mutated: anything at all). */
  answers: Record<string, unknown>;
  /** Markdown answers and the words each must show (unmutated files only). */
  texts: Md[];
  /** Plain values the statement prints (provider, service, tier and principle names…). */
  plain: string[];
  /** Unanswered principles on purpose: build with --draft. */
  draft: boolean;
  /** What was done to make it invalid (empty for a file meant to be valid). */
  mutations: string[];
  /** Text-level damage to the YAML, applied after writing it. */
  damage?: { at: number; cut: number; insert: string };
  /** Scalar style for strings (all styles are tried; a style a string cannot take falls back). */
  style: 'double' | 'mixed';
}

const tierId = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);

const catalogueArb: fc.Arbitrary<Catalogue> = fc
  .tuple(plainText, plainText, fc.integer({ min: 2, max: 3 }), fc.boolean())
  .chain(([title, version, n, withSubs]) =>
    fc
      .tuple(
        fc.array(fc.tuple(plainText, plainText), { minLength: n, maxLength: n }),
        fc.array(fc.tuple(plainText, plainText), { minLength: 2, maxLength: 2 }),
      )
      .map(([tops, subs]) => ({
        id: 'fuzz',
        title,
        version,
        principles: tops.map(([t, r], i) => ({
          id: String(i + 1),
          title: t,
          requirement: r,
          ...(withSubs && i === 1
            ? {
                principles: subs.map(([st, sr], j) => ({
                  id: `2.${j + 1}`,
                  title: st,
                  requirement: sr,
                })),
              }
            : {}),
        })),
      })),
  );

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 2, nil: undefined });

/** A valid answers file (texts hostile, structure right), before any mutation. */
const validFile = (options: {
  big?: boolean;
}): fc.Arbitrary<Omit<Generated, 'mutations' | 'style'>> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: catalogueArb },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      fc.uniqueArray(tierId, { minLength: 1, maxLength: 3 }),
      // One file in about 30 has a 100 KB statement (when `big`).
      options.big
        ? fc.oneof(
            { weight: 29, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: huge },
          )
        : fc.constant(undefined),
      fc.record({
        provider: fc.record({
          name: plainText,
          team: optional(plainText),
          email: optional(plainText),
          phone: optional(plainText),
          address: optional(plainText),
        }),
        service: fc.record({ name: plainText, summary: optional(plainText) }),
        title: plainText,
        version: fc.oneof(plainText, fc.constantFrom('1.0', '2', '3.0.1', 'v7')),
        classification: optional(plainText),
        signatory: fc.record({ name: plainText, role: plainText }),
      }),
    )
    .chain(([catalogue, tierIds, hugeText, meta]) => {
      // Answer ids: every principle whole (or principle 2 per sub-principle) with our catalogue;
      // with the built-in ncsc-2023 a few answered and the rest left for --draft.
      const ids = catalogue
        ? catalogue.principles.flatMap((p) =>
            p.principles ? p.principles.map((s) => s.id) : [p.id],
          )
        : ['1', '3', '2.1'];
      const tierAnswer = fc.oneof(
        fc.constantFrom(...RESPONSIBILITIES),
        fc
          .tuple(fc.constantFrom(...RESPONSIBILITIES), markdown())
          .map(([responsibility, md]) => ({ responsibility, md })),
      );
      return fc.tuple(
        fc.array(plainText, { minLength: tierIds.length, maxLength: tierIds.length }),
        fc.array(
          fc.record({
            summary: optional(plainText),
            provider: markdown(),
            assurance: optional(fc.constantFrom(...ASSURANCE)),
            evidence: fc.boolean(),
            tiers: fc.array(tierAnswer, { minLength: tierIds.length, maxLength: tierIds.length }),
          }),
          { minLength: ids.length, maxLength: ids.length },
        ),
        fc.constant({ catalogue, tierIds, meta, ids, hugeText }),
      );
    })
    .map(([tierNames, answerList, { catalogue, tierIds, meta, ids, hugeText }]) => {
      if (hugeText) answerList[0] = { ...answerList[0], provider: hugeText };
      const texts: Md[] = [];
      const answers: Record<string, unknown> = {};
      ids.forEach((id, i) => {
        const a = answerList[i];
        texts.push(a.provider);
        const tiers: Record<string, unknown> = {};
        tierIds.forEach((t, k) => {
          const ta = a.tiers[k];
          if (typeof ta === 'string') {
            // Customer or shared need customer text: give it the provider-only shorthand instead.
            tiers[t] = ta === 'customer' || ta === 'shared' ? 'provider' : ta;
          } else {
            // NOTE: by design the statement shows no customer text for a tier the provider carries.
            if (ta.responsibility !== 'provider') texts.push(ta.md);
            tiers[t] = { responsibility: ta.responsibility, customer: ta.md.md };
          }
        });
        answers[id] = {
          ...(a.summary ? { summary: a.summary } : {}),
          provider: a.provider.md,
          ...(a.assurance ? { assurance: a.assurance } : {}),
          ...(a.evidence ? { evidence: ['cert'] } : {}),
          tiers,
        };
      });
      const file: Record<string, unknown> = {
        framework: catalogue ? 'catalogue.yaml' : 'ncsc-2023',
        provider: strip(meta.provider),
        service: strip(meta.service),
        tiers: tierIds.map((id, i) => ({ id, name: tierNames[i] })),
        document: {
          title: meta.title,
          version: meta.version,
          issued: '2026-11-01',
          review: '2027-11-01',
          ...(meta.classification ? { classification: meta.classification } : {}),
          history: [{ version: '0.9', issued: '2025-11-01', summary: meta.title }],
        },
        signatory: meta.signatory,
        evidence: [{ id: 'cert', name: meta.service.name, expires: '2028-01-01' }],
        policies: [{ name: meta.provider.name, reviewed: '2026-06-01' }],
        answers,
      };
      const plain = [
        meta.provider.name,
        meta.service.name,
        meta.title,
        meta.signatory.name,
        meta.signatory.role,
        ...tierNames,
        ...(catalogue
          ? catalogue.principles.flatMap((p) => [
              p.title,
              p.requirement,
              ...(p.principles ?? []).flatMap((s) => [s.title, s.requirement]),
            ])
          : []),
      ];
      return {
        ...(catalogue ? { catalogue } : {}),
        answers: file,
        texts,
        plain,
        draft: !catalogue,
      };
    });

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// Structure mutations

type Path = (string | number)[];

/** Every path to a value in the data, objects and arrays included. */
function paths(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function getAt(v: unknown, p: Path): unknown {
  return p.reduce<unknown>((cur, k) => (cur as Record<string | number, unknown>)?.[k], v);
}

function setAt(root: Record<string, unknown>, p: Path, value: unknown): void {
  if (!p.length) return;
  const parent = getAt(root, p.slice(0, -1)) as Record<string | number, unknown>;
  const key = p[p.length - 1];
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else parent[key] = value;
}

const DELETE = Symbol('delete');

const strangeValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom(
    '',
    '   ',
    '2026-02-30',
    '2026-1-1',
    'sharde',
    'yes',
    '~',
    'null',
    '0x1F',
    '.inf',
  ),
  plainText,
  fc.array(plainText, { maxLength: 2 }),
  fc.dictionary(plainText, plainText, { maxKeys: 2 }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: strangeValue }),
  fc.record({
    kind: fc.constant('unknown-key' as const),
    pick: fc.nat(),
    key: fc.oneof(
      plainText,
      fc.constantFrom('provder', 'teir', 'respnsibility', '__proto__', 'constructor', '2.9', '99'),
    ),
    value: strangeValue,
  }),
  fc.record({ kind: fc.constant('rename-key' as const), pick: fc.nat(), key: plainText }),
  fc.record({
    kind: fc.constant('dates' as const),
    issued: fc.constantFrom('2027-12-01', '2026-13-01', '0000-00-00', '26-11-01'),
  }),
  fc.record({ kind: fc.constant('both-whole-and-part' as const) }),
  fc.record({ kind: fc.constant('duplicate-tier' as const) }),
);

function applyMutation(file: Record<string, unknown>, m: MutationValue): string {
  const all = paths(file).filter((p) => p.length > 0);
  const objects = paths(file).filter((p) => {
    const v = getAt(file, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
  if (!all.length) return 'nothing left to mutate';
  switch (m.kind) {
    case 'delete': {
      const p = all[m.pick % all.length];
      setAt(file, p, DELETE);
      return `delete ${p.join('.')}`;
    }
    case 'retype': {
      const p = all[m.pick % all.length];
      setAt(file, p, structuredClone(m.value));
      return `retype ${p.join('.')}`;
    }
    case 'unknown-key': {
      const p = objects[m.pick % objects.length];
      (getAt(file, p) as Record<string, unknown>)[m.key] = structuredClone(m.value);
      return `add ${[...p, m.key].join('.')}`;
    }
    case 'rename-key': {
      const p =
        all.filter((x) => typeof x[x.length - 1] === 'string')[m.pick % all.length] ?? all[0];
      const parent = getAt(file, p.slice(0, -1)) as Record<string, unknown>;
      if (Array.isArray(parent)) return 'rename nothing';
      const key = String(p[p.length - 1]);
      parent[m.key] = parent[key];
      if (m.key !== key) delete parent[key];
      return `rename ${p.join('.')} to ${m.key}`;
    }
    case 'dates': {
      const doc = file.document as Record<string, unknown> | undefined;
      if (!doc || typeof doc !== 'object') return 'no document to date';
      doc.issued = m.issued;
      return `issued ${m.issued}`;
    }
    case 'both-whole-and-part': {
      const answers = file.answers as Record<string, unknown> | undefined;
      if (!answers || typeof answers !== 'object' || Array.isArray(answers)) return 'no answers';
      const first = Object.values(answers)[0] ?? null;
      answers['2'] = structuredClone(first);
      answers['2.1'] = structuredClone(first);
      return 'answer 2 and 2.1';
    }
    case 'duplicate-tier': {
      const tiers = file.tiers as unknown[] | undefined;
      if (!Array.isArray(tiers) || !tiers.length) return 'no tiers';
      tiers.push(structuredClone(tiers[0]));
      return 'duplicate tier';
    }
  }
}

type MutationValue =
  | { kind: 'delete'; pick: number }
  | { kind: 'retype'; pick: number; value: unknown }
  | { kind: 'unknown-key'; pick: number; key: string; value: unknown }
  | { kind: 'rename-key'; pick: number; key: string }
  | { kind: 'dates'; issued: string }
  | { kind: 'both-whole-and-part' }
  | { kind: 'duplicate-tier' };

/** Text-level damage: cut a few characters somewhere and insert something YAML cares about. */
const damage = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  cut: fc.integer({ min: 0, max: 6 }),
  insert: fc.constantFrom(
    '',
    '\t',
    ':',
    ': ',
    '"',
    "'",
    '- ',
    '\n',
    '\n  ',
    '&a ',
    '*a',
    '!!binary ',
    '{',
    '[',
    '? ',
    '%YAML 1.1\n',
    '\u0000',
    '\ud800',
    '\ufeff',
    '|\n',
    '#',
  ),
});

/**
 * An answers file: valid (texts hostile), or with 1–3 structure mutations and sometimes text
 * damage. `valid` sets the share of valid files (0 to 1); `rtl: false` leaves out right-to-left
 * text (for checks through pdf.js, which garbles lines holding it).
 */
export function answersFile(
  options: { valid?: number; big?: boolean; rtl?: boolean } = {},
): fc.Arbitrary<Generated> {
  const validShare = options.valid ?? 0.6;
  return fc
    .tuple(
      validFile(options),
      // NOTE: weights, not a random number: fast-check biases numbers towards their bounds.
      fc.oneof(
        { weight: Math.round(validShare * 100), arbitrary: fc.constant(true) },
        { weight: Math.round((1 - validShare) * 100), arbitrary: fc.constant(false) },
      ),
      fc.array(mutation as fc.Arbitrary<MutationValue>, { minLength: 1, maxLength: 3 }),
      fc.option(damage, { freq: 3 }),
      fc.constantFrom('double' as const, 'mixed' as const),
    )
    .map(([base, valid, muts, dmg, style]) => {
      if (valid) return { ...base, mutations: [], style };
      const answers = structuredClone(base.answers);
      const mutations = muts.map((m) => applyMutation(answers, m));
      return {
        ...base,
        answers,
        texts: [],
        plain: [],
        mutations,
        ...(dmg ? { damage: dmg } : {}),
        style,
      };
    })
    .map((g) => (options.rtl === false ? withoutRtl(g) : g));
}

/** Right-to-left letters and bidi controls (Hebrew, Arabic, Syriac, Thaana, NKo… ranges). */
const RTL_CHARS =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/gu;

/** The same file with every right-to-left character replaced by ω, in the text and the words. */
function withoutRtl<T>(v: T): T {
  if (typeof v === 'string') return v.replace(RTL_CHARS, 'ω') as T;
  if (Array.isArray(v)) return v.map(withoutRtl) as T;
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [withoutRtl(k), withoutRtl(x)]),
    ) as T;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Writing YAML (by hand: every string in a style it survives, lone surrogates as escapes)

const hex = (c: number, n: number) => c.toString(16).toUpperCase().padStart(n, '0');

/** A double-quoted scalar: survives anything, lone surrogates and NUL included. */
export function doubleQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s[i] + s[i + 1];
      i++;
    } else if (s[i] === '"' || s[i] === '\\') out += `\\${s[i]}`;
    else if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xdfff) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0xfeff ||
      c >= 0xfffe
    )
      out += c === 0x0a ? '\\n' : `\\u${hex(c, 4)}`;
    else out += s[i];
  }
  return `${out}"`;
}

/** A literal block scalar, when the string can be one (printable, no trailing-space lines). */
function literalBlock(s: string, indent: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- which characters a block can hold is the point
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\r]/.test(s))
    return undefined;
  if (/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return undefined;
  if (!s.includes('\n') || /^[ \t]+$/m.test(s) || /^\s/.test(s) || /\s$/.test(s)) return undefined;
  return `|-\n${s
    .split('\n')
    .map((l) => (l ? indent + l : l))
    .join('\n')}`;
}

const PLAIN_SAFE = /^[A-Za-z][A-Za-z0-9 ._-]*[A-Za-z0-9]$|^[A-Za-z]$|^\d{4}-\d{2}-\d{2}$/;

function scalar(v: unknown, indent: string, style: Generated['style']): string {
  if (typeof v !== 'string') return v === undefined ? 'null' : JSON.stringify(v);
  if (style === 'mixed') {
    const block = literalBlock(v, indent);
    if (block) return block;
    if (PLAIN_SAFE.test(v) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(v)) return v;
  }
  return doubleQuoted(v);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k)
    ? k
    : doubleQuoted(k);
}

const isNonEmpty = (x: unknown): x is object =>
  Boolean(x) &&
  typeof x === 'object' &&
  (Array.isArray(x) ? x.length > 0 : Object.keys(x as object).length > 0);

/** Block-style YAML for plain data: mappings, sequences, scalars. */
export function toYaml(v: unknown, style: Generated['style'], indent = ''): string {
  if (Array.isArray(v)) {
    if (!v.length) return `${indent}[]\n`;
    return v
      .map((x) => {
        if (isNonEmpty(x)) {
          const inner = toYaml(x, style, `${indent}  `);
          return `${indent}- ${inner.slice(indent.length + 2)}`;
        }
        return `${indent}- ${scalarOrEmpty(x, `${indent}  `, style)}\n`;
      })
      .join('');
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (!entries.length) return `${indent}{}\n`;
    return entries
      .map(([k, x]) => {
        if (isNonEmpty(x)) {
          return `${indent}${key(k)}:\n${toYaml(x, style, `${indent}  `)}`;
        }
        return `${indent}${key(k)}: ${scalarOrEmpty(x, `${indent}  `, style)}\n`;
      })
      .join('');
  }
  return `${indent}${scalar(v, indent, style)}\n`;
}

function scalarOrEmpty(x: unknown, indent: string, style: Generated['style']): string {
  if (Array.isArray(x)) return '[]';
  if (x && typeof x === 'object') return '{}';
  return scalar(x, indent, style);
}

/** The file's YAML text: checked to parse back to the same data (else all double-quoted). */
export function yamlOf(g: Generated): string {
  let text = toYaml(g.answers, g.style);
  if (!g.mutations.length && g.style === 'mixed') {
    let same = false;
    try {
      same = JSON.stringify(parse(text)) === JSON.stringify(g.answers);
    } catch {
      same = false;
    }
    if (!same) text = toYaml(g.answers, 'double');
  }
  if (g.damage) {
    const at = Math.floor(g.damage.at * text.length);
    text = text.slice(0, at) + g.damage.insert + text.slice(at + g.damage.cut);
  }
  return text;
}

export function catalogueYaml(c: Catalogue): string {
  return toYaml(c, 'double');
}
