import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../helpers/cli';
import { answersFile, catalogueYaml, yamlOf } from '../hardening/generators';
import { STYLE } from '../../src/pdf/styles';
import {
  canonPdf,
  cliInProcess,
  expectedWords,
  missingWords,
  reportedChars,
  fuzzReplay,
  writeCase,
} from '../hardening/oracle';
import { SEED } from '../helpers/random';

/**
 * The fuzz's generated answers files (test/hardening/fuzz.test.ts), built in process with the
 * real `srq build`, then checked with independent tools: `qpdf --check` must be clean, and
 * poppler's `pdftotext -raw` (drawing order: its reading-order guess moves fragments with stacked
 * combining marks into the middle of other lines) must find every word the build did not report,
 * right-to-left text included (pdf.js, used by the unit test, garbles lines holding it). Replay a failure with
 * SRQ_FUZZ_SEED=<seed> SRQ_FUZZ_PATH=<path>.
 */

// Pinned (test/helpers/random.ts SEED, SRQ_TEST_SEED to change it) so a CI run is reproducible:
// a random seed made this suite fail now and then on known layout bugs (a Sans Mono Arabic mark
// drawn past its base, seed -1932481542 path 3, fixed and replayed below; a word pdftotext
// misses, seed 1175070724 path 19, still open). SRQ_FUZZ_SEED replays a failure; SRQ_FUZZ_RANDOM=1 explores.
const replay = {
  ...(process.env.SRQ_FUZZ_RANDOM ? {} : { seed: SEED }),
  ...fuzzReplay(),
};

/**
 * The body text of a PDF as poppler reads it in drawing order (`-raw`), without the running
 * header and footer and the DRAFT watermark: words are dropped by where they are (`-bbox`), so
 * a word broken across a page boundary reads as one, whatever the header holds.
 */
function popplerBody(file: string): { body: string; overflow: string[] } {
  const r = spawnSync('pdftotext', ['-raw', '-bbox', '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.status).toBe(0);
  const { height, margin } = STYLE.page;
  const words: string[] = [];
  const overflow: string[] = [];
  for (const m of r.stdout.matchAll(
    /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    const [yMin, xMax, yMax] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const text = m[4]
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
    if (yMin < STYLE.header.ruleY || yMin > height - margin.bottom + 10) continue;
    // The watermark, drawn at 45°, comes out a letter at a time in boxes far taller than text.
    if (yMax - yMin > STYLE.watermark.size / 3) continue;
    words.push(text);
    if (xMax > STYLE.page.width - margin.right + 1) overflow.push(`${text} (to ${xMax})`);
  }
  return { body: canonPdf(words.join(' ')), overflow };
}

let dir: string;
beforeAll(() => {
  dir = tempDir('srq-fuzz-interop-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A generated statement builds, qpdf finds it clean, and pdftotext finds every word in its lines. */
const builds = () =>
  fc.asyncProperty(answersFile({ valid: 1 }), async (g) => {
    // NOTE: srq caches a catalogue per path for the life of the process: one file per case.
    const catalogue = `catalogue-${++n}.yaml`;
    const yaml = yamlOf(g).replaceAll('catalogue.yaml', catalogue);
    writeCase(dir, {
      'answers.yaml': yaml,
      ...(g.catalogue ? { [catalogue]: catalogueYaml(g.catalogue) } : {}),
    });
    const out = path.join(dir, 'out.pdf');
    fs.rmSync(out, { force: true });
    const b = await cliInProcess(
      ['build', 'answers.yaml', '-o', out, ...(g.draft ? ['--draft'] : [])],
      dir,
    );
    expect({ code: b.code, stderr: b.code ? b.stderr : [] }).toEqual({ code: 0, stderr: [] });

    const check = spawnSync('qpdf', ['--check', out], { encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({
      status: 0,
      out: expect.stringContaining('No syntax or stream encoding errors found') as string,
    });
    expect(check.stdout + check.stderr).not.toMatch(/WARNING/i);

    const { body, overflow } = popplerBody(out);
    const kept = path.join(os.tmpdir(), 'srq-fuzz-interop-failure.pdf');
    // The layout measures every line to fit; pdfkit must draw it as measured.
    if (overflow.length) fs.copyFileSync(out, kept);
    expect({ pdf: overflow.length ? kept : '', overflow }).toEqual({ pdf: '', overflow: [] });
    const missing = missingWords(expectedWords(g), body, {
      skip: reportedChars(b.stderr),
      pdf: 'poppler',
    });
    if (missing.length) {
      fs.copyFileSync(out, kept);
      throw new Error(
        `(the PDF: ${kept}) ` +
          `words pdftotext does not find: ${missing.map((w) => JSON.stringify(w)).join(', ')}\ntext: ${JSON.stringify(body.slice(0, 3000))}\n--- answers.yaml ---\n${yaml.slice(0, 3000)}`,
      );
    }
  });

test('30 fuzzed statements: qpdf --check clean, pdftotext has every word', async () => {
  await fc.assert(builds(), {
    numRuns: 30,
    interruptAfterTimeLimit: 90_000,
    markInterruptAsFailure: true,
    ...replay,
  });
}, 180_000);

test('the case that found Arabic marks in DejaVu Sans Mono drawn past their base and the margin', async () => {
  // fontkit-fixes.ts fixMarkAttachment: without it the mark of "بً" in a code span at a line's end
  // was drawn a glyph's width right of its letter, 6 pt past the right margin.
  await fc.assert(builds(), { seed: -1932481542, path: '3', numRuns: 1, endOnFailure: true });
}, 180_000);
