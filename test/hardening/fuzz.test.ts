import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModel } from '../../src/model/resolve';
import { describeChar, layoutPdf, loadFonts, uncoveredChars } from '../../src/pdf';
import { layoutBlocks } from '../../src/pdf/layout';
import { normaliseMarkdown, type Block, type Run } from '../../src/pdf/normalise';
import { renderDocument } from '../../src/render';
import { tempDir } from '../helpers/cli';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bidi-js ships CommonJS only
const bidi = (require('bidi-js') as () => { getMirroredCharacter(ch: string): string | null })();
import { answersFile, catalogueYaml, doubleQuoted, yamlOf, type Generated } from './generators';
import {
  canonPdf,
  cliInProcess,
  errorOutputProblems,
  expectedWords,
  missingWords,
  reportedChars,
  splitAcrossPages,
  TextExtractor,
  fuzzReplay,
  writeCase,
} from './oracle';

/**
 * Fuzzing answers files (issue 8). Generated files carry hostile text (every script, RTL,
 * combining marks, emoji, astral characters, controls, NUL, lone surrogates, 100 KB statements,
 * 300-character words, Markdown edge cases) and random structure mutations. Each one either
 * fails `validate` and `build` with exit 1 and one-line located errors, or lays out / builds with
 * every word of its answers in the output.
 *
 * Runs in process (the CLI's own runCli and the library functions its build calls), so 1,000
 * cases go through parse → validate → resolve → render → layout, and a further 80 through the
 * whole `srq build` with the PDF's text extracted. A failure prints fast-check's seed and path;
 * replay it with SRQ_FUZZ_SEED=<seed> SRQ_FUZZ_PATH=<path> (and SRQ_FUZZ_RUNS for longer runs).
 */

const RUNS = Number(process.env.SRQ_FUZZ_RUNS ?? 1);
const replay = fuzzReplay();
// eslint-disable-next-line no-control-regex -- a control character in the output is the finding
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
/** A case slower than this is a hang for the fuzz's purposes (the 100 KB ones take ~1 s). */
const SLOW_MS = 15_000;

/**
 * Stop after `ms` (runs and shrinking; shrinking through whole builds is slow). A counterexample
 * found by then still fails, shrunk as far as it got; running out of time with none found does
 * not (a loaded CI machine runs fewer cases), but each property then checks it ran enough cases
 * of each kind to mean something.
 */
const budget = (ms: number) => ({
  interruptAfterTimeLimit: ms * RUNS,
  markInterruptAsFailure: false,
});

