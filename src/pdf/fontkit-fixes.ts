import type * as fontkit from 'fontkit';

/** The parts of fontkit's GPOS processor (not exported by fontkit) that the fix below uses. */
interface GposProcessor {
  glyphs: { isMark: boolean; markAttachment?: number | null }[];
  positions: { xOffset: number; yOffset: number; xAdvance: number; yAdvance: number }[];
  direction: 'ltr' | 'rtl';
  font: { _layoutEngine?: { engine?: { shaper?: { zeroMarkWidths?: string } } } };
  fixMarkAttachment(): void;
}

const patched = new WeakSet<object>();

/**
 * Makes fontkit place an attached mark as HarfBuzz does. fontkit works out a mark's offset from
 * its base (GPOS mark-to-base, mark-to-mark) from the advances of the glyphs between them before
 * its shaper zeroes the marks' advances (the default and Arabic shapers zero them after GPOS).
 * A mark whose glyph has an advance of its own, as DejaVu Sans Mono's Arabic and Hebrew marks
 * do, so ended up that advance away from its base: in a right-to-left run a glyph's width to the
 * right of it, and past the right margin at the end of a line (found by the fuzz, seed
 * -1932481542 path 3). HarfBuzz moves attached marks after zeroing; here a mark that the shaper
 * zeroes counts as zero wide. Marks with no advance of their own (DejaVu Sans, Serif) and
 * shapers that keep mark advances (Hangul, Indic) come out as before.
 *
 * The processor class is fontkit's own (not exported): it is reached through a font's layout
 * engine, and its prototype is patched once for every font.
 */
export function fixMarkAttachment(font: fontkit.Font): void {
  const engine = (font as unknown as { _layoutEngine?: { engine?: { GPOSProcessor?: object } } })
    ._layoutEngine?.engine;
  const gpos = engine?.GPOSProcessor;
  if (!gpos) return;
  const proto = Object.getPrototypeOf(gpos) as Partial<GposProcessor>;
  if (patched.has(proto) || typeof proto.fixMarkAttachment !== 'function') return;
  patched.add(proto);
  proto.fixMarkAttachment = function fixMarkAttachment(this: GposProcessor): void {
    const zeroing = this.font._layoutEngine?.engine?.shaper?.zeroMarkWidths;
    const zeroed = (k: number) =>
      zeroing !== undefined && zeroing !== 'NONE' && this.glyphs[k].isMark;
    const dx = (k: number) => (zeroed(k) ? 0 : this.positions[k].xAdvance);
    const dy = (k: number) => (zeroed(k) ? 0 : this.positions[k].yAdvance);
    for (let i = 0; i < this.glyphs.length; i++) {
      const j = this.glyphs[i].markAttachment;
      if (j == null) continue;
      const at = this.positions[i];
      at.xOffset += this.positions[j].xOffset;
      at.yOffset += this.positions[j].yOffset;
      if (this.direction === 'ltr') {
        for (let k = j; k < i; k++) {
          at.xOffset -= dx(k);
          at.yOffset -= dy(k);
        }
      } else {
        for (let k = j + 1; k < i + 1; k++) {
          at.xOffset += dx(k);
          at.yOffset += dy(k);
        }
      }
    }
  };
}

type Layout = (this: fontkit.Font, text: string, ...rest: unknown[]) => fontkit.GlyphRun;

/**
 * Keeps fontkit's shaping from throwing on text its Universal Shaping Engine cannot segment.
 * fontkit 2.0.4's UniversalShaper reads a null syllable for a zero-width joiner before a letter
 * of a script it shapes (Tifinagh "\u200d\u2d5f", found by the fuzz, seed -1040148506): a
 * TypeError from deep in fontkit that stopped the build. Such a run is shaped again with the
 * default shaper (script "latn": cmap, GSUB ligatures and GPOS kerning and marks, none of the
 * script's reordering), so every character is still drawn and extracted; any other error, or
 * one with a script given, is fontkit's as before. Patched once, on the font class's prototype.
 */
export function fixUnshapeable(font: fontkit.Font): void {
  const proto = Object.getPrototypeOf(font) as { layout?: Layout };
  if (patched.has(proto) || typeof proto.layout !== 'function') return;
  patched.add(proto);
  const layout = proto.layout;
  proto.layout = function safeLayout(this: fontkit.Font, text, ...rest) {
    try {
      return layout.call(this, text, ...rest);
    } catch (err) {
      const [features, script, ...more] = rest;
      if (script !== undefined || !(err instanceof TypeError)) throw err;
      return layout.call(this, text, features, 'latn', ...more);
    }
  };
}
