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

describe('fontkit mark attachment (src/pdf/fontkit-fixes.ts fixMarkAttachment)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('fontkit') as { create(b: Buffer): unknown };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  const mono = path.join(path.dirname(FONT), 'DejaVuSansMono.ttf');

  it('_layoutEngine.engine.GPOSProcessor has the fixMarkAttachment the fix replaces, still unfixed', () => {
    const raw = fontkit.create(fs.readFileSync(mono)) as {
      _layoutEngine: { engine: { GPOSProcessor: object } };
    };
    const proto = Object.getPrototypeOf(raw._layoutEngine.engine.GPOSProcessor) as {
      fixMarkAttachment?: unknown;
    };
    expect(typeof proto.fixMarkAttachment).toBe('function');
    // fontkit's own method, as shipped: it counts the advance of each glyph between a mark and
    // its base (the mark's own, right to left) before the shaper zeroes the marks' advances.
    const shipped = fs.readFileSync(require.resolve('fontkit'), 'utf8');
    const own = shipped.slice(shipped.indexOf('    fixMarkAttachment() {'));
    expect(own.slice(0, 900)).toMatch(
      /if \(this\.direction === 'ltr'\) for\(let k = j; k < i; k\+\+\)\{\s*this\.positions\[i\]\.xOffset -= this\.positions\[k\]\.xAdvance;[\s\S]*else for\(let k = j \+ 1; k < i \+ 1; k\+\+\)\{\s*this\.positions\[i\]\.xOffset \+= this\.positions\[k\]\.xAdvance;/,
    );
    // After any font is loaded, the prototype every font shares holds srq's version.
    loadFontFile(mono);
    expect(String(proto.fixMarkAttachment)).toMatch(/zeroed/);
  });

  it('the shaper says when marks lose their advance (zeroMarkWidths) and glyph infos say isMark', () => {
    const font = loadFontFile(mono) as unknown as {
      _layoutEngine: { engine: { shaper?: unknown; GPOSProcessor: { glyphs?: unknown } } };
      layout(s: string): { positions: { xOffset: number; xAdvance: number }[] };
    };
    const engine = font._layoutEngine.engine;
    const seen: { zero?: string; marks?: boolean[] } = {};
    const proto = Object.getPrototypeOf(engine.GPOSProcessor) as {
      fixMarkAttachment(this: unknown): void;
    };
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own this below
    const fix = proto.fixMarkAttachment;
    proto.fixMarkAttachment = function (this: { glyphs: { isMark: boolean }[] }) {
      seen.zero = (engine.shaper as { zeroMarkWidths?: string } | undefined)?.zeroMarkWidths;
      seen.marks = this.glyphs.map((g) => g.isMark);
      fix.call(this);
    };
    try {
      const run = font.layout('بً');
      // Logical order in GPOS (beh, mark); drawn right to left (mark, beh); mark on its letter.
      expect(seen).toEqual({ zero: 'AFTER_GPOS', marks: [false, true] });
      expect(run.positions[0]).toMatchObject({ xAdvance: 0, xOffset: 7 });
    } finally {
      proto.fixMarkAttachment = fix;
    }
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
