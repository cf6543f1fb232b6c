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
