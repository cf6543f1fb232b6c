import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { CheckError, IoError } from '../errors';
import { readFileChecked, shownPath } from '../fsx';
import { fixMarkAttachment, fixUnshapeable } from './fontkit-fixes';
import { deferPostNames } from './lazy-post';
import { storedShape, storeShape, unitsOf } from './shape-cache';

/** The embedded faces. Text is set in DejaVu Sans: wide Unicode coverage, freely embeddable. */
export type FontKey = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

export type FontSet = Record<FontKey, fontkit.Font>;

/** Font files that replace some of the faces: absolute paths by face. */
export type FontFiles = Partial<Record<FontKey, string>>;

const FILES: Record<FontKey, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

/** A template set's `fonts/` folder: these names (any case), with one of FONT_EXTENSIONS. */
export const FONT_FACE_NAMES: Record<string, FontKey> = {
  regular: 'regular',
  bold: 'bold',
  italic: 'italic',
  'bold-italic': 'boldItalic',
  mono: 'mono',
};
export const FONT_EXTENSIONS = ['.ttf', '.otf'];
/** Other font formats: refused with a hint rather than ignored, so a mistake is not silent. */
const OTHER_FONT_EXTENSIONS = ['.ttc', '.otc', '.woff', '.woff2', '.dfont', '.pfb', '.pfa', '.afm'];
/** Largest font file srq reads: big CJK fonts are 20-30 MB. */
export const MAX_FONT_BYTES = 64 * 1024 * 1024;

const FACE_HINT = 'name the files regular, bold, italic, bold-italic or mono, each .ttf or .otf';

/** The folder of a template set's own fonts. */
export const FONTS_FOLDER = 'fonts';

/**
 * The font files in a template set's `fonts/` folder, by face; none when there is no such folder.
 * Files that are not fonts (a licence, a readme) are left alone; a font file with another name
 * or format is an error, so a typo never silently falls back to DejaVu.
 */
export function fontFilesIn(templateSetDir: string): FontFiles {
  const dir = path.join(templateSetDir, FONTS_FOLDER);
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st) return {};
  if (!st.isDirectory()) {
    throw new IoError(
      `${shownPath(dir)}: not a folder (a template set's fonts go in a folder named fonts; ${FACE_HINT})`,
    );
  }
  const files: FontFiles = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const ext = path.extname(name).toLowerCase();
    const shown = shownPath(path.join(dir, name));
    if (OTHER_FONT_EXTENSIONS.includes(ext)) {
      throw new CheckError(
        `${shown}: ${ext.slice(1).toUpperCase()} fonts are not supported (convert it to a .ttf or .otf file)`,
      );
    }
    if (!FONT_EXTENSIONS.includes(ext)) continue;
    const key = FONT_FACE_NAMES[name.slice(0, -ext.length).toLowerCase()];
    if (!key) throw new CheckError(`${shown}: not a face srq knows (${FACE_HINT})`);
    if (files[key]) {
      throw new CheckError(
        `${shown}: a second file for the ${name.slice(0, -ext.length)} face, after ${path.basename(files[key])} (keep one of them)`,
      );
    }
    files[key] = path.join(dir, name);
  }
  return files;
}

const fileCache = new Map<string, fontkit.Font>();

/**
 * A TrueType or OpenType font file, parsed and checked once per process (cached by absolute
 * path). Errors are one line naming the file: IoError when it cannot be read, CheckError when it
 * is not a usable font.
 */
