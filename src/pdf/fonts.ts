import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';

/** The embedded faces. Text is set in DejaVu Sans: wide Unicode coverage, freely embeddable. */
export type FontKey = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

export type FontSet = Record<FontKey, fontkit.Font>;

const FILES: Record<FontKey, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

let cached: FontSet | undefined;

/**
 * The fonts, parsed once per process. NOTE: pdfkit re-parses a font given as a path or buffer
 * for every document (pdf-notes: 4-6x slower); a fontkit Font object is reused as is.
 */
export function loadFonts(): FontSet {
  if (cached) return cached;
  const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const set = {} as FontSet;
  for (const key of Object.keys(FILES) as FontKey[]) {
    const font = fontkit.create(fs.readFileSync(path.join(dir, FILES[key])));
    if ('fonts' in font) throw new Error(`${FILES[key]}: expected a single font, got a collection`);
    set[key] = font;
  }
  cached = set;
  return set;
}

const widthCache = new WeakMap<fontkit.Font, Map<string, number>>();

/**
 * Advance width in points of `text` set in `font` at `size`. Measure words and spaces apart:
 * pdfkit shapes text word by word too, so sums of these match what it draws.
 */
export function textWidth(fonts: FontSet, key: FontKey, text: string, size: number): number {
  const font = fonts[key];
  let cache = widthCache.get(font);
  if (!cache) widthCache.set(font, (cache = new Map<string, number>()));
  let units = cache.get(text);
  if (units === undefined) {
    units = (font.layout(text).advanceWidth * 1000) / font.unitsPerEm;
    // NOTE: bounded so a huge document cannot grow the cache without limit.
    if (cache.size > 100_000) cache.clear();
    cache.set(text, units);
  }
  return (units * size) / 1000;
}

/** Characters of `text` that `font` cannot draw (whitespace and controls aside), in order, once each. */
const coverage = new WeakMap<fontkit.Font, Map<number, boolean>>();

export function uncoveredChars(font: fontkit.Font, text: string): string[] {
  let known = coverage.get(font);
  if (!known) coverage.set(font, (known = new Map<number, boolean>()));
  const missing: string[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let has = known.get(cp);
    if (has === undefined) {
      // Whitespace, controls and joiners draw nothing, so they need no glyph.
      has =
        cp < 0x20 ||
        cp === 0x7f ||
        /\s/u.test(ch) ||
        cp === 0xfe0f ||
        cp === 0x200d ||
        font.hasGlyphForCodePoint(cp);
      known.set(cp, has);
    }
    if (!has && !missing.includes(ch)) missing.push(ch);
  }
  return missing;
}

/** "U+1F600 😀" */
export function describeChar(ch: string): string {
  const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} ${ch}`;
}
