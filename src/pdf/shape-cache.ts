import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as fontkit from 'fontkit';
import { writeFileAtomic } from '../fsx';
import { PACKAGE_ROOT } from '../paths';

/**
 * A cache on disk of what fontkit's shaping (GSUB/GPOS) made of each word, kept between runs and
 * keyed by a hash of the font's bytes, so a new process does not shape again the words of the
 * statement it built yesterday. NOTE: shaping every distinct word cold (fontkit's JavaScript
 * OpenType code, before V8 has optimised it) was the largest single cost of a cold build.
 *
 * A stored word is fontkit's own result (glyph ids, the characters each glyph stands for, the
 * positions in font units), replayed through `font.getGlyph` exactly as fontkit's layout ends,
 * so a document is byte-for-byte the same with the cache, without it, or with a partly filled one.
 * The cache is only ever an optimisation: unreadable, damaged, of another format or unwritable
 * means shaping as before. SRQ_SHAPE_CACHE=0 turns it off; SRQ_CACHE_DIR moves it (default
 * dist/.cache in the package).
 */

/** One word as fontkit shaped it: per glyph its id, its characters and its position. */
export interface StoredShape {
  /** glyph ids */
  g: number[];
  /** the code points each glyph stands for */
  c: number[][];
  /** xAdvance, yAdvance, xOffset, yOffset per glyph, in font units, flattened */
  p: number[];
}

/** Bumped when StoredShape or what it means changes. */
// 4: marks placed as HarfBuzz does (fontkit-fixes.ts); runs cached before that differ.
const FORMAT = 4;
/** Words kept per font (the latest): several statements' vocabulary, ~1 MB on disk. */
export const MAX_WORDS = 12_000;
/** Longer runs (a URL, a 300-character fuzz word) are shaped every time: they seldom recur. */
export const MAX_WORD_LENGTH = 32;

/**
 * On disk and in memory each word is kept as its JSON text ([g, c, p]), decoded and checked only
 * when the word is drawn: reading the file is then one fast JSON.parse of strings.
 */
interface FontStore {
  file: string;
  words: Map<string, string>;
  numGlyphs: number;
  added: number;
  /** The file's size and mtime when `words` was last the file's content (see revalidate). */
  stat: string;
}

const stores = new WeakMap<fontkit.Font, FontStore | null>();
/** The stores read so far, each with its font: revalidateShapeStores checks them again. */
const opened = new Map<FontStore, WeakRef<fontkit.Font>>();

/** A file's size and mtime, or '' when it cannot be read. */
function statOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

export function shapeCacheDir(): string {
  return process.env.SRQ_CACHE_DIR ?? path.join(PACKAGE_ROOT, 'dist', '.cache');
}

function enabled(): boolean {
  return process.env.SRQ_SHAPE_CACHE !== '0';
}

/** The bytes fontkit parsed the font from (fontkit keeps them as `stream.buffer`). */
function fontBytes(font: fontkit.Font): Uint8Array | undefined {
  const buf = (font as unknown as { stream?: { buffer?: unknown } }).stream?.buffer;
  return buf instanceof Uint8Array ? buf : undefined;
}

/** Glyphs in the font (fontkit has it, its type declarations do not). */
function glyphCount(font: fontkit.Font): number {
  return (font as unknown as { numGlyphs?: number }).numGlyphs ?? 0;
}

function isStoredShape(x: unknown): x is StoredShape {
  const s = x as StoredShape;
  return (
    !!s &&
    Array.isArray(s.g) &&
    Array.isArray(s.c) &&
    Array.isArray(s.p) &&
    s.c.length === s.g.length &&
    s.p.length === s.g.length * 4 &&
    s.g.every((id) => Number.isInteger(id) && id >= 0) &&
    s.c.every((cs) => Array.isArray(cs) && cs.every((cp) => Number.isInteger(cp))) &&
    s.p.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

function readStore(file: string): Map<string, string> {
  const words = new Map<string, string>();
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return words; // none yet, unreadable or damaged: start again
  }
  if (!data || typeof data !== 'object') return words;
  const { format, words: entries } = data as { format?: unknown; words?: unknown };
  if (format !== FORMAT || !entries || typeof entries !== 'object') return words;
  for (const [text, shape] of Object.entries(entries as Record<string, unknown>)) {
    if (typeof shape === 'string' && text.length <= MAX_WORD_LENGTH) words.set(text, shape);
  }
  return words;
}

/** A stored word, decoded; undefined when it is damaged (then it is shaped again). */
function decodeShape(encoded: string, numGlyphs: number): StoredShape | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(encoded);
  } catch {
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length !== 3) return undefined;
  const shape = { g: raw[0] as unknown, c: raw[1] as unknown, p: raw[2] as unknown } as StoredShape;
  return isStoredShape(shape) && shape.g.every((id) => id < numGlyphs) ? shape : undefined;
}

