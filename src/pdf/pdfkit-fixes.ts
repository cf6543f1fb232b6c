import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type * as fontkit from 'fontkit';
import { pdfObject, type PdfClasses } from './pdf-object';

/**
 * Corrections to what pdfkit 0.20 writes, each a rule a PDF/A or PDF/UA validator checks.
 * Applied to one document, before anything is drawn; they only change dictionaries pdfkit writes.
 */

type Doc = PDFKit.PDFDocument;
type RefData = Record<string, unknown> | undefined;
interface Ref {
  data: Record<string, unknown>;
  end(chunk?: Uint8Array | Buffer): void;
}
type RefFn = (data?: RefData) => Ref;

/** A stream object as pdfkit 0.20 holds it until `finalize` writes it. */
interface StreamRef {
  compress: boolean;
  buffer: Uint8Array[];
  finalize(): void;
}

/**
 * zlib levels per stream kind (issue 15, warm build). pdfkit deflates every stream at zlib's
 * default, 6. Measured on the example's 18 content streams (405 KB raw, CPU for 10 passes ÷ 10):
 * level 6 → 51.8 KB in 13.4 ms, 3 → 61.6 KB in 6.7 ms; its 13 other streams (fonts, ToUnicode,
 * object streams, 132 KB): 6 → 53.4 KB in 6.4 ms, 4 → 54.8 KB in 3.9 ms.
 */
export const DEFLATE_LEVEL = { content: 3, other: 4 } as const;

/**
 * Deflates a stream's buffered bytes now, at `level`, in place of pdfkit's level-6 deflate in
 * `finalize` (which then writes them as they are; the Filter is already FlateDecode). Returns
 * whether it did: the stream then holds none of the buffers written to it.
 */
export function deflateNow(ref: unknown, level: number): boolean {
  const r = ref as StreamRef;
  if (!r.compress || !r.buffer.length) return false;
  const raw = r.buffer.length === 1 ? r.buffer[0] : Buffer.concat(r.buffer);
  r.buffer = [zlib.deflateSync(raw, { level })];
  r.compress = false;
  return true;
}

interface DocInternals {
  ref: RefFn;
  getStructParentTree(): { limits: boolean };
  _write(data: string | Uint8Array): void;
  _offset: number;
  _refEnd(ref: unknown): void;
  _security?: unknown;
  spotColors: Record<string, unknown>;
}

/** A reference as pdfkit 0.20's `PDFReference.finalize` writes it. */
interface WrittenRef extends StreamRef {
  id: number;
  gen: number;
  offset: number;
  data: Record<string, unknown>;
}

/**
 * What pdfkit 0.20's `PDFReference.finalize` writes, its dictionary serialised by pdf-object.ts
 * rather than pdfkit's `PDFObject.convert` (the same bytes: test/pdf/pdf-object.test.ts).
 * test/contracts/pdfkit.test.ts pins pdfkit's finalize, which this follows step by step.
 */
function writeRef(d: DocInternals, r: WrittenRef, classes: PdfClasses): void {
  r.offset = d._offset;
  let bytes: Uint8Array | undefined;
  if (r.buffer.length) {
    bytes = r.buffer.length === 1 ? r.buffer[0] : Buffer.concat(r.buffer);
    if (r.compress) bytes = zlib.deflateSync(bytes);
    r.data.Length = bytes.length;
  }
  d._write(`${r.id} ${r.gen} obj`);
  d._write(pdfObject(r.data, classes));
  if (bytes) {
    d._write('stream');
    d._write(bytes);
    r.buffer = [];
    d._write('\nendstream');
  }
  d._write('endobj');
  d._refEnd(r);
}

/** Whether `o` has an own enumerable key (pdfkit's spotColors: none unless a spot colour is added). */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/**
 * Whole-document fixes:
 * - the metadata stream carries a stray lowercase `/length` beside `/Length` (pdfkit's
 *   endMetadata): dropped;
 * - streams are deflated at `DEFLATE_LEVEL.other`, not 6 (content streams: draw-text.ts);
 * - the ParentTree is a single root node, and a number tree's root must not have `/Limits`
 *   (ISO 32000-1 7.9.7); nor the named destinations' name tree.
 */