export function loadFontFile(file: string): fontkit.Font {
  const abs = path.resolve(file);
  const hit = fileCache.get(abs);
  if (hit) return hit;
  const shown = shownPath(abs);
  if (!fs.existsSync(abs) && fs.lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new IoError(
      `${shown}: a link to a font file that does not exist (copy the font file itself into the folder)`,
    );
  }
  const data = readFileChecked(abs, MAX_FONT_BYTES);
  const magic = data.toString('latin1', 0, 4);
  if (magic === 'ttcf') {
    throw new CheckError(
      `${shown}: a font collection (.ttc), not a single font (extract the one face you want as .ttf or .otf)`,
    );
  }
  if (magic === 'wOFF' || magic === 'wOF2') {
    throw new CheckError(
      `${shown}: a web font (${magic === 'wOFF' ? 'WOFF' : 'WOFF2'}), not supported (convert it to .ttf or .otf)`,
    );
  }
  if (!(data.length >= 12 && ['\0\x01\0\0', 'true', 'OTTO'].includes(magic))) {
    throw new CheckError(
      `${shown}: not a TrueType or OpenType font (use a .ttf or .otf font file)`,
    );
  }
  const damaged = sfntProblem(data);
  if (damaged) {
    throw new CheckError(
      `${shown}: the font file is damaged or incomplete: ${damaged} (use another copy of the font)`,
    );
  }
  let font: fontkit.Font;
  try {
    const parsed = fontkit.create(data);
    if ('fonts' in parsed) throw new Error('a collection');
    font = parsed;
    // NOTE: fontkit reads tables lazily; touch the ones layout needs so damage shows here.
    if (!(font.unitsPerEm > 0)) throw new Error('no units per em');
    if (!font.postscriptName || !(font.ascent > 0)) throw new Error('no name or metrics');
    font.hasGlyphForCodePoint(0x41);
    fixMarkAttachment(font);
    fixUnshapeable(font);
    font.layout('Aa 1');
  } catch (err) {
    throw new CheckError(
      `${shown}: the font file is damaged or incomplete (use another copy of the font, or a .ttf or .otf file that opens in a font viewer)`,
      [],
      { cause: err },
    );
  }
  fileCache.set(abs, font);
  return font;
}

/** Tables pdfkit needs to measure and embed a font; plus glyf+loca (TrueType) or CFF (OpenType). */
const REQUIRED_TABLES = ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'post'];

/** What is wrong with an sfnt's table directory (a truncated or cut-together file), if anything. */
function sfntProblem(data: Buffer): string | undefined {
  const count = data.readUInt16BE(4);
  if (12 + count * 16 > data.length) return 'its table directory is cut short';
  const tables = new Set<string>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = data.toString('latin1', at, at + 4);
    const offset = data.readUInt32BE(at + 8);
    const length = data.readUInt32BE(at + 12);
    if (offset + length > data.length)
      return `its ${tag.trim()} table runs past the end of the file`;
    tables.add(tag);
  }
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (!(tables.has('glyf') && tables.has('loca')) && !tables.has('CFF ') && !tables.has('CFF2'))
    missing.push('glyf or CFF');
  return missing.length ? `it has no ${missing.join(', ')} table` : undefined;
}

let builtIn: FontSet | undefined;
const setCache = new Map<string, FontSet>();

/**
 * The fonts: DejaVu, with any faces `files` names replaced (a template set's own fonts, see
 * `fontFilesIn`). Parsed once per process. NOTE: pdfkit re-parses a font given as a path or
 * buffer for every document (pdf-notes: 4-6x slower); a fontkit Font object is reused as is.
 */
export function loadFonts(files: FontFiles = {}): FontSet {
  if (!builtIn) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const set = {} as FontSet;
    for (const key of Object.keys(FILES) as FontKey[]) {
      const font = fontkit.create(fs.readFileSync(path.join(dir, FILES[key])));
      if ('fonts' in font)
        throw new Error(`${FILES[key]}: expected a single font, got a collection`);
      deferPostNames(font);
      fixMarkAttachment(font);
      fixUnshapeable(font);
      set[key] = font;
    }
    builtIn = set;
  }
  const keys = (Object.keys(files) as FontKey[]).filter((k) => files[k]).sort();
  if (!keys.length) return builtIn;
  const id = keys.map((k) => `${k}=${path.resolve(files[k]!)}`).join('\n');
  const hit = setCache.get(id);
  if (hit) return hit;
  const set: FontSet = { ...builtIn };
  for (const k of keys) set[k] = loadFontFile(files[k]!);
  setCache.set(id, set);
  return set;
}

/**
 * Shaped text: its glyphs, and per glyph five numbers in 1/1000 em (`metrics`, read with the
 * offsets below), and its advance. Must not be changed by callers: it is shared.
 * NOTE: the numbers are one array, not an object per glyph (pdfkit's `layoutRun` form, which
 * `pdfkitRun` gives for pdfkit's own code): 1000/2048 em makes every value a double, and V8 boxes
 * a double held in an object's field. The startup snapshot's heap held the example's 3,200
 * shaped words as 11,400 position objects and 57,000 boxed numbers, a quarter of its objects,
 * each one restored in every cold build; an array of numbers keeps them unboxed in one block.
 */
