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

/** Bumped when StoredShape, the file's layout or what they mean changes. */
// 4: marks placed as HarfBuzz does (fontkit-fixes.ts); runs cached before that differ.
// 5: an indexed binary file (below), read per word instead of parsed whole.
const FORMAT = 5;
/** Words kept per font (the latest): several statements' vocabulary, ~2 MB on disk. */
export const MAX_WORDS = 12_000;
/** Longer runs (a URL, a 300-character fuzz word) are shaped every time: they seldom recur. */
export const MAX_WORD_LENGTH = 32;

/**
 * The file: a header, an open-addressing hash table of entry offsets, then the entries, oldest
 * first. NOTE: format 4 was one JSON object parsed whole on the first word a run looked up: with
 * a full cache (12,000 words, 2.3 MB for the regular face) that was ~25 ms and a few MB of
 * garbage in every cold build, whatever its size. Now a run reads the bytes and looks up only the
 * words it draws: one hash, one or two probes, one key compare and the word's JSON.
 *
 *   0  "SRQSHAPE"         magic, 8 bytes
 *   8  u32 format         FORMAT
 *  12  u32 total          the file's length in bytes (a file cut short is refused whole)
 *  16  u32 count          entries
 *  20  u32 slots          table slots, a power of two, at least 2 × count
 *  24  u32 × slots        per slot 0 (empty) or 1 + the entry's offset in the file
 *      entries            u16 key length, the key (UTF-8), u16 value length, the value (UTF-8)
 *
 * Little-endian. A word's slot: FNV-1a (32-bit) of its UTF-16 code units, masked by slots - 1,
 * then the next slots in turn. The value is the word's JSON text ([g, c, p]), checked when it is
 * drawn, as before. test/helpers/shape-store.ts reads and writes the same layout on its own.
 */
const MAGIC = 'SRQSHAPE';
const HEADER = 24;

/** Words added this run (not yet on disk) and the file's bytes, when it has a valid header. */
interface FontStore {
  file: string;
  disk: Buffer | undefined;
  added: Map<string, string>;
  numGlyphs: number;
  /** The file's size and mtime when `disk` was read (see revalidate). */
  stat: string;
}

const stores = new WeakMap<fontkit.Font, FontStore | null>();
/**
 * Each font's hash, kept when its store is forgotten (revalidateShapeStores): hashing the
 * fonts' 2.5 MB again cost ~6 ms of a cold build started from the snapshot.
 */
const fontHashes = new WeakMap<fontkit.Font, string>();
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

/** FNV-1a, 32 bits, of the string's UTF-16 code units. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The file's bytes when its header is one of this format's; undefined otherwise. */
function readDisk(file: string): Buffer | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined; // none yet or unreadable: start again
  }
  if (buf.length < HEADER || buf.toString('latin1', 0, 8) !== MAGIC) return undefined;
  if (buf.readUInt32LE(8) !== FORMAT || buf.readUInt32LE(12) !== buf.length) return undefined;
  const count = buf.readUInt32LE(16);
  const slots = buf.readUInt32LE(20);
  const sane =
    slots > 0 && (slots & (slots - 1)) === 0 && count <= slots && HEADER + 4 * slots <= buf.length;
  return sane ? buf : undefined;
}

/** The entry at `at` (a file offset): its key and value, or undefined when it runs off the end. */
function entryAt(buf: Buffer, at: number): { key: string; value: string; end: number } | undefined {
  if (at + 2 > buf.length) return undefined;
  const keyLength = buf.readUInt16LE(at);
  const valueAt = at + 2 + keyLength;
  if (valueAt + 2 > buf.length) return undefined;
  const valueLength = buf.readUInt16LE(valueAt);
  const end = valueAt + 2 + valueLength;
  if (end > buf.length) return undefined;
  return {
    key: buf.toString('utf8', at + 2, valueAt),
    value: buf.toString('utf8', valueAt + 2, end),
    end,
  };
}