export function fixDocument(doc: Doc): void {
  const d = doc as unknown as DocInternals;
  const ref = d.ref.bind(doc);
  // pdfkit's reference and tree classes, which it does not export (see WrittenRef).
  const dests = (doc as unknown as DocRoot)._root.data.Names.data.Dests;
  const parent = (o: object) => Object.getPrototypeOf(Object.getPrototypeOf(o)) as object;
  let classes: PdfClasses | undefined;
  d.ref = (data?: RefData) => {
    if (data && data.Type === 'Metadata' && 'length' in data) delete data.length;
    const r = ref(data) as Ref & WrittenRef;
    classes ??= {
      reference: parent(r).constructor as PdfClasses['reference'],
      tree: parent(dests).constructor as PdfClasses['tree'],
    };
    const known = classes;
    const finalize = r.finalize.bind(r);
    r.finalize = () => {
      deflateNow(r, DEFLATE_LEVEL.other);
      // pdfkit's own path for what pdf-object.ts does not write: encryption, spot colours.
      if (d._security || hasKeys(d.spotColors)) finalize();
      else writeRef(d, r, known);
    };
    return r;
  };
  d.getStructParentTree().limits = false;
  // The same for the named destinations (the contents page's links): one root node.
  dests.limits = false;
  // NOTE: pdfkit sorts a name tree's keys with localeCompare; ISO 32000-1 7.9.6 orders them by
  // their bytes, and the ICU collator localeCompare sets up cost ~5 ms of a cold build.
  // (srq's names are ASCII, where the two orders agree: the same bytes either way.)
  dests._compareKeys = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

interface DocRoot {
  _root: {
    data: {
      Names: {
        data: { Dests: { limits: boolean; _compareKeys: (a: string, b: string) => number } };
      };
    };
  };
}

interface EmbeddedFont {
  embed(): void;
  subset: { glyphs: number[] };
  dictionary: Ref;
}

/**
 * A subset's six-letter tag (ISO 32000-1 9.6.4) from a hash of its font and glyph set: pdfkit
 * derives it from the font's resource name (F1, F2 …), so every document's first font was
 * "BAAAAA+", and the subset `srq sign` adds for a countersignature box carried the body's tag.
 */
export function subsetTag(postscriptName: string, glyphs: readonly number[]): string {
  const digest = crypto
    .createHash('sha256')
    .update(`${postscriptName}\n${glyphs.join(',')}`)
    .digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i] % 26));
  return tag;
}

const retag = (name: unknown, tag: string) =>
  typeof name === 'string' ? name.replace(/^[A-Z]{6}\+/, `${tag}+`) : name;

/** Height of a glyph's outline top, in thousandths of an em; undefined when the font lacks it. */
function glyphTop(font: fontkit.Font, ch: string): number | undefined {
  const cp = ch.codePointAt(0)!;
  if (!font.hasGlyphForCodePoint(cp)) return undefined;
  const glyph = (
    font as unknown as { glyphForCodePoint(cp: number): { bbox: { maxY: number } } }
  ).glyphForCodePoint(cp);
  const top = glyph.bbox.maxY;
  return Number.isFinite(top) ? (top * 1000) / font.unitsPerEm : undefined;
}

/**
 * Per-font fixes, when pdfkit embeds the subset (at `doc.end()`):
 * - FontFile2 gets `/Length1`, the length of the uncompressed font program (PDF/A-2 6.2.11.4 via
 *   ISO 32000-1 Table 127: required for TrueType);
 * - the font descriptor's CapHeight and XHeight are the font's real ones, measured on "H" and
 *   "x" (DejaVu's OS/2 table has none, so pdfkit wrote Ascent and 0);
 * - the subset's tag in BaseFont and FontName is a hash of its glyph set (`subsetTag`).
 */