export interface ShapedRun {
  glyphs: fontkit.Glyph[];
  /** METRICS numbers per glyph: xAdvance, yAdvance, xOffset, yOffset, advanceWidth. */
  metrics: number[];
  advanceWidth: number;
  /**
   * How the document being drawn encodes it (draw-text.ts), for that document's font subset.
   * NOTE: kept on the run rather than in a WeakMap: looked up for every word drawn.
   */
  encoded?: unknown;
}

/** Numbers per glyph in `ShapedRun.metrics`, and where each one is. */
export const METRICS = 5;
export const X_ADVANCE = 0;
export const Y_ADVANCE = 1;
export const X_OFFSET = 2;
export const Y_OFFSET = 3;
/** The glyph's own width: the advance differs from it when the glyph is kerned. */
export const WIDTH = 4;

/** A glyph's position in pdfkit's form (`EmbeddedFont.layoutRun`), in 1/1000 em. */
export interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

/** The position of glyph `i` of `run`. */
export function positionOf(run: ShapedRun, i: number): GlyphPosition {
  const m = run.metrics;
  const k = i * METRICS;
  return {
    xAdvance: m[k + X_ADVANCE],
    yAdvance: m[k + Y_ADVANCE],
    xOffset: m[k + X_OFFSET],
    yOffset: m[k + Y_OFFSET],
    advanceWidth: m[k + WIDTH],
  };
}

const pdfkitRuns = new WeakMap<
  ShapedRun,
  { glyphs: fontkit.Glyph[]; positions: GlyphPosition[]; advanceWidth: number }
>();

/**
 * A shaped run in pdfkit's form, for pdfkit's own text code (`layoutCached`: links' widths,
 * right-to-left glyphs): made once per run.
 */
export function pdfkitRun(run: ShapedRun): {
  glyphs: fontkit.Glyph[];
  positions: GlyphPosition[];
  advanceWidth: number;
} {
  let r = pdfkitRuns.get(run);
  if (!r) {
    const positions = run.glyphs.map((_, i) => positionOf(run, i));
    pdfkitRuns.set(run, (r = { glyphs: run.glyphs, positions, advanceWidth: run.advanceWidth }));
  }
  return r;
}

const shapeCache = new WeakMap<fontkit.Font, Map<string, ShapedRun>>();
/** The last font's cache: most calls ask for the font the one before asked for (issue 15). */
let lastFont: fontkit.Font | undefined;
let lastCache: Map<string, ShapedRun> | undefined;

/**
 * Shapes `text` with fontkit once per process and font. The layout measures with it and pdfkit
 * draws with it (render.ts routes pdfkit's word cache here). NOTE: both used to shape every word
 * on their own, and shaping (GSUB/GPOS lookups) was the largest single cost of a cold build.
 * pdfkit asks for words with their trailing space ("word "): that is "word" then " ", which is
 * also how the layout measured it.
 */
export function shapeText(font: fontkit.Font, text: string): ShapedRun {
  let cache = font === lastFont ? lastCache : shapeCache.get(font);
  if (!cache) shapeCache.set(font, (cache = new Map<string, ShapedRun>()));
  lastFont = font;
  lastCache = cache;
  let run = cache.get(text);
  if (run) return run;
  if (text.length > 1 && text.endsWith(' ')) {
    const word = shapeText(font, text.slice(0, -1));
    const space = shapeText(font, ' ');
    run = {
      glyphs: word.glyphs.concat(space.glyphs),
      metrics: word.metrics.concat(space.metrics),
      advanceWidth: word.advanceWidth + space.advanceWidth,
      encoded: undefined,
    };
  } else {
    // NOTE: shape-cache.ts keeps fontkit's results between runs (a cold process shaping every
    // word anew was the largest cost of a cold build).
    let shaped = storedShape(font, text);
    if (!shaped) {
      const laid = font.layout(text);
      shaped = { glyphs: laid.glyphs, units: unitsOf(laid.positions) };
      storeShape(font, text, shaped);
    }
    const { glyphs, units } = shaped;
    const scale = 1000 / font.unitsPerEm;
    let advanceWidth = 0;
    const metrics: number[] = [];
    for (let i = 0, u = 0; i < glyphs.length; i++, u += 4) {
      const xAdvance = units[u] * scale;
      advanceWidth += xAdvance;
      // In METRICS order: xAdvance, yAdvance, xOffset, yOffset, advanceWidth.
      metrics.push(
        xAdvance,
        units[u + 1] * scale,
        units[u + 2] * scale,
        units[u + 3] * scale,
        glyphs[i].advanceWidth * scale,
      );
    }
    run = { glyphs, metrics, advanceWidth, encoded: undefined };
  }
  // NOTE: bounded so a huge document cannot grow the cache without limit.
  if (cache.size > 100_000) cache.clear();
  cache.set(text, run);
  return run;
}