/** The JSON text stored for `text` in the file's bytes, or undefined. */
function lookup(buf: Buffer, text: string): string | undefined {
  const slots = buf.readUInt32LE(20);
  const key = Buffer.byteLength(text, 'utf8');
  for (let i = 0, s = hashOf(text) & (slots - 1); i < slots; i++, s = (s + 1) & (slots - 1)) {
    const ref = buf.readUInt32LE(HEADER + 4 * s);
    if (ref === 0) return undefined;
    const at = ref - 1;
    // The key's length first: most probes that are not the word stop there.
    if (at + 2 > buf.length || buf.readUInt16LE(at) !== key) continue;
    const entry = entryAt(buf, at);
    if (entry?.key === text) return entry.value;
  }
  return undefined;
}

/** Every entry of the file's bytes, oldest first (for merging on save). */
function entriesOf(buf: Buffer | undefined): Map<string, string> {
  const words = new Map<string, string>();
  if (!buf) return words;
  const count = buf.readUInt32LE(16);
  let at = HEADER + 4 * buf.readUInt32LE(20);
  for (let n = 0; n < count; n++) {
    const entry = entryAt(buf, at);
    if (!entry) break;
    if (entry.key.length <= MAX_WORD_LENGTH) words.set(entry.key, entry.value);
    at = entry.end;
  }
  return words;
}

/** The file's bytes for `words` (insertion order kept: the oldest first). */
function encodeStore(words: Map<string, string>): Buffer {
  let slots = 1;
  while (slots < 2 * words.size) slots *= 2;
  const entries: Buffer[] = [];
  const table = Buffer.alloc(4 * slots);
  let at = HEADER + 4 * slots;
  for (const [key, value] of words) {
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(value, 'utf8');
    if (k.length > 0xffff || v.length > 0xffff) continue;
    const entry = Buffer.alloc(4 + k.length + v.length);
    entry.writeUInt16LE(k.length, 0);
    k.copy(entry, 2);
    entry.writeUInt16LE(v.length, 2 + k.length);
    v.copy(entry, 4 + k.length);
    let s = hashOf(key) & (slots - 1);
    while (table.readUInt32LE(4 * s) !== 0) s = (s + 1) & (slots - 1);
    table.writeUInt32LE(at + 1, 4 * s);
    entries.push(entry);
    at += entry.length;
  }
  const header = Buffer.alloc(HEADER);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT, 8);
  header.writeUInt32LE(at, 12);
  header.writeUInt32LE(entries.length, 16);
  header.writeUInt32LE(slots, 20);
  return Buffer.concat([header, table, ...entries], at);
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
    let hash = fontHashes.get(font);
    if (!hash) fontHashes.set(font, (hash = crypto.hash('sha256', bytes, 'hex').slice(0, 32)));
    const file = path.join(shapeCacheDir(), `shapes-${FORMAT}-${hash}.bin`);
    const stat = statOf(file);
    store = { file, disk: readDisk(file), added: new Map(), numGlyphs: glyphCount(font), stat };
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
      !store.added.size &&
      statOf(store.file) === store.stat;
    if (same && font) continue;
    opened.delete(store);
    if (font) stores.delete(font);
  }
}

/**
 * Forgets every store: each font reads its file again on next use (its hash is kept). For the
 * startup snapshot's warm-up (src/cli/snapshot.ts), after its builds saved their words. NOTE:
 * the files' bytes were otherwise part of the snapshot's heap: up to 12,000 words per face,
 * ~10 MB with a full cache, restored in every cold build whether it drew those words or not
 * (reading the files when a build first needs them costs about the same), and the blob's size
 * depended on what the package's cache held when it was built.
 */
export function forgetShapeStores(): void {
  for (const [store, ref] of opened) {
    const font = ref.deref();
    if (font && stores.get(font) === store) stores.delete(font);
  }
  opened.clear();
}

