import path from 'node:path';
import { loadFontFile } from '../../src/pdf/fonts';

/**
 * fontkit's glyph cache, which src/pdf/render.ts trims (`_glyphs`, forgetGlyphsWithoutText): a
 * map of glyph id → glyph holding the code points of the glyph's first use. Pinned exactly.
 */

const FONT = path.join(
  path.dirname(require.resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans.ttf',
);

describe('fontkit internals (package.json pins fontkit exactly)', () => {
  it('_glyphs caches laid-out glyphs by id, with their code points', () => {
    const font = loadFontFile(FONT) as unknown as {
      layout: (s: string) => { glyphs: { id: number }[] };
      _glyphs: Record<string, { codePoints?: number[] }>;
    };
    const run = font.layout('a');
    const id = run.glyphs[0].id;
    expect(typeof font._glyphs).toBe('object');
    expect(font._glyphs[id]?.codePoints).toEqual([0x61]);
    // Deleting an entry is how render.ts forgets a glyph: the next layout makes it again.
    delete font._glyphs[id];
    font.layout('a');
    expect(font._glyphs[id]?.codePoints).toEqual([0x61]);
  });
});