/**
 * Forgets fontkit's glyph objects of `font` other than those in `keep`, and every shaped run that
 * holds one (the others forget how a document encoded them). NOTE: fontkit keeps one glyph
 * object per id with the code points of its first use in the process, and the next document's
 * ToUnicode map reads them (`ﬂ` drawn after a ligated "fl"
 * maps to "fl"). For srq's startup snapshot (src/cli/snapshot.ts): after its warm-up builds, only
 * glyphs that any first use would give the same code points are kept, so the first real
 * document maps its glyphs to text as a fresh process does.
 */
export function forgetGlyphs(font: fontkit.Font, keep: ReadonlySet<fontkit.Glyph>): void {
  const glyphs = (font as unknown as { _glyphs?: Record<string, fontkit.Glyph> })._glyphs;
  if (glyphs) for (const id of Object.keys(glyphs)) if (!keep.has(glyphs[id])) delete glyphs[id];
  const runs = shapeCache.get(font);
  if (!runs) return;
  for (const [text, run] of runs) {
    if (run.glyphs.some((g) => !keep.has(g))) runs.delete(text);
    // How the warm-up's documents encoded it: no later document uses their subsets.
    else run.encoded = undefined;
  }
}

/**
 * Advance width in points of `text` set in `font` at `size`. Measure words and spaces apart:
 * pdfkit shapes text word by word too, so sums of these match what it draws.
 */
export function textWidth(
  fonts: FontSet,
  text: string,
  { font, size }: { font: FontKey; size: number },
): number {
  return (shapeText(fonts[font], text).advanceWidth * size) / 1000;
}

/**
 * Text as pdfkit should draw it. pdfkit draws a control character as the font's .notdef box, so
 * the whitespace controls become spaces and the others (NUL, ESC, DEL…) are left out.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\t\v\f\r]/g, ' ').replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '');
}

/** Whether `font` draws `cp`, for the coverage warnings. */
function covers(font: fontkit.Font, cp: number): boolean {
  // Controls are not drawn (`printable`) and joiners draw nothing, so they need no glyph.
  // NOTE: whitespace does: U+3000 and others without a glyph print as boxes.
  return (
    cp < 0x20 || cp === 0x7f || cp === 0xfe0f || cp === 0x200d || font.hasGlyphForCodePoint(cp)
  );
}

/**
 * Per font, what `covers` said of each code point asked about: for the Basic Multilingual
 * Plane one byte each (0 not asked, 1 drawn, 2 not), above it a map. NOTE: the layout asks for
 * every line it draws; a Map lookup per character (and a string per character from the string
 * iterator) cost a cold build of the example ~7 ms.
 */
const coverage = new WeakMap<fontkit.Font, { bmp: Uint8Array; astral: Map<number, boolean> }>();

/** Characters of `text` that `font` cannot draw (controls aside), in order, once each. */
export function uncoveredChars(font: fontkit.Font, text: string): string[] {
  let known = coverage.get(font);
  if (!known) coverage.set(font, (known = { bmp: new Uint8Array(0x10000), astral: new Map() }));
  const { bmp, astral } = known;
  let missing: string[] | undefined;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    let has: boolean;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (cp < 0x10000) {
      const k = bmp[cp];
      if (k === 1) continue;
      if (k === 0) {
        has = covers(font, cp);
        bmp[cp] = has ? 1 : 2;
      } else has = false;
    } else {
      let h = astral.get(cp);
      if (h === undefined) astral.set(cp, (h = covers(font, cp)));
      has = h;
    }
    if (!has) {
      // A lone surrogate stands for itself, as the string iterator gives it.
      const ch = String.fromCodePoint(cp);
      if (!(missing ??= []).includes(ch)) missing.push(ch);
    }
  }
  return missing ?? [];
}

/** "U+1F600 😀"; "U+0085" for a control character. */
export function describeChar(ch: string): string {
  const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  // NOTE: a control character (U+0085…) is named, never printed: warnings go to a terminal.
  return /\p{Cc}/u.test(ch) ? `U+${hex}` : `U+${hex} ${ch}`;
}