let dir: string;
let extractor: TextExtractor;
beforeAll(() => {
  dir = tempDir('srq-fuzz-');
  extractor = new TextExtractor();
});
afterAll(() => {
  extractor.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function describeCase(g: Generated, yaml: string): string {
  return `mutations: ${g.mutations.join('; ') || 'none'}${g.damage ? `, damage ${JSON.stringify(g.damage)}` : ''}\n--- answers.yaml ---\n${yaml.slice(0, 3000)}`;
}

let cases = 0;
function write(g: Generated): { yaml: string; file: string; files: string[] } {
  // NOTE: srq caches a catalogue by its path for the life of the process (one CLI run): every
  // case gets a catalogue file of its own.
  const catalogue = `catalogue-${++cases}.yaml`;
  const yaml = yamlOf(g).replaceAll('catalogue.yaml', catalogue);
  writeCase(dir, {
    'answers.yaml': yaml,
    ...(g.catalogue ? { [catalogue]: catalogueYaml(g.catalogue) } : {}),
  });
  const file = path.join(dir, 'answers.yaml');
  return { yaml, file, files: [file, 'answers.yaml'] };
}

/** A failing file: validate and build both fail the same way, and build writes nothing. */
async function checkRejected(g: Generated, files: string[], yaml: string): Promise<void> {
  const v = await cliInProcess(['validate', 'answers.yaml'], dir);
  const problems = errorOutputProblems(v, files);
  if (v.code === 0) return;
  const out = path.join(dir, 'rejected.pdf');
  const b = await cliInProcess(['build', 'answers.yaml', '-o', out, '--draft'], dir);
  problems.push(...errorOutputProblems(b, files).map((p) => `build: ${p}`));
  if (fs.existsSync(out)) problems.push('build wrote a PDF for an invalid file');
  if (problems.length) {
    throw new Error(
      `${problems.join('\n')}\nvalidate:\n${v.stderr.join('\n')}\nbuild:\n${b.stderr.join('\n')}\n${describeCase(g, yaml)}`,
    );
  }
}

/** Every piece of text in normalised blocks, in order (what the layout is given to draw). */
function blocksText(blocks: Block[]): string {
  const runs = (rs: Run[]) => rs.map((r) => r.text).join('');
  return blocks
    .map((b) => {
      switch (b.kind) {
        case 'heading':
        case 'paragraph':
          return runs(b.runs);
        case 'code':
          return b.text;
        case 'list':
          return b.items.map(blocksText).join(' ');
        case 'table':
          return [b.header, ...b.rows].map((row) => row.map(runs).join(' ')).join(' ');
        case 'cover':
          return Object.values(b.fields).map(runs).join(' ');
        default:
          return '';
      }
    })
    .join(' ');
}

/**
 * A valid file rendered and normalised as `srq build` does, and with `layout` also laid out:
 * every word in the blocks (and the drawn text), and no answer swallowing the rest of the
 * document (an unclosed fence, comment or <script> would take the sign-off with it).
 */
/**
 * A right-to-left fragment holds its words in visual order (the layout's documented form: the
 * words of the run reversed, a neutral token's characters reversed, brackets mirrored); read
 * back in the order they were written, from the Unicode rules alone, for the word check.
 */
function logicalOrder(visual: string): string {
  const strongRtl =
    /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
  const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
  return visual
    .split(/( +)/)
    .reverse()
    .map((token) =>
      strongRtl.test(token)
        ? token
        : [...graphemes.segment(token)]
            .map((g) => g.segment)
            .reverse()
            .join(''),
    )
    .join('')
    .replace(/./gu, (ch) => bidi.getMirroredCharacter(ch) ?? ch);
}

function checkRendered(g: Generated, file: string, yaml: string, layout: boolean): void {
  const { model } = loadModel(file);
  const markdown = renderDocument(model, { template: 'statement', draft: g.draft });
  const blocks = normaliseMarkdown(markdown);
  const problems: string[] = [];
  const missing = missingWords(expectedWords(g), blocksText(blocks));
  if (missing.length)
    problems.push(`words missing: ${missing.map((w) => JSON.stringify(w)).join(', ')}`);
  const headings = blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
  for (const h of ['Document control', 'Sign-off'])
    if (!headings.includes(h)) problems.push(`no "${h}" heading`);
  if (blocks.filter((b) => b.kind === 'cover').length !== 1) problems.push('not one cover');
  if (layout) {
    const laid = layoutBlocks(blocks, { fonts: loadFonts(), reserveSignature: true });
    const drawn = laid.pages.flatMap((p) =>
      p.ops.map((o) => (o.kind !== 'text' ? '' : o.rtl ? logicalOrder(o.text) : o.text)),
    );
    // NOTE: ops are joined with a zero-width space, which canon() removes after NFKC: joined
    // with nothing, a paragraph starting with a combining mark (U+0338) was reordered by NFKC
    // into the last word of the paragraph before it, and that word was reported as not drawn.
    const lost = missingWords(expectedWords(g), drawn.join('\u200b'));
    if (lost.length)
      problems.push(`words not drawn: ${lost.map((w) => JSON.stringify(w)).join(', ')}`);
    if (!laid.signature) problems.push('the sign-off signature field was not reserved');
  }
  if (problems.length) throw new Error(`${problems.join('\n')}\n${describeCase(g, yaml)}`);
}

test(
  '1,000 answers files: rejected with located one-line errors, or laid out with every word',
  async () => {
    let valid = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(answersFile({ valid: 0.55, big: true }), async (g) => {
        const started = Date.now();
        const { yaml, file, files } = write(g);
        const v = await cliInProcess(['validate', 'answers.yaml'], dir);
        if (v.code === 0) {
          valid++;
          expect(v.stdout.join('\n')).toMatch(/: valid: /);
          // Warnings (word limits, unanswered principles) are located one-liners too.
          for (const line of v.stderr) {
            expect(line).toMatch(/^\S.*?(:\d+:\d+)?: warning: \S/u);
            expect(line).not.toMatch(CONTROL);
          }
          // NOTE: line breaking shapes every new word with fontkit (~150 ms a file): every 8th
          // valid file is laid out too (the PDF test below lays out 80 more).
          checkRendered(g, file, yaml, valid % 8 === 1);
        } else {
          rejected++;
          // A file generated valid must validate: a rejection there is srq's fault (or the fuzz's).
          if (!g.mutations.length)
            throw new Error(
              `valid file rejected:\n${v.stderr.join('\n')}\n${describeCase(g, yaml)}`,
            );
          await checkRejected(g, files, yaml);
        }
        expect(Date.now() - started).toBeLessThan(SLOW_MS);
      }),
      { numRuns: 1000 * RUNS, ...budget(150_000), ...replay },
    );
    // Both sides of the property were exercised.
    expect(valid).toBeGreaterThan(150);
    expect(rejected).toBeGreaterThan(100);
  },
  150_000 * RUNS + 30_000,
);

test(
  '80 answers files through the whole `srq build`: the PDF text has every word the build did not report',
  async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(answersFile({ valid: 0.9, rtl: false }), async (g) => {
        const started = Date.now();
        const { yaml, files } = write(g);
        const out = path.join(dir, 'out.pdf');
        fs.rmSync(out, { force: true });
        const b = await cliInProcess(
          ['build', 'answers.yaml', '-o', out, ...(g.draft ? ['--draft'] : [])],
          dir,
        );
        if (b.code !== 0) {
          if (!g.mutations.length)
            throw new Error(
              `valid file not built:\n${b.stderr.join('\n')}\n${describeCase(g, yaml)}`,
            );
          const problems = errorOutputProblems(b, files);
          if (problems.length)
            throw new Error(
              `${problems.join('\n')}\n${b.stderr.join('\n')}\n${describeCase(g, yaml)}`,
            );
          expect(fs.existsSync(out)).toBe(false);
          return;
        }
        built++;
        expect(b.stdout.join('\n')).toMatch(/^wrote .*out\.pdf \(\d+ pages, \d+ KB\)/);
        const warnings = b.stderr;
        for (const line of warnings) {
          expect(line).toMatch(/^(srq: warning: |\S.*?(:\d+:\d+)?: warning: )\S/u);
          expect(line).not.toMatch(CONTROL);
        }
        const pdf = fs.readFileSync(out);
        expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
        const extracted = await extractor.read(out);
        // The layout measures every line to fit; pdfkit must draw it as measured.
        expect(extracted.overflow).toEqual([]);
        const body = canonPdf(extracted.body);
        const skip = reportedChars(warnings);
        const missing = missingWords(expectedWords(g), body, {
          skip,
          pdf: 'pdf.js',
        }).filter((w) => !splitAcrossPages(canonPdf(w), extracted.pages));
        if (missing.length) {
          const kept = path.join(os.tmpdir(), 'srq-fuzz-failure.pdf');
          fs.copyFileSync(out, kept);
          fs.writeFileSync(
            kept.replace(/pdf$/, 'txt'),
            [JSON.stringify(missing), ...warnings, yaml, body].join('\n'),
          );
          throw new Error(
            `(the PDF: ${kept}) ` +
              `words missing from the PDF text: ${missing.map((w) => JSON.stringify(w)).join(', ')}\nwarnings:\n${warnings.join('\n')}\ntext: ${JSON.stringify(body.slice(0, 4000))}\n${describeCase(g, yaml)}`,
          );
        }
        expect(Date.now() - started).toBeLessThan(SLOW_MS);
      }),
      { numRuns: 80 * RUNS, ...budget(120_000), ...replay },
    );
    expect(built).toBeGreaterThan(30);
  },
  120_000 * RUNS + 30_000,
);