export function fixEmbeddedFont(doc: Doc, embedded: unknown, font: fontkit.Font): void {
  const e = embedded as EmbeddedFont;
  const embed = e.embed.bind(e);
  const d = doc as unknown as DocInternals;
  reuseSubsetGlyphs(e.subset, font);
  const capHeight = glyphTop(font, 'H');
  const xHeight = glyphTop(font, 'x');
  e.embed = () => {
    const tag = subsetTag(font.postscriptName, e.subset.glyphs);
    const dictionary = e.dictionary;
    const endDictionary = dictionary.end.bind(dictionary);
    dictionary.end = (chunk) => {
      dictionary.data.BaseFont = retag(dictionary.data.BaseFont, tag);
      endDictionary(chunk);
    };
    const original = d.ref;
    const ref = original.bind(doc);
    let fontFile: Ref | undefined;
    d.ref = (data?: RefData) => {
      const r = ref(data);
      if (!fontFile && !data) {
        // NOTE: embed() makes the font program's stream first, with no dictionary.
        fontFile = r;
        const end = r.end.bind(r);
        r.end = (chunk) => {
          // A CFF program (FontFile3, Subtype set) has no Length1.
          if (chunk && !r.data.Subtype) r.data.Length1 = chunk.length;
          end(chunk);
        };
      }
      if (data && data.Type === 'Font') r.data.BaseFont = retag(data.BaseFont, tag);
      if (data && data.Type === 'FontDescriptor') {
        r.data.FontName = retag(data.FontName, tag);
        if (capHeight !== undefined) r.data.CapHeight = capHeight;
        if (xHeight !== undefined) r.data.XHeight = xHeight;
      }
      return r;
    };
    try {
      embed();
    } finally {
      d.ref = original;
    }
  };
}

/** fontkit's TrueType subset (TTFSubset) as `encode` fills it, glyph by glyph. */
interface TtfSubset {
  glyphs: number[];
  glyf: Uint8Array[];
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: { advance: number; bearing: number }[]; bearings: number[] };
  offset: number;
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
}

interface TtfFont {
  stream: { buffer: Uint8Array };
  directory: { tables: Record<string, { offset: number } | undefined> };
  loca: { offsets: number[] };
  _variationProcessor?: unknown;
  getGlyph(gid: number): { advanceWidth: number; _getMetrics(): { leftBearing: number } };
}

/** A glyph as a subset copies it: its bytes, where its components' ids sit, its metrics. */
interface SubsetGlyph {
  bytes: Uint8Array;
  /** Offset and glyph id of each component of a composite glyph (none for a simple one). */
  components: { pos: number; gid: number }[];
  advance: number;
  bearing: number;
}

const subsetGlyphs = new WeakMap<object, Map<number, SubsetGlyph>>();

/** A glyph's bytes from the font's glyf table (ISO/IEC 14496-22 5.3.4), read once per font. */
function subsetGlyph(font: TtfFont, gid: number): SubsetGlyph {
  const glyfAt = font.directory.tables.glyf!.offset;
  const start = glyfAt + font.loca.offsets[gid];
  const bytes = font.stream.buffer.subarray(start, glyfAt + font.loca.offsets[gid + 1]);
  const components: SubsetGlyph['components'] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (bytes.length >= 10 && view.getInt16(0) < 0) {
    // Composite: after the 10-byte header, records of flags, glyph index, arguments, transform.
    let pos = 10;
    for (let more = true; more;) {
      const flags = view.getUint16(pos);
      components.push({ pos: pos + 2, gid: view.getUint16(pos + 2) });
      pos += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) pos += 2;
      else if (flags & 0x0040) pos += 4;
      else if (flags & 0x0080) pos += 8;
      more = (flags & 0x0020) !== 0;
    }
  }
  const glyph = font.getGlyph(gid);
  return {
    bytes,
    components,
    advance: glyph.advanceWidth,
    bearing: glyph._getMetrics().leftBearing,
  };
}

/**
 * Makes a TrueType subset copy each glyph the way fontkit's `_addGlyph` does (the same bytes,
 * composite glyphs' components renumbered through `includeGlyph` in the same order), from glyphs
 * read once per font rather than decoded again for every document (issue 15: fontkit decoded
 * each glyph's outline in every `doc.end()`). Variable fonts keep fontkit's own path.
 */
