import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { loadFonts, type FontKey } from '../../src/pdf/fonts';
import { reuseSubsetGlyphs, subsetEncoder } from '../../src/pdf/pdfkit-fixes';
import { prng, SEED } from '../helpers/random';

/**
 * srq encodes a TrueType subset's font program itself (pdfkit-fixes.ts encodeSubset) once it has
 * seen fontkit encode one subset of the font the same way (issue 15). The oracle is fontkit:
 * every subset srq encodes must be the bytes fontkit's own `TTFSubset.encode` writes for the
 * same glyphs, composite glyphs (whose components join the subset) included.
 */

interface Subset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}

const fonts = loadFonts();

/** A subset of `font` holding `glyphs` in that order, srq's or fontkit's alone. */
function subsetOf(font: fontkit.Font, glyphs: number[], srq: boolean): Subset {
  const s = (font as unknown as { createSubset(): Subset }).createSubset();
  if (srq) reuseSubsetGlyphs(s, font);
  for (const g of glyphs) s.includeGlyph(g);
  return s;
}

/** Glyph ids of `text` as fontkit lays it out (accented letters are composites in DejaVu). */
const glyphsOf = (font: fontkit.Font, text: string) => font.layout(text).glyphs.map((g) => g.id);

test.each(Object.keys(fonts) as FontKey[])(
  "the %s face's subsets are fontkit's bytes once srq encodes them",
  (key) => {
    const font = fonts[key];
    const rand = prng(SEED);
    const numGlyphs = (font as unknown as { numGlyphs: number }).numGlyphs;
    // The first subset in the process is fontkit's, and teaches srq the font's shared tables.
    const first = glyphsOf(font, 'Security statement: Ŵales, Ærø, café, naïve, 2026.');
    const learnt = subsetOf(font, first, true).encode();
    expect(Buffer.from(learnt).equals(Buffer.from(subsetOf(font, first, false).encode()))).toBe(
      true,
    );
    expect(subsetEncoder(font)).toBe('srq');
    const cases: number[][] = [
      [],
      first,
      glyphsOf(font, 'ŵŷ àéîõü ÀÉÎÕÜ ǅ ǻ ḉ ṩ — “quoted” ﬁ ﬂ'),
      glyphsOf(font, 'The quick brown fox jumps over the lazy dog 0123456789'),
    ];
    for (let n = 0; n < 12; n++) {
      const size = 1 + Math.floor(rand() * 400);
      const ids: number[] = [];
      for (let i = 0; i < size; i++) ids.push(1 + Math.floor(rand() * (numGlyphs - 1)));
      cases.push(ids);
    }
    for (const glyphs of cases) {
      const ours = Buffer.from(subsetOf(font, glyphs, true).encode());
      const theirs = Buffer.from(subsetOf(font, glyphs, false).encode());
      expect(ours.length).toBe(theirs.length);
      expect(ours.equals(theirs)).toBe(true);
    }
    expect(subsetEncoder(font)).toBe('srq');
  },
);

test('a face with 16-bit glyph offsets (loca format 0) is encoded as fontkit encodes it', () => {
  // DejaVu's faces use 32-bit offsets; a copy of the regular face read as format 0 gives the
  // other path (fontkit halves each offset into 16 bits, as the format says).
  const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const font = fontkit.create(fs.readFileSync(path.join(dir, 'DejaVuSans.ttf'))) as fontkit.Font;
  (font as unknown as { loca: { version: number } }).loca.version = 0;
  const first = glyphsOf(font, 'Short offsets: café, ŵ.');
  expect(Buffer.from(subsetOf(font, first, true).encode())).toEqual(
    Buffer.from(subsetOf(font, first, false).encode()),
  );
  expect(subsetEncoder(font)).toBe('srq');
  for (const text of ['The quick brown fox 0123456789', 'ŵŷ àéîõü ÀÉÎÕÜ ǻ ḉ ṩ “quoted”']) {
    const glyphs = glyphsOf(font, text);
    const ours = Buffer.from(subsetOf(font, glyphs, true).encode());
    expect(ours.equals(Buffer.from(subsetOf(font, glyphs, false).encode()))).toBe(true);
  }
});