/** The font's store, read from disk on first use; null when the cache is off or unusable. */
function storeFor(font: fontkit.Font): FontStore | null {
  let store = stores.get(font);
  if (store !== undefined) return store;
  store = null;
  const bytes = enabled() ? fontBytes(font) : undefined;
  if (bytes) {
    const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    const file = path.join(shapeCacheDir(), `shapes-${FORMAT}-${hash}.json`);
    const stat = statOf(file);
    store = { file, words: readStore(file), numGlyphs: glyphCount(font), added: 0, stat };
    opened.set(store, new WeakRef(font));
  }
  stores.set(font, store);
  return store;
}

/**
 * Forgets each store whose file has changed since it was read (another process added words), or
 * that the environment now turns off or moves (SRQ_SHAPE_CACHE, SRQ_CACHE_DIR): its font reads
 * the file again on next use. For a process started from a V8 startup snapshot
 * (src/cli/snapshot.ts), whose stores were read when the snapshot was built.
 */
export function revalidateShapeStores(): void {
  for (const [store, ref] of opened) {
    const font = ref.deref();
    const same =
      enabled() &&
      store.file === path.join(shapeCacheDir(), path.basename(store.file)) &&
      !store.added &&
      statOf(store.file) === store.stat;
    if (same && font) continue;
    opened.delete(store);
    if (font) stores.delete(font);
  }
}

/** fontkit's glyphs and positions for `text`, from the cache; undefined when not stored. */
export function storedShape(
  font: fontkit.Font,
  text: string,
): { glyphs: fontkit.Glyph[]; positions: fontkit.GlyphPosition[] } | undefined {
  const store = storeFor(font);
  const encoded = store?.words.get(text);
  const shape = encoded === undefined ? undefined : decodeShape(encoded, store!.numGlyphs);
  if (!shape || String.fromCodePoint(...shape.c.flat()) !== text) return undefined;
  const withGlyphs = font as unknown as { getGlyph(id: number, cps: number[]): fontkit.Glyph };
  const glyphs = shape.g.map((id, i) => withGlyphs.getGlyph(id, shape.c[i]));
  const positions = shape.g.map((_, i) => ({
    xAdvance: shape.p[i * 4],
    yAdvance: shape.p[i * 4 + 1],
    xOffset: shape.p[i * 4 + 2],
    yOffset: shape.p[i * 4 + 3],
  })) as fontkit.GlyphPosition[];
  return { glyphs, positions };
}

/** Remembers what fontkit made of `text`, to be written by `saveShapeCaches`. */
export function storeShape(
  font: fontkit.Font,
  text: string,
  shaped: { glyphs: fontkit.Glyph[]; positions: fontkit.GlyphPosition[] },
): void {
  const store = text.length <= MAX_WORD_LENGTH ? storeFor(font) : null;
  if (!store) return;
  const c = shaped.glyphs.map((g) => [...(g.codePoints ?? [])]);
  // NOTE: fontkit keeps one Glyph per id, carrying the characters of the first text that made
  // it: a ligature first met as U+FB00 says "ﬀ" when "staff" uses it later. Such a word would
  // carry one process's history into the next; only words whose glyphs spell exactly their
  // own text (in order) are stored, the others are shaped every time.
  const spelt = String.fromCodePoint(...c.flat());
  if (spelt !== text) return;
  const shape: StoredShape = {
    g: shaped.glyphs.map((g) => g.id),
    c,
    p: shaped.positions.flatMap((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
  };
  store.words.set(text, JSON.stringify([shape.g, shape.c, shape.p]));
  store.added++;
}

/**
 * Writes the stores that gained words since they were read (atomically; each merged with what
 * another process may have written meanwhile). Never throws: a cache that cannot be written is
 * simply not kept.
 */
export function saveShapeCaches(fonts: Iterable<fontkit.Font>): void {
  const seen = new Set<FontStore>();
  for (const font of fonts) {
    const store = stores.get(font);
    if (!store || !store.added || seen.has(store)) continue;
    seen.add(store);
    try {
      // What another process wrote meanwhile, then this run's words; the oldest go first.
      const merged = readStore(store.file);
      for (const [text, shape] of store.words) merged.set(text, shape);
      const drop = [...merged.keys()].slice(0, Math.max(0, merged.size - MAX_WORDS));
      for (const text of drop) merged.delete(text);
      fs.mkdirSync(path.dirname(store.file), { recursive: true });
      writeFileAtomic(
        store.file,
        JSON.stringify({ format: FORMAT, words: Object.fromEntries(merged) }),
      );
      // What is in memory is now what is on disk.
      store.words = merged;
      store.stat = statOf(store.file);
      store.added = 0;
    } catch {
      // read-only package, full disk: run without a cache next time
    }
  }
}