export function reuseSubsetGlyphs(subset: unknown, font: fontkit.Font): void {
  const f = font as unknown as TtfFont;
  const s = subset as TtfSubset;
  if (f._variationProcessor || !f.directory.tables.glyf || typeof s._addGlyph !== 'function')
    return;
  let known = subsetGlyphs.get(font);
  if (!known) subsetGlyphs.set(font, (known = new Map<number, SubsetGlyph>()));
  const cache = known;
  s._addGlyph = (gid) => {
    let g = cache.get(gid);
    if (!g) cache.set(gid, (g = subsetGlyph(f, gid)));
    let bytes = g.bytes;
    if (g.components.length) {
      bytes = new Uint8Array(g.bytes);
      const view = new DataView(bytes.buffer);
      for (const c of g.components) view.setUint16(c.pos, s.includeGlyph(c.gid));
    }
    s.glyf.push(bytes);
    s.loca.offsets.push(s.offset);
    s.hmtx.metrics.push({ advance: g.advance, bearing: g.bearing });
    s.offset += bytes.length;
    return s.glyf.length - 1;
  };
  const encode = s.encode.bind(s);
  s.encode = () => {
    const tables = subsetTables.get(font);
    if (tables === null) return encode();
    if (tables) return encodeSubset(s, tables);
    // The first subset of this font in the process: fontkit encodes it, and what it wrote is
    // kept as the tables every later subset shares, if srq's own encoding gives the same bytes.
    const bytes = encode();
    let same = false;
    const learnt = tablesOf(bytes, s);
    try {
      same = learnt !== undefined && Buffer.from(bytes).equals(encodeSubset(s, learnt));
    } catch {
      // anything srq's encoding cannot do for this font: fontkit's encoding stays
    }
    subsetTables.set(font, same ? learnt! : null);
    return bytes;
  };
}

/**
 * The tables of a font's TrueType subsets as fontkit writes them (head, hhea, maxp, cvt, prep,
 * fpgm: the same for every subset of the font but for two glyph counts), in its order; null
 * where srq's encoding did not match fontkit's and fontkit encodes every subset.
 */
interface SubsetTables {
  order: string[];
  bytes: Map<string, Buffer>;
  /** The font's loca format (0: offsets ÷ 2 in 16 bits, 1: 32 bits), which head records. */
  locaVersion: number;
}
const subsetTables = new WeakMap<object, SubsetTables | null>();

/**
 * Who encodes `font`'s subsets: srq (its tables learnt from fontkit's first subset, whose bytes
 * srq's encoding matched), fontkit (they did not match), or nobody yet in this process.
 */
export function subsetEncoder(font: fontkit.Font): 'srq' | 'fontkit' | 'not yet' {
  const tables = subsetTables.get(font);
  return tables ? 'srq' : tables === null ? 'fontkit' : 'not yet';
}

/** Where the glyph counts sit: maxp's numGlyphs, hhea's numberOfHMetrics (ISO/IEC 14496-22). */
const MAXP_NUM_GLYPHS = 4;
const HHEA_NUMBER_OF_METRICS = 34;

/** The tables of a subset fontkit encoded (`bytes`, from `s`), or undefined when not as expected. */
function tablesOf(bytes: Uint8Array, s: TtfSubset): SubsetTables | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 12) return undefined;
  const n = buf.readUInt16BE(4);
  if (buf.length < 12 + 16 * n) return undefined;
  const order: string[] = [];
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const at = 12 + 16 * i;
    const tag = buf.toString('latin1', at, at + 4);
    const offset = buf.readUInt32BE(at + 8);
    const length = buf.readUInt32BE(at + 12);
    if (offset + length > buf.length) return undefined;
    order.push(tag);
    tables.set(tag, Buffer.from(buf.subarray(offset, offset + length)));
  }
  const maxp = tables.get('maxp');
  const hhea = tables.get('hhea');
  const count = s.glyf.length;
  if (!maxp || maxp.length < MAXP_NUM_GLYPHS + 2 || maxp.readUInt16BE(MAXP_NUM_GLYPHS) !== count)
    return undefined;
  if (!hhea || hhea.length < HHEA_NUMBER_OF_METRICS + 2) return undefined;
  if (hhea.readUInt16BE(HHEA_NUMBER_OF_METRICS) !== s.hmtx.metrics.length) return undefined;
  for (const tag of ['glyf', 'loca', 'hmtx']) if (!tables.has(tag)) return undefined;
  return { order, bytes: tables, locaVersion: s.loca.version };
}

