import { loadFonts, positionOf, shapeText } from '../../src/pdf/fonts';

/**
 * Where an attached mark is drawn (src/pdf/fontkit-fixes.ts). Pens and ink in 1/1000 em, in
 * drawing order: the pen moves by each glyph's advance, a glyph's ink is its bounding box moved
 * by its offset. Expected values are worked out by hand from DejaVu's own glyph boxes.
 */
function ink(font: ReturnType<typeof loadFonts>['mono'], text: string) {
  const run = shapeText(font, text);
  const scale = 1000 / font.unitsPerEm;
  let pen = 0;
  return run.glyphs.map((glyph, i) => {
    const g = glyph as unknown as { name: string; bbox: { minX: number; maxX: number } };
    const p = positionOf(run, i);
    const at = {
      name: g.name,
      pen,
      advance: p.xAdvance,
      from: pen + p.xOffset + g.bbox.minX * scale,
      to: pen + p.xOffset + g.bbox.maxX * scale,
    };
    pen += p.xAdvance;
    return at;
  });
}

const fonts = loadFonts();

test('DejaVu Sans Mono: an Arabic mark sits over its letter, not a letter width to its right', () => {
  // بً: beh with fathatan. Right to left, so the mark comes first in drawing order.
  const [mark, beh] = ink(fonts.mono, 'بً');
  expect([mark.name, beh.name]).toEqual(['uni064B', 'uni0628']);
  expect(mark.advance).toBe(0);
  // The mark's ink (158-443) lies inside the letter's cell (0-602); fontkit alone put it at
  // 764-1048, past the cell and, at a line's end, past the margin.
  expect(mark.from).toBeGreaterThanOrEqual(beh.pen);
  expect(mark.to).toBeLessThanOrEqual(beh.pen + beh.advance);
  // Two marks on one letter: both over it.
  for (const m of ink(fonts.mono, 'بًّ').slice(0, 2)) {
    expect(m.from).toBeGreaterThanOrEqual(0);
    expect(m.to).toBeLessThanOrEqual(602.1);
  }
});

test('fonts whose marks have no advance of their own place them as before', () => {
  // DejaVu Sans: the mark's offset is its anchor's alone (388 units of 2048), as fontkit gave it.
  const run = shapeText(fonts.regular, 'بً');
  expect(run.glyphs.map((_, i) => Math.round(positionOf(run, i).xOffset * 100) / 100)).toEqual([
    189.45, 0,
  ]);
  // Latin combining marks (left to right) in both faces: unchanged, over their letter.
  const [e, acute] = ink(fonts.mono, 'e\u0301');
  expect(acute.from).toBeGreaterThanOrEqual(e.pen);
  expect(acute.to).toBeLessThanOrEqual(e.pen + e.advance);
});
