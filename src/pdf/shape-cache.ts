import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
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
// 6: each word's shape in binary (below), not JSON text: ~45 bytes a word instead of ~190.
// 7: a CRC-32 of everything after the header: a damaged byte anywhere refuses the file.
const FORMAT = 7;
/**
 * Words kept per font (the latest): several statements' vocabulary, ~2.5 MB on disk.
 * NOTE: 12,000 in format 5 (JSON, 2.3 MB). A 700-page statement draws ~15,000 distinct words in
 * its regular face, so each build of it shaped the ~3,300 that the last one had pushed out
 * (fontkit, cold) and wrote the file again: ~0.25 s of its 2.5 s.
 */
export const MAX_WORDS = 50_000;
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
 *  24  u32 crc            CRC-32 (zlib's) of the file from byte 28 to its end
 *  28  u32 × slots        per slot 0 (empty) or 1 + the entry's offset in the file
 *      entries            u16 key length, the key (UTF-8), u16 value length, the value
 *
 * Little-endian. A word's slot: FNV-1a (32-bit) of its UTF-16 code units, masked by slots - 1,
 * then the next slots in turn. The value is the word's shape (StoredShape), checked when it is
 * drawn, as before:
 *
 *   u8 flags              1: each glyph stands for one character of the word, in order (its
 *                         characters are not stored); 2: every yAdvance, xOffset and yOffset is
 *                         0 and every xAdvance an integer in int16 (only those are stored)
 *   u8 n                  glyphs
 *   u16 × n               glyph ids
 *   unless flag 1, per glyph: u8 count, then u32 × count code points
 *   flag 2: i16 × n       xAdvance per glyph; otherwise f64 × 4n, the positions as StoredShape.p
 *
 * test/helpers/shape-store.ts reads and writes the same layout on its own.
 */
const MAGIC = 'SRQSHAPE';
const HEADER = 28;

/** Words added this run (not yet on disk) and the file's bytes, when it has a valid header. */
interface FontStore {
  file: string;
  disk: Buffer | undefined;
  /** word -> its encoded shape (encodeShape) */
  added: Map<string, Buffer>;
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

const ONE_CHAR_EACH = 1;
const X_ADVANCES_ONLY = 2;

/** The code points of `text`, in order. */
function codePoints(text: string): number[] {
  const cps: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    cps.push(cp);
  }
  return cps;
}

/** A word's shape as the file stores it (the layout above); undefined when it cannot be. */
export function encodeShape(text: string, shape: StoredShape): Buffer | undefined {
  const { g, c, p } = shape;
  const n = g.length;
  if (n > 0xff || c.length !== n || p.length !== 4 * n) return undefined;
  if (g.some((id) => !Number.isInteger(id) || id < 0 || id > 0xffff)) return undefined;
  const cps = codePoints(text);
  const oneEach = cps.length === n && c.every((cs, i) => cs.length === 1 && cs[0] === cps[i]);
  let xOnly = true;
  for (let i = 0; i < n && xOnly; i++) {
    const x = p[4 * i];
    xOnly =
      Number.isInteger(x) &&
      x >= -0x8000 &&
      x <= 0x7fff &&
      p[4 * i + 1] === 0 &&
      p[4 * i + 2] === 0 &&
      p[4 * i + 3] === 0;
  }
  if (!oneEach && c.some((cs) => cs.length > 0xff)) return undefined;
  const chars = oneEach ? 0 : c.reduce((sum, cs) => sum + 1 + 4 * cs.length, 0);
  const out = Buffer.alloc(2 + 2 * n + chars + (xOnly ? 2 * n : 32 * n));
  out[0] = (oneEach ? ONE_CHAR_EACH : 0) | (xOnly ? X_ADVANCES_ONLY : 0);
  out[1] = n;
  let at = 2;
  for (const id of g) at = out.writeUInt16LE(id, at);
  if (!oneEach) {
    for (const cs of c) {
      out[at++] = cs.length;
      for (const cp of cs) at = out.writeUInt32LE(cp >>> 0, at);
    }
  }
  if (xOnly) for (let i = 0; i < n; i++) at = out.writeInt16LE(p[4 * i], at);
  else for (const v of p) at = out.writeDoubleLE(v, at);
  return out;
}

/**
 * The shape stored for `text` in `buf` from `at` (`length` bytes), or undefined when it is
 * damaged, names a glyph the font lacks, or its glyphs do not spell `text` (shaped again then).
 */
function decodeShape(
  buf: Buffer,
  value: { at: number; length: number },
  word: { text: string; numGlyphs: number },
): StoredShape | undefined {
  const end = value.at + value.length;
  if (value.length < 2) return undefined;
  const flags = buf[value.at];
  const n = buf[value.at + 1];
  if (flags & ~(ONE_CHAR_EACH | X_ADVANCES_ONLY)) return undefined;
  let at = value.at + 2;
  if (at + 2 * n > end) return undefined;
  const g: number[] = [];
  for (let i = 0; i < n; i++, at += 2) {
    const id = buf.readUInt16LE(at);
    if (id >= word.numGlyphs) return undefined;
    g.push(id);
  }
  const c: number[][] = [];
  if (flags & ONE_CHAR_EACH) {
    const cps = codePoints(word.text);
    if (cps.length !== n) return undefined;
    for (const cp of cps) c.push([cp]);
  } else {
    for (let i = 0; i < n; i++) {
      if (at + 1 > end) return undefined;
      const count = buf[at++];
      if (at + 4 * count > end) return undefined;
      const cs: number[] = [];
      for (let k = 0; k < count; k++, at += 4) cs.push(buf.readUInt32LE(at));
      c.push(cs);
    }
    // fontkit's Glyph takes these as the text the glyph stands for (ToUnicode).
    if (c.some((cs) => cs.some((cp) => cp > 0x10ffff))) return undefined;
    if (String.fromCodePoint(...c.flat()) !== word.text) return undefined;
  }
  const p: number[] = [];
  if (flags & X_ADVANCES_ONLY) {
    if (at + 2 * n !== end) return undefined;
    for (let i = 0; i < n; i++, at += 2) p.push(buf.readInt16LE(at), 0, 0, 0);
  } else {
    if (at + 32 * n !== end) return undefined;
    for (let i = 0; i < 4 * n; i++, at += 8) {
      const v = buf.readDoubleLE(at);
      if (!Number.isFinite(v)) return undefined;
      p.push(v);
    }
  }
  return { g, c, p };
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
  // NOTE: the per-word checks on reading (glyphs the font has, characters that spell the word,
  // finite positions) cannot see a glyph id changed to another the font has: that word would be
  // drawn as other letters under the right text. A damaged file is shaped again instead, whole
  // (the check: ~0.2 ms for the 1.1 MB a 700-page statement fills the regular face's file with).
  return sane && zlib.crc32(buf.subarray(HEADER)) === buf.readUInt32LE(24) ? buf : undefined;
}

/**
 * The entry at `at` (a file offset): its key, where its value lies, and where it ends; undefined
 * when it runs off the end.
 */
function entryAt(
  buf: Buffer,
  at: number,
): { key: string; value: { at: number; length: number }; end: number } | undefined {
  if (at + 2 > buf.length) return undefined;
  const keyLength = buf.readUInt16LE(at);
  const valueAt = at + 2 + keyLength;
  if (valueAt + 2 > buf.length) return undefined;
  const valueLength = buf.readUInt16LE(valueAt);
  const end = valueAt + 2 + valueLength;
  if (end > buf.length) return undefined;
  return {
    key: buf.toString('utf8', at + 2, valueAt),
    value: { at: valueAt + 2, length: valueLength },
    end,
  };
}

/** Where the shape stored for `text` lies in the file's bytes, or undefined. */
function lookup(buf: Buffer, text: string): { at: number; length: number } | undefined {
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
function entriesOf(buf: Buffer | undefined): Map<string, Buffer> {
  const words = new Map<string, Buffer>();
  if (!buf) return words;
  const count = buf.readUInt32LE(16);
  let at = HEADER + 4 * buf.readUInt32LE(20);
  for (let n = 0; n < count; n++) {
    const entry = entryAt(buf, at);
    if (!entry) break;
    const { value } = entry;
    if (entry.key.length <= MAX_WORD_LENGTH)
      words.set(entry.key, buf.subarray(value.at, value.at + value.length));
    at = entry.end;
  }
  return words;
}

/** The file's bytes for `words` (insertion order kept: the oldest first). */
function encodeStore(words: Map<string, Buffer>): Buffer {
  let slots = 1;
  while (slots < 2 * words.size) slots *= 2;
  const entries: Buffer[] = [];
  const table = Buffer.alloc(4 * slots);
  let at = HEADER + 4 * slots;
  for (const [key, value] of words) {
    const k = Buffer.from(key, 'utf8');
    const v = value;
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
  const file = Buffer.concat([header, table, ...entries], at);
  file.writeUInt32LE(zlib.crc32(file.subarray(HEADER)), 24);
  return file;
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
  if (!store) return undefined;
  const word = { text, numGlyphs: store.numGlyphs };
  let shape: StoredShape | undefined;
  try {
    const added = store.added.get(text);
    if (added) shape = decodeShape(added, { at: 0, length: added.length }, word);
    else if (store.disk) {
      const value = lookup(store.disk, text);
      if (value) shape = decodeShape(store.disk, value, word);
    }
  } catch {
    shape = undefined; // a damaged table: shaped again
  }
  if (!shape) return undefined;
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
  const encoded = encodeShape(text, shape);
  if (encoded) store.added.set(text, encoded);
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
