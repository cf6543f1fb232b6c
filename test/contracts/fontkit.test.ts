import path from 'node:path';
import { loadFontFile } from '../../src/pdf/fonts';
import { reuseSubsetGlyphs } from '../../src/pdf/pdfkit-fixes';

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

  it('_tables holds decoded tables and is read before decoding; _decodeTable decodes one', () => {
    // src/pdf/lazy-post.ts seeds _tables.post and decodes the real table with _decodeTable.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fontkit = require('fontkit') as { create(b: Buffer): unknown };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const font = fontkit.create(fs.readFileSync(FONT)) as {
      _tables: Record<string, unknown>;
      _decodeTable(t: unknown): { italicAngle: number; glyphNameIndex: number[] };
      directory: { tables: Record<string, unknown> };
      post: unknown;
      stream: { pos: number };
    };
    const seeded = { italicAngle: 42 };
    font._tables.post = seeded;
    expect(font.post).toBe(seeded);
    const pos = font.stream.pos;
    const real = font._decodeTable(font.directory.tables.post);
    expect(real.italicAngle).toBe(0);
    expect(real.glyphNameIndex.length).toBeGreaterThan(1000);
    expect(font.stream.pos).toBe(pos);
  });
});

describe('fontkit TrueType subsets (src/pdf/pdfkit-fixes.ts reuseSubsetGlyphs)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('fontkit') as { create(b: Buffer): unknown };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  type Font = {
    layout(s: string): { glyphs: { id: number }[] };
    createSubset(): { includeGlyph(g: number): number; encode(): Uint8Array; _addGlyph: unknown };
    getGlyph(g: number): {
      _decode(): { numberOfContours: number } | null;
      _getMetrics(): { leftBearing: number };
    };
    _variationProcessor?: unknown;
  };
  const encode = (font: Font, ids: number[], reuse: boolean) => {
    const subset = font.createSubset();
    if (reuse) reuseSubsetGlyphs(subset, font as unknown as import('fontkit').Font);
    for (const id of ids) subset.includeGlyph(id);
    return Buffer.from(subset.encode());
  };

  it('_addGlyph: copying glyphs read once gives fontkit’s bytes, composite glyphs renumbered', () => {
    const font = fontkit.create(fs.readFileSync(FONT)) as Font;
    // Accented capitals and ligatures are composite glyphs in DejaVu Sans.
    const ids = font.layout('Été à Ångström, ǅ ŷ Ḉ 1/2 ½ fi ﬁ Žižek').glyphs.map((g) => g.id);
    const composites = ids.filter((id) => (font.getGlyph(id)._decode()?.numberOfContours ?? 0) < 0);
    expect(composites.length).toBeGreaterThan(4);
    // The members reuseSubsetGlyphs reads: a static font has no _variationProcessor; a glyph's
    // _getMetrics gives its left side bearing (the subset's hmtx copies it).
    expect(font._variationProcessor ?? null).toBeNull();
    expect(typeof font.getGlyph(ids[0])._getMetrics().leftBearing).toBe('number');
    const fresh = fontkit.create(fs.readFileSync(FONT)) as Font;
    expect(encode(font, ids, true).equals(encode(fresh, ids, false))).toBe(true);
    // Again in another order, from the glyphs already read (the next document's subset).
    const reversed = [...ids].reverse();
    const subset = font.createSubset();
    reuseSubsetGlyphs(subset, font as unknown as import('fontkit').Font);
    const proto = Object.getPrototypeOf(subset) as { _addGlyph: unknown };
    expect(subset._addGlyph).not.toBe(proto._addGlyph);
    expect(encode(font, reversed, true).equals(encode(fresh, reversed, false))).toBe(true);
  });
});