describe('regressions the fuzz found, as fixed cases', () => {
  const catalogue = [
    'id: regressions',
    'title: Regression catalogue',
    'version: "1"',
    'principles:',
    '  - { id: "1", title: One, requirement: Do the first thing. }',
    '  - { id: "2", title: Two, requirement: Do the second thing. }',
  ].join('\n');

  /** A valid answers file whose principle 1 says `provider` and asks `customer` of tier t. */
  function answers(provider: string, customer = 'Keep your own records.'): string {
    return [
      'framework: regressions.yaml',
      'provider: { name: Example Cloud Ltd }',
      'service: { name: Example Hosting }',
      'tiers: [{ id: t, name: Managed }]',
      'document: { title: Statement, version: "1.0", issued: 2026-11-01, review: 2027-11-01 }',
      'signatory: { name: Alex Morgan, role: Head of Compliance }',
      'answers:',
      `  "1": { provider: ${doubleQuoted(provider)}, tiers: { t: { responsibility: shared, customer: ${doubleQuoted(customer)} } } }`,
      '  "2": { provider: Second answer., tiers: { t: provider } }',
    ].join('\n');
  }

  let n = 0;
  /** The file rendered, normalised and laid out in process, as `srq build` does. */
  function laidOut(yaml: string) {
    const file = path.join(dir, `regression-${++n}.yaml`);
    writeCase(dir, { 'regressions.yaml': catalogue, [path.basename(file)]: yaml });
    const { model } = loadModel(file);
    const blocks = normaliseMarkdown(renderDocument(model, { template: 'statement' }));
    const layout = layoutBlocks(blocks, { fonts: loadFonts(), reserveSignature: true });
    const drawn = layout.pages
      .flatMap((p) => p.ops.map((o) => (o.kind === 'text' ? o.text : '')))
      .join(' ');
    const headings = blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
    return { blocks, layout, drawn, headings };
  }

  test('control characters are left out, not drawn as boxes; U+3000 without a glyph is reported', () => {
    const { drawn } = laidOut(answers('NUL a\u0000b ESC c\u001bd DEL e\u007ff VT g\u000bh'));
    expect(drawn).not.toMatch(CONTROL);
    expect(drawn).toContain('NUL ab ESC cd DEL ef VT g h');
    expect(uncoveredChars(loadFonts().regular, 'x\u3000y')).toEqual(['\u3000']);
    expect(describeChar('\u0085')).toBe('U+0085');
  });

  test('a line break (CR or LF) inside a plain value does not cut it short on the cover', () => {
    const { blocks } = laidOut(
      answers('Fine.')
        .replace('name: Example Cloud Ltd', 'name: "Example\\rCloud\\nLtd"')
        .replace('title: Statement,', 'title: "Security\\rStatement",'),
    );
    const cover = blocks.find((b) => b.kind === 'cover');
    const field = (k: string) =>
      cover?.kind === 'cover' ? (cover.fields[k] ?? []).map((r) => r.text).join('') : '';
    expect(field('provider')).toBe('Example Cloud Ltd');
    expect(field('title')).toBe('Security Statement');
  });

  test('a table row with more cells than its header keeps them (GFM would drop them)', () => {
    const { blocks, drawn } = laidOut(
      answers('| Control |\n| --- |\n| MFA | enforced for admins | since 2024 |'),
    );
    const table = blocks.find((b) => b.kind === 'table' && !b.matrix);
    expect(table?.kind === 'table' && table.header.length).toBe(3);
    expect(drawn).toContain('enforced for admins');
    expect(drawn).toContain('since 2024');
  });

  test.each([
    [
      'customer text opening with a fence (after the "Tier (Shared):" label)',
      'Fine.',
      '```\nrotate keys\n```\n\nafter the fence',
    ],
    ['an unclosed fence', '```\nfenced until the end', undefined],
    ['an unclosed comment', 'Visible.\n\n<!-- never closed', undefined],
    ['an unclosed <script>', '<script>\nnever closed', undefined],
    ['an unclosed <pre>', '<pre>\nnever closed', undefined],
  ])(
    '%s stays inside its answer: the rest of the document survives',
    (_what, provider, customer) => {
      const { drawn, headings, layout } = laidOut(answers(provider, customer));
      expect(headings).toEqual(
        expect.arrayContaining(['Principle 2 — Two', 'Document control', 'Sign-off']),
      );
      expect(layout.signature).toBeDefined();
      expect(drawn).toContain('Second answer.');
      for (const w of [...provider.split(/\W+/), ...(customer ?? '').split(/\W+/)].filter(
        (x) => x.length > 3,
      ))
        expect(drawn).toContain(w);
    },
  );

  test('a ```cover fence in an answer is code, not a second cover page that drops its text', () => {
    const { blocks, drawn } = laidOut(
      answers('```cover\ntitle: Fake cover\nnot a field at all\n```'),
    );
    expect(blocks.filter((b) => b.kind === 'cover')).toHaveLength(1);
    expect(drawn).toContain('not a field at all');
  });

  test('control characters and line separators in keys are escaped in errors: one line each', async () => {
    writeCase(dir, {
      'regressions.yaml': catalogue,
      'bad-keys.yaml': `${answers('Fine.')}\n"\\e[2Jevil": 1\n"two\\nlines": 2\n"sep\\u2028arator": 3\n`,
    });
    const r = await cliInProcess(['validate', 'bad-keys.yaml'], dir);
    expect(errorOutputProblems(r, [path.join(dir, 'bad-keys.yaml'), 'bad-keys.yaml'])).toEqual([]);
    expect(r.stderr.join('\n')).toContain("unknown key '\\u001b[2Jevil'");
    expect(r.stderr.join('\n')).toContain("unknown key 'two\\nlines'");
    expect(r.stderr.join('\n')).toContain("unknown key 'sep\\u2028arator'");
  });

  test('characters the fonts lack are drawn as wide as the layout measured them: no line overflows', async () => {
    const opts = {
      info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date('2026-11-01') },
      furniture: { shortTitle: 'Regression', draft: false },
    };
    // Boxes (.notdef) for CJK, Hangul and flags: pdfkit drew each one 2.048 times too wide.
    const words = Array.from({ length: 30 }, (_, i) => `w${i}먂𩶧🇬🇧`);
    const { pdf } = await layoutPdf(`${words.join(' ')} LAST`, opts);
    const file = path.join(dir, 'notdef.pdf');
    fs.writeFileSync(file, pdf);
    const { overflow, body } = await extractor.read(file);
    expect(overflow).toEqual([]);
    expect(body).toContain('LAST');
  });

  test('a zero-width joiner before a Tifinagh letter is laid out and drawn, not a fontkit TypeError', async () => {
    // fontkit's Universal Shaping Engine read a null syllable for it (seed -1040148506).
    // fontkit itself, past srq's cache of shaped words (which would hold an earlier run's):
    for (const font of Object.values(loadFonts()))
      expect(font.layout('\u200d\u2d5f').glyphs).toHaveLength(2);
    const glyphs = loadFonts().regular.layout('\u200d\u2d5f').glyphs;
    expect(glyphs.flatMap((g) => g.codePoints)).toContain(0x2d5f);
    const opts = {
      info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date('2026-11-01') },
      furniture: { shortTitle: 'Regression', draft: false },
    };
    const { pdf } = await layoutPdf(
      'before x\u200d\u2d5fy tifinagh \u2d5f\u2d54 **b\u200d\u2d5f** LAST',
      opts,
    );
    const file = path.join(dir, 'tifinagh.pdf');
    fs.writeFileSync(file, pdf);
    const { overflow, body } = await extractor.read(file);
    expect(overflow).toEqual([]);
    for (const w of ['before', 'tifinagh', '\u2d5f\u2d54', 'LAST']) expect(body).toContain(w);
    // (The joiner reads as a space: fontkit gives its glyph the text of the space it shares.)
    expect(body).toMatch(/x\s?\u2d5fy/);
  });

  test('a glyph first met as part of a composite (the a of à) keeps its text in later documents', async () => {
    const opts = {
      info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date('2026-11-01') },
      furniture: { shortTitle: 'Regression', draft: false },
    };
    // Start from no cached glyphs, as a fresh process does (earlier cases may have drawn an a).
    for (const font of Object.values(loadFonts()))
      (font as unknown as { _glyphs: object })._glyphs = {};
    await layoutPdf('Mono: `à`', opts); // subsetting reads the mono a as a component of à
    const later = await layoutPdf('Mono: `qazwa` and `bac`', opts);
    const file = path.join(dir, 'later.pdf');
    fs.writeFileSync(file, later.pdf);
    const text = (await extractor.read(file)).pages.join(' ');
    expect(text).toContain('qazwa');
    expect(text).toContain('bac');
  });
});