/** What fontkit made of a word: its glyphs, and per glyph its position in font units. */
export interface Shaped {
  glyphs: fontkit.Glyph[];
  /** xAdvance, yAdvance, xOffset, yOffset per glyph, in font units, flattened */
  units: number[];
}

/** fontkit's positions (font units) flattened as `Shaped.units` and `StoredShape.p` keep them. */
export function unitsOf(positions: readonly fontkit.GlyphPosition[]): number[] {
  const units: number[] = [];
  for (const p of positions) units.push(p.xAdvance, p.yAdvance, p.xOffset, p.yOffset);
  return units;
}

/** fontkit's glyphs and positions for `text`, from the cache; undefined when not stored. */
export function storedShape(font: fontkit.Font, text: string): Shaped | undefined {
  const store = storeFor(font);
  let encoded = store?.added.get(text);
  if (encoded === undefined && store?.disk) {
    try {
      encoded = lookup(store.disk, text);
    } catch {
      encoded = undefined; // a damaged table: shaped again
    }
  }
  const shape = encoded === undefined ? undefined : decodeShape(encoded, store!.numGlyphs);
  if (!shape || String.fromCodePoint(...shape.c.flat()) !== text) return undefined;
  const withGlyphs = font as unknown as { getGlyph(id: number, cps: number[]): fontkit.Glyph };
  const glyphs = shape.g.map((id, i) => withGlyphs.getGlyph(id, shape.c[i]));
  return { glyphs, units: shape.p };
}

/** Remembers what fontkit made of `text`, to be written by `saveShapeCaches`. */
export function storeShape(font: fontkit.Font, text: string, shaped: Shaped): void {
  const store = text.length <= MAX_WORD_LENGTH ? storeFor(font) : null;
  if (!store) return;
  const c = shaped.glyphs.map((g) => [...(g.codePoints ?? [])]);
  // NOTE: fontkit keeps one Glyph per id, carrying the characters of the first text that made
  // it: a ligature first met as U+FB00 says "ﬀ" when "staff" uses it later. Such a word would
  // carry one process's history into the next; only words whose glyphs spell exactly their
  // own text (in order) are stored, the others are shaped every time.
  const spelt = String.fromCodePoint(...c.flat());
  if (spelt !== text) return;
  const shape: StoredShape = { g: shaped.glyphs.map((g) => g.id), c, p: shaped.units };
  store.added.set(text, JSON.stringify([shape.g, shape.c, shape.p]));
}

/** Removes this font's files of other formats (a JSON file of format 4 and older). */
function removeOtherFormats(file: string): void {
  const m = /^shapes-\d+-([0-9a-f]+)\.bin$/.exec(path.basename(file));
  if (!m) return;
  const dir = path.dirname(file);
  for (const name of fs.readdirSync(dir)) {
    const other = /^shapes-(\d+)-([0-9a-f]+)\.(json|bin)$/.exec(name);
    if (other && other[2] === m[1] && Number(other[1]) !== FORMAT) fs.rmSync(path.join(dir, name));
  }
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
    if (!store || !store.added.size || seen.has(store)) continue;
    seen.add(store);
    try {
      // What another process wrote meanwhile, then this run's words; the oldest go first.
      const merged = entriesOf(readDisk(store.file));
      for (const [text, shape] of store.added) {
        merged.delete(text);
        merged.set(text, shape);
      }
      const drop = [...merged.keys()].slice(0, Math.max(0, merged.size - MAX_WORDS));
      for (const text of drop) merged.delete(text);
      fs.mkdirSync(path.dirname(store.file), { recursive: true });
      const bytes = encodeStore(merged);
      writeFileAtomic(store.file, bytes);
      // What is in memory is now what is on disk.
      store.disk = bytes;
      store.stat = statOf(store.file);
      store.added = new Map();
      removeOtherFormats(store.file);
    } catch {
      // read-only package, full disk: run without a cache next time
    }
  }
}
