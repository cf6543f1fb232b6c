import { loadFonts, type FontKey } from '../../src/pdf/fonts';
import {
  breakLines,
  breakLinesByAtoms,
  type Line,
  type MeasureContext,
} from '../../src/pdf/measure';
import type { Run } from '../../src/pdf/normalise';
import { prng, SEED } from '../helpers/random';

/**
 * Left-to-right paragraphs are broken into lines in one pass (measure.ts breakLinesLtr, issue 15),
 * where right-to-left ones still go through atoms, pieces and lines (breakLinesByAtoms). The
 * oracle is that second path, the one every paragraph took before: for every input, the lines
 * must be the same to the last bit of every width and offset, with the same fragment texts, fonts
 * and links, and the same shaped runs (the very objects) for the text path to draw.
 */

const fonts = loadFonts();

/** A line as the comparison sees it: every field, the shaped runs by identity. */
function shown(lines: Line[], ids: Map<unknown, number>): unknown {
  const id = (o: unknown) => {
    if (!ids.has(o)) ids.set(o, ids.size);
    return ids.get(o);
  };
  return lines.map((l) => ({
    width: l.width,
    rtl: l.rtl,
    fragments: l.fragments.map((f) => ({
      keys: Object.keys(f),
      text: f.text,
      font: f.font,
      x: f.x,
      width: f.width,
      link: f.link,
      rtl: f.rtl,
      runs: f.runs?.map(id),
    })),
  }));
}

/** Both paths' lines for `runs` (fresh copies: breakLines remembers lines by the array). */
function both(runs: Run[], ctx: MeasureContext, width: number): { ours: unknown; atoms: unknown } {
  const ids = new Map<unknown, number>();
  const copy = () => runs.map((r) => ({ ...r }));
  return {
    ours: shown(breakLines(copy(), ctx, width), ids),
    atoms: shown(breakLinesByAtoms(copy(), ctx, width), ids),
  };
}

/**
 * Each character the text prints, with its font and link, white space left out: an oracle
 * independent of both paths (they share how a piece's text is cut into words and runs).
 */
function printed(runs: Run[], override?: FontKey): string[] {
  return runs.flatMap((r) =>
    [...r.text]
      .filter((c) => /\S/.test(c))
      .map((c) => `${c}|${override ?? r.font}|${r.link ?? ''}`),
  );
}
function drawn(lines: Line[]): string[] {
  return lines.flatMap((l) =>
    l.fragments.flatMap((f) =>
      [...f.text].filter((c) => /\S/.test(c)).map((c) => `${c}|${f.font}|${f.link ?? ''}`),
    ),
  );
}

const WORDS = [
  'the',
  'service',
  'encrypts',
  'data',
  'at',
  'rest',
  'AES-256',
  'ISO/IEC',
  '27001:2022',
  'e.g.',
  '(see',
  'below)',
  '“quoted”',
  'don’t',
  'word',
  '!',
  '?',
  ',',
  ';',
  '—',
  '–',
  'x',
  'fi',
  'ffl',
  'AVAWA',
  'Te',
  'naïve',
  'café',
  'Zürich',
  '1,024',
  '£5',
  '50%',
  'a/b',
  'non-breaking\u00a0space',
  '0123456789abcdef0123456789abcdef0123456789abcdef',
  'Supercalifragilisticexpialidocious',
  'https://example.test/a/very/long/path/that/will/not/fit/on/one/narrow/line',
];
const GAPS = [' ', ' ', ' ', ' ', '  ', '   ', '\n', ' \n', '\n\n', '-', '/', '\t', '', ' !'];
const FONTS: FontKey[] = ['regular', 'regular', 'bold', 'italic', 'boldItalic', 'mono'];

function paragraph(rand: () => number): Run[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const runs: Run[] = [];
  const nRuns = 1 + Math.floor(rand() * 5);
  for (let r = 0; r < nRuns; r++) {
    let text = rand() < 0.2 ? pick(GAPS) : '';
    const nWords = Math.floor(rand() * 14);
    for (let w = 0; w < nWords; w++) text += pick(WORDS) + (w < nWords - 1 ? pick(GAPS) : '');
    if (rand() < 0.3) text += pick(GAPS);
    const run: Run = { text, font: pick(FONTS) };
    if (rand() < 0.2) run.link = rand() < 0.5 ? 'https://example.test/' : '#section-2';
    runs.push(run);
  }
  return runs;
}

describe('one-pass line breaking (left to right)', () => {
  it('makes the lines the atom path makes, on 3,000 seeded paragraphs at many widths', () => {
    const rand = prng(SEED);
    const widths = [24, 60, 120, 240, 451.3, 1e9, Number.POSITIVE_INFINITY];
    let lines = 0;
    for (let i = 0; i < 3000; i++) {
      const runs = paragraph(rand);
      const ctx: MeasureContext = {
        fonts,
        size: [8, 9.5, 10.5, 14][i % 4],
        ...(i % 7 === 0 ? { fontOverride: 'bold' } : {}),
      };
      const width = widths[Math.floor(rand() * widths.length)];
      const { ours, atoms } = both(runs, ctx, width);
      expect({ i, runs, width, lines: ours }).toEqual({ i, runs, width, lines: atoms });
      // Every character drawn once, in order, in its run's font and link.
      expect({ i, chars: drawn(breakLines(runs, ctx, width)) }).toEqual({
        i,
        chars: printed(runs, ctx.fontOverride),
      });
      lines += (ours as unknown[]).length;
    }
    // The cases reach many lines (and so every way a line ends), not only one each.
    expect(lines).toBeGreaterThan(9000);
  });

  it('covers the cases that decide a line: a space collapsed, a line break, a long word, a glued piece', () => {
    const ctx: MeasureContext = { fonts, size: 10 };
    const cases: Run[][] = [
      [{ text: 'one  two   three', font: 'regular' }],
      [{ text: 'ends with a break\nand goes on \nthen\n\nagain', font: 'regular' }],
      [{ text: `a ${'0123456789'.repeat(8)} b`, font: 'mono' }],
      [{ text: 'word ! and word ? glued', font: 'regular' }],
      [
        { text: 'Customer:', font: 'bold' },
        { text: ' the customer ', font: 'regular' },
        { text: 'link', font: 'regular', link: 'https://example.test/' },
        { text: ', then more.', font: 'regular' },
      ],
      [{ text: '', font: 'regular' }],
      [{ text: '   ', font: 'regular' }],
      [
        { text: 'ISO/IEC 27001', font: 'regular' },
        { text: 'bold', font: 'bold' },
      ],
    ];
    for (const runs of cases) {
      for (const width of [30, 80, 200, Number.POSITIVE_INFINITY]) {
        const { ours, atoms } = both(runs, ctx, width);
        expect({ runs, width, lines: ours }).toEqual({ runs, width, lines: atoms });
      }
    }
  });
});