/**
 * A TrueType subset's font program as fontkit's `TTFSubset.encode` writes it: the glyphs copied
 * (`_addGlyph`), then fontkit's table directory ("true", zero checksums, tables back to back in
 * its order) over the font's shared tables, the glyph counts, glyf, loca and hmtx.
 * NOTE: fontkit encodes every table field by field through restructure (~1.7 ms of a warm
 * build for the example's four faces); test/pdf/subset-encode.test.ts holds the two to the
 * same bytes.
 */
export function encodeSubset(s: TtfSubset, tables: SubsetTables): Buffer {
  s.glyf = [];
  s.offset = 0;
  s.loca = { offsets: [], version: tables.locaVersion };
  s.hmtx = { metrics: [], bearings: [] };
  for (let i = 0; i < s.glyphs.length; i++) s._addGlyph(s.glyphs[i]);
  s.loca.offsets.push(s.offset);
  const count = s.glyf.length;
  const { offsets, version } = s.loca;
  const loca = Buffer.alloc(offsets.length * (version === 0 ? 2 : 4));
  for (let i = 0; i < offsets.length; i++) {
    // NOTE: wrapped as fontkit's writer (a DataView) wraps an offset too large for 16 bits.
    if (version === 0) loca.writeUInt16BE((offsets[i] >>> 1) & 0xffff, 2 * i);
    else loca.writeUInt32BE(offsets[i], 4 * i);
  }
  const hmtx = Buffer.alloc(4 * s.hmtx.metrics.length);
  s.hmtx.metrics.forEach((m, i) => {
    hmtx.writeUInt16BE(m.advance, 4 * i);
    hmtx.writeInt16BE(m.bearing, 4 * i + 2);
  });
  const own = (tag: string): Buffer | Uint8Array[] => {
    if (tag === 'glyf') return s.glyf;
    if (tag === 'loca') return loca;
    if (tag === 'hmtx') return hmtx;
    const shared = tables.bytes.get(tag)!;
    if (tag !== 'maxp' && tag !== 'hhea') return shared;
    const copy = Buffer.from(shared);
    if (tag === 'maxp') copy.writeUInt16BE(count, MAXP_NUM_GLYPHS);
    else copy.writeUInt16BE(s.hmtx.metrics.length, HHEA_NUMBER_OF_METRICS);
    return copy;
  };
  const parts = tables.order.map(own);
  const lengthOf = (p: Buffer | Uint8Array[]) =>
    Array.isArray(p) ? p.reduce((n, b) => n + b.length, 0) : p.length;
  const n = tables.order.length;
  const head = Buffer.alloc(12 + 16 * n);
  head.write('true', 0, 'latin1');
  const power = 2 ** Math.floor(Math.log2(n));
  head.writeUInt16BE(n, 4);
  head.writeUInt16BE(power * 16, 6);
  head.writeUInt16BE(Math.log2(power), 8);
  head.writeUInt16BE(n * 16 - power * 16, 10);
  let offset = head.length;
  const chunks: Uint8Array[] = [head];
  tables.order.forEach((tag, i) => {
    const at = 12 + 16 * i;
    const length = lengthOf(parts[i]);
    head.write(tag, at, 'latin1');
    head.writeUInt32BE(0, at + 4);
    head.writeUInt32BE(offset, at + 8);
    head.writeUInt32BE(length, at + 12);
    offset += length;
    const p = parts[i];
    if (Array.isArray(p)) chunks.push(...p);
    else chunks.push(p);
  });
  return Buffer.concat(chunks, offset);
}
