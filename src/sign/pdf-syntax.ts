import zlib from 'node:zlib';

/**
 * PDF syntax to read a file's revisions and objects, and to write new ones for an incremental
 * update: objects, classic cross-reference tables and cross-reference streams (PDF 1.5, as qpdf,
 * Acrobat and Word write them), object streams, indirect stream /Length, and each revision's
 * %%EOF/startxref chain. Every offset and length is checked against the file: a damaged file
 * raises a PdfSyntaxError, never reads past its buffer.
 */

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}
/** A string's bytes, and whether it was written as `<hex>`. */
export class PdfString {
  constructor(
    readonly bytes: Buffer,
    readonly hex = false,
  ) {}
  /** Text string: UTF-16BE with a BOM, or PDFDocEncoding (read as Latin-1, close enough here). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const swapped = Buffer.from(b.subarray(2));
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    return b.toString('latin1');
  }
}
/** Verbatim syntax, for placeholders. */
export class PdfRawValue {
  constructor(readonly text: string) {}
}
export interface PdfStream {
  dict: PdfDict;
  /** Raw (still encoded) stream bytes. */
  data: Buffer;
}
export type PdfDict = Map<string, PdfValue>;
export type PdfValue =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfRawValue
  | PdfValue[]
  | PdfDict
  | PdfStream;

export class PdfSyntaxError extends Error {}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export function isStream(v: PdfValue | undefined): v is PdfStream {
  return typeof v === 'object' && v !== null && 'data' in v && 'dict' in v;
}
export function isDict(v: PdfValue | undefined): v is PdfDict {
  return v instanceof Map;
}

/**
 * Where each dictionary entry's value was in the file: [start, end) byte offsets. Verification
 * needs it to prove that a signature's unsigned hole is exactly its own /Contents string.
 */
const SPANS = new WeakMap<PdfDict, Map<string, [number, number]>>();
export function valueSpan(dict: PdfDict, key: string): [number, number] | undefined {
  return SPANS.get(dict)?.get(key);
}

/** Resolves an indirect stream /Length; undefined when the object is missing or not a number. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

/** A reader over the whole file; positions are byte offsets. */
export class PdfLexer {
  pos: number;
  constructor(
    readonly buf: Buffer,
    pos = 0,
    private readonly lengthOf?: LengthResolver,
  ) {
    this.pos = pos;
  }

  skipWs(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  private fail(what: string): never {
    throw new PdfSyntaxError(`${what} at byte ${this.pos}`);
  }

  /** A bare keyword or number token. */
  regular(): string {
    const start = this.pos;
    const b = this.buf;
    while (this.pos < b.length && !WS.has(b[this.pos]) && !DELIM.has(b[this.pos])) this.pos++;
    return b.toString('latin1', start, this.pos);
  }

  peekKeyword(word: string): boolean {
    this.skipWs();
    return this.buf.toString('latin1', this.pos, this.pos + word.length) === word;
  }

  value(): PdfValue {
    this.skipWs();
    const b = this.buf;
    if (this.pos >= b.length) this.fail('unexpected end of file');
    const c = b[this.pos];
    if (c === 0x2f) {
      this.pos++;
      const raw = this.regular();
      return new PdfName(
        raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      );
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) return this.dictOrStream();
    if (c === 0x3c) return this.hexString();
    if (c === 0x28) return this.literalString();
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (this.pos >= b.length) this.fail('unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        items.push(this.value());
      }
    }
    const tok = this.regular();
    if (tok === '') this.fail(`unexpected character '${String.fromCharCode(c)}'`);
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok)) this.fail(`unexpected token '${tok.slice(0, 20)}'`);
    // An integer may start "num gen R".
    if (/^\d+$/.test(tok)) {
      const save = this.pos;
      this.skipWs();
      const gen = this.regular();
      if (/^\d+$/.test(gen)) {
        this.skipWs();
        if (b[this.pos] === 0x52 /* R */) {
          this.pos++;
          return new PdfRef(Number(tok), Number(gen));
        }
      }
      this.pos = save;
    }
    return Number(tok);
  }

  private dictOrStream(): PdfDict | PdfStream {
    this.pos += 2;
    const dict: PdfDict = new Map();
    const spans = new Map<string, [number, number]>();
    SPANS.set(dict, spans);
    for (;;) {
      this.skipWs();
      if (this.pos >= this.buf.length) this.fail('unterminated dictionary');
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      const key = this.value();
      if (!(key instanceof PdfName)) this.fail('dictionary key is not a name');
      this.skipWs();
      const start = this.pos;
      const value = this.value();
      // NOTE: a repeated key is ambiguous (viewers differ on which one wins): refuse it.
      if (dict.has(key.name)) this.fail(`dictionary key /${key.name} appears twice`);
      dict.set(key.name, value);
      spans.set(key.name, [start, this.pos]);
    }
    const save = this.pos;
    this.skipWs();
    if (this.buf.toString('latin1', this.pos, this.pos + 6) !== 'stream') {
      this.pos = save;
      return dict;
    }
    this.pos += 6;
    if (this.buf[this.pos] === 0x0d) this.pos++;
    if (this.buf[this.pos] === 0x0a) this.pos++;
    const rawLength = dict.get('Length');
    const length = rawLength instanceof PdfRef ? this.lengthOf?.(rawLength) : rawLength;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0)
      this.fail('stream without a usable /Length');
    const data = this.buf.subarray(this.pos, this.pos + length);
    if (data.length !== length) this.fail('stream runs past the end of the file');
    this.pos += length;
    this.skipWs();
    if (!this.peekKeyword('endstream')) this.fail('stream /Length does not end at endstream');
    this.pos += 'endstream'.length;
    return { dict, data };
  }

  private hexString(): PdfString {
    const end = this.buf.indexOf(0x3e, this.pos);
    if (end < 0) this.fail('unterminated hex string');
    let hex = this.buf.toString('latin1', this.pos + 1, end).replace(/[\s]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex)) this.fail('bad hex string');
    if (hex.length % 2) hex += '0';
    this.pos = end + 1;
    return new PdfString(Buffer.from(hex, 'hex'), true);
  }

  private literalString(): PdfString {
    const b = this.buf;
    const out: number[] = [];
    let depth = 0;
    this.pos++;
    for (;;) {
      if (this.pos >= b.length) this.fail('unterminated string');
      const c = b[this.pos++];
      if (c === 0x5c) {
        const n = b[this.pos++];
        const map: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };
        if (map[n] !== undefined) out.push(map[n]);
        else if (n >= 0x30 && n <= 0x37) {
          let oct = n - 0x30;
          for (let i = 0; i < 2 && b[this.pos] >= 0x30 && b[this.pos] <= 0x37; i++) {
            oct = oct * 8 + (b[this.pos++] - 0x30);
          }
          out.push(oct & 0xff);
        } else if (n === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (n !== 0x0a) out.push(n);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (depth === 0) break;
        depth--;
        out.push(c);
      } else out.push(c);
    }
    return new PdfString(Buffer.from(out));
  }
}

/** Parses "num gen obj <value> endobj" at `offset`. */
export function parseIndirectObject(
  buf: Buffer,
  offset: number,
  lengthOf?: LengthResolver,
): { num: number; gen: number; value: PdfValue } {
  if (!Number.isInteger(offset) || offset < 0 || offset >= buf.length)
    throw new PdfSyntaxError(`object offset ${offset} is outside the file`);
  const lx = new PdfLexer(buf, offset, lengthOf);
  lx.skipWs();
  const num = Number(lx.regular());
  lx.skipWs();
  const gen = Number(lx.regular());
  lx.skipWs();
  if (!Number.isInteger(num) || !Number.isInteger(gen) || lx.regular() !== 'obj') {
    throw new PdfSyntaxError(`no object at byte ${offset}`);
  }
  const value = lx.value();
  return { num, gen, value };
}

// ---------------------------------------------------------------------------------------------
// Serialising

function escapeLiteral(bytes: Buffer): string {
  let s = '';
  for (const c of bytes) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c > 0x7e) s += `\\${c.toString(8).padStart(3, '0')}`;
    else s += String.fromCharCode(c);
  }
  return `(${s})`;
}

function nameToken(name: string): string {
  let s = '/';
  for (const ch of Buffer.from(name, 'latin1')) {
    const delim = DELIM.has(ch) || WS.has(ch) || ch === 0x23 || ch < 0x21 || ch > 0x7e;
    s += delim ? `#${ch.toString(16).padStart(2, '0')}` : String.fromCharCode(ch);
  }
  return s;
}

/** PDF syntax for a value; streams are written by `serialiseObject`. */
export function serialise(v: PdfValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (v instanceof PdfName) return nameToken(v.name);
  if (v instanceof PdfRef) return v.toString();
  if (v instanceof PdfRawValue) return v.text;
  if (v instanceof PdfString)
    return v.hex ? `<${v.bytes.toString('hex')}>` : escapeLiteral(v.bytes);
  if (Array.isArray(v)) return `[${v.map(serialise).join(' ')}]`;
  if (isStream(v)) throw new Error('a stream must be an indirect object');
  const parts = [...v.entries()].map(([k, val]) => `${nameToken(k)} ${serialise(val)}`);
  return `<<\n${parts.join('\n')}\n>>`;
}

/** "num 0 obj … endobj" bytes for an object, stream data copied verbatim. */
export function serialiseObject(num: number, value: PdfValue): Buffer {
  if (isStream(value)) {
    const dict = new Map(value.dict);
    dict.set('Length', value.data.length);
    return Buffer.concat([
      Buffer.from(`${num} 0 obj\n${serialise(dict)}\nstream\n`, 'latin1'),
      value.data,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]);
  }
  return Buffer.from(`${num} 0 obj\n${serialise(value)}\nendobj\n`, 'latin1');
}

/** A text string as PDF wants it: PDFDocEncoding for ASCII, otherwise UTF-16BE with a BOM. */
export function textString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(Buffer.from(text, 'latin1'));
  const utf16 = Buffer.from(text, 'utf16le');
  utf16.swap16();
  return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16]));
}

export function name(n: string): PdfName {
  return new PdfName(n);
}

// ---------------------------------------------------------------------------------------------
// Revisions, cross-reference tables and streams, object access

/** Where a cross-reference section says an object is. */
export type XrefEntry =
  | { kind: 'offset'; offset: number; gen: number }
  | { kind: 'compressed'; stream: number; index: number };

export interface Revision {
  /** Offset of this revision's cross-reference section (the newest one, if it has two). */
  xrefOffset: number;
  trailer: PdfDict;
  /** Byte just after this revision's %%EOF and its line end. */
  end: number;
  /** Object offsets this section lists (in-use, uncompressed entries only). */
  offsets: Map<number, number>;
  /** Every in-use entry, including objects inside object streams. */
  entries: Map<number, XrefEntry>;
  /** Objects this section marks free (deleted). */
  freed: Set<number>;
  /** Written as a cross-reference stream (PDF 1.5) rather than a classic table. */
  xrefStream: boolean;
}

/** Largest decoded stream srq reads (a cross-reference or object stream), against zip bombs. */
const MAX_DECODED = 256 * 1024 * 1024;

/** Finds the offset after the first "%%EOF" from `from`, including its line end. */
function eofEnd(buf: Buffer, from: number): number {
  const at = buf.indexOf('%%EOF', from, 'latin1');
  if (at < 0) return -1;
  let end = at + 5;
  if (buf[end] === 0x0d) end++;
  if (buf[end] === 0x0a) end++;
  return end;
}

function startxrefBefore(buf: Buffer, end: number): number {
  const at = buf.lastIndexOf('startxref', end, 'latin1');
  if (at < 0) throw new PdfSyntaxError('no startxref (the file is truncated or not a PDF)');
  const lx = new PdfLexer(buf, at + 9);
  lx.skipWs();
  const off = Number(lx.regular());
  if (!Number.isInteger(off) || off < 0 || off >= buf.length)
    throw new PdfSyntaxError('startxref points outside the file');
  return off;
}

function intAt(v: PdfValue | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new PdfSyntaxError(`${what} is not a non-negative integer`);
  return v;
}

/** PNG row predictors (Predictor >= 10), as cross-reference streams use them. */
function unpredict(data: Buffer, parms: PdfDict | undefined): Buffer {
  const predictor =
    typeof parms?.get('Predictor') === 'number' ? (parms.get('Predictor') as number) : 1;
  if (predictor === 1) return data;
  if (predictor < 10) throw new PdfSyntaxError(`unsupported predictor ${predictor}`);
  const colors = typeof parms?.get('Colors') === 'number' ? (parms.get('Colors') as number) : 1;
  const bpc =
    typeof parms?.get('BitsPerComponent') === 'number'
      ? (parms.get('BitsPerComponent') as number)
      : 8;
  const columns = typeof parms?.get('Columns') === 'number' ? (parms.get('Columns') as number) : 1;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (!(rowLen > 0)) throw new PdfSyntaxError('bad predictor /Columns');
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const src = r * (rowLen + 1) + 1;
    const dst = r * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const raw = data[src + i];
      const left = i >= bpp ? out[dst + i - bpp] : 0;
      const up = r > 0 ? out[dst - rowLen + i] : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLen + i - bpp] : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + up;
          break;
        case 3:
          v = raw + Math.floor((left + up) / 2);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new PdfSyntaxError(`bad PNG predictor row type ${type}`);
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}

/** A stream's decoded bytes: FlateDecode (with predictors) or no filter; others are refused. */
export function decodeStream(stream: PdfStream): Buffer {
  const filter = stream.dict.get('Filter');
  const filters = (Array.isArray(filter) ? filter : filter === undefined ? [] : [filter]).map(
    (f) => (f instanceof PdfName ? f.name : '?'),
  );
  const parmsRaw = stream.dict.get('DecodeParms');
  const parms = Array.isArray(parmsRaw) ? parmsRaw : [parmsRaw];
  let data = stream.data;
  filters.forEach((f, i) => {
    if (f !== 'FlateDecode') throw new PdfSyntaxError(`unsupported stream filter /${f}`);
    try {
      data = zlib.inflateSync(data, { maxOutputLength: MAX_DECODED });
    } catch {
      throw new PdfSyntaxError('a compressed stream is damaged');
    }
    const p = parms[i];
    data = unpredict(data, isDict(p ?? undefined) ? (p as PdfDict) : undefined);
  });
  return data;
}

interface XrefSection {
  entries: Map<number, XrefEntry>;
  freed: Set<number>;
  trailer: PdfDict;
  xrefStream: boolean;
}

function readClassicTable(buf: Buffer, lx: PdfLexer): XrefSection {
  const entries = new Map<number, XrefEntry>();
  const freed = new Set<number>();
  for (;;) {
    lx.skipWs();
    if (lx.pos >= buf.length) throw new PdfSyntaxError('cross-reference table without a trailer');
    if (lx.peekKeyword('trailer')) break;
    const first = Number(lx.regular());
    lx.skipWs();
    const count = Number(lx.regular());
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0)
      throw new PdfSyntaxError(`bad cross-reference table at byte ${lx.pos}`);
    if (count * 18 > buf.length - lx.pos)
      throw new PdfSyntaxError(`cross-reference subsection at byte ${lx.pos} runs past the file`);
    for (let i = 0; i < count; i++) {
      lx.skipWs();
      const off = Number(lx.regular());
      lx.skipWs();
      const gen = Number(lx.regular());
      lx.skipWs();
      const kind = lx.regular();
      if (!Number.isInteger(off) || !Number.isInteger(gen) || (kind !== 'n' && kind !== 'f'))
        throw new PdfSyntaxError(`bad cross-reference entry at byte ${lx.pos}`);
      // NOTE: within one section the first entry for a number wins, as in the xref stream reader.
      if (entries.has(first + i) || freed.has(first + i)) continue;
      if (kind === 'n' && off > 0) entries.set(first + i, { kind: 'offset', offset: off, gen });
      else if (first + i !== 0) freed.add(first + i);
    }
  }
  lx.pos += 'trailer'.length;
  const trailer = lx.value();
  if (!isDict(trailer)) throw new PdfSyntaxError('trailer is not a dictionary');
  return { entries, freed, trailer, xrefStream: false };
}

function readXrefStream(buf: Buffer, offset: number): XrefSection {
  const obj = parseIndirectObject(buf, offset);
  const stream = obj.value;
  if (
    !isStream(stream) ||
    !(stream.dict.get('Type') instanceof PdfName) ||
    (stream.dict.get('Type') as PdfName).name !== 'XRef'
  ) {
    throw new PdfSyntaxError(`no cross-reference table or stream at byte ${offset}`);
  }
  const dict = stream.dict;
  const w = dict.get('W');
  if (
    !Array.isArray(w) ||
    w.length !== 3 ||
    !w.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 8)
  )
    throw new PdfSyntaxError(`cross-reference stream at byte ${offset} has a bad /W`);
  const widths = w as number[];
  const size = intAt(dict.get('Size'), 'cross-reference stream /Size');
  const indexRaw = dict.get('Index') ?? [0, size];
  if (
    !Array.isArray(indexRaw) ||
    indexRaw.length % 2 ||
    !indexRaw.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
  )
    throw new PdfSyntaxError(`cross-reference stream at byte ${offset} has a bad /Index`);
  const data = decodeStream(stream);
  const rowLen = widths[0] + widths[1] + widths[2];
  const field = (at: number, width: number): number => {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[at + i];
    return v;
  };
  const entries = new Map<number, XrefEntry>();
  const freed = new Set<number>();
  let at = 0;
  const index = indexRaw as number[];
  for (let s = 0; s < index.length; s += 2) {
    for (let i = 0; i < index[s + 1]; i++) {
      if (at + rowLen > data.length)
        throw new PdfSyntaxError(
          `cross-reference stream at byte ${offset} is shorter than its /Index`,
        );
      const type = widths[0] === 0 ? 1 : field(at, widths[0]);
      const f2 = field(at + widths[0], widths[1]);
      const f3 = field(at + widths[0] + widths[1], widths[2]);
      at += rowLen;
      const num = index[s] + i;
      if (entries.has(num) || freed.has(num)) continue;
      if (type === 1) entries.set(num, { kind: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { kind: 'compressed', stream: f2, index: f3 });
      else if (type === 0 && num !== 0) freed.add(num);
    }
  }
  // The stream's own dictionary serves as the trailer.
  const trailer: PdfDict = new Map(dict);
  return { entries, freed, trailer, xrefStream: true };
}

function readXrefSection(buf: Buffer, offset: number): XrefSection {
  const lx = new PdfLexer(buf, offset);
  lx.skipWs();
  if (lx.buf.toString('latin1', lx.pos, lx.pos + 4) !== 'xref') return readXrefStream(buf, offset);
  lx.pos += 4;
  const section = readClassicTable(buf, lx);
  // A hybrid file: a classic table plus a cross-reference stream for the compressed objects.
  const stm = section.trailer.get('XRefStm');
  if (typeof stm === 'number') {
    const extra = readXrefStream(buf, intAt(stm, '/XRefStm'));
    for (const [n, e] of extra.entries)
      if (!section.entries.has(n) && !section.freed.has(n)) section.entries.set(n, e);
  }
  return section;
}

/**
 * The file's revisions, oldest first, following /Prev from the last startxref. Each revision's
 * `end` is where its %%EOF line ends: what a signature made on that revision must cover.
 * NOTE: a linearized file's first-page section points forward (/Prev to the main section at the
 * end); the two sections are one revision.
 */
export function readRevisions(buf: Buffer): Revision[] {
  if (buf.toString('latin1', 0, 5) !== '%PDF-')
    throw new PdfSyntaxError('not a PDF (no %PDF- header)');
  const tail = buf.lastIndexOf('%%EOF', buf.length, 'latin1');
  if (tail < 0) throw new PdfSyntaxError('no %%EOF (the file is truncated)');
  const chain: (XrefSection & { offset: number })[] = [];
  const seen = new Set<number>();
  let xref: number | undefined = startxrefBefore(buf, tail);
  while (xref !== undefined) {
    if (seen.has(xref)) throw new PdfSyntaxError('cross-reference /Prev loop');
    if (seen.size > 10_000) throw new PdfSyntaxError('too many cross-reference sections');
    seen.add(xref);
    const section = readXrefSection(buf, xref);
    chain.push({ ...section, offset: xref });
    const prev = section.trailer.get('Prev');
    xref = prev === undefined ? undefined : intAt(prev, 'trailer /Prev');
    if (xref !== undefined && xref >= buf.length)
      throw new PdfSyntaxError('trailer /Prev points outside the file');
  }
  const revisions: Revision[] = [];
  for (const section of chain.reverse()) {
    const last = revisions[revisions.length - 1];
    if (last && section.offset < last.xrefOffset) {
      // Linearized first-page section: entries merge into the revision, newest section first.
      for (const [n, e] of section.entries) last.entries.set(n, e);
      for (const n of section.freed) last.freed.add(n);
      last.trailer = new Map([...last.trailer, ...section.trailer]);
      continue;
    }
    const end = eofEnd(buf, section.offset);
    if (end < 0)
      throw new PdfSyntaxError(`no %%EOF after the cross-reference at byte ${section.offset}`);
    revisions.push({
      xrefOffset: section.offset,
      trailer: section.trailer,
      end,
      entries: section.entries,
      freed: section.freed,
      offsets: new Map(),
      xrefStream: section.xrefStream,
    });
  }
  for (const r of revisions)
    for (const [n, e] of r.entries) if (e.kind === 'offset') r.offsets.set(n, e.offset);
  return revisions;
}

/** Object access through the merged cross-reference of a set of revisions. */
export class PdfFile {
  readonly entries = new Map<number, XrefEntry>();
  readonly offsets = new Map<number, number>();
  private readonly cache = new Map<number, PdfValue>();
  private readonly objectStreams = new Map<
    number,
    { data: Buffer; offsets: number[]; nums: number[] }
  >();
  private readonly loading = new Set<number>();
  readonly trailer: PdfDict;
  constructor(
    readonly buf: Buffer,
    readonly revisions: Revision[] = readRevisions(buf),
  ) {
    for (const r of revisions) {
      for (const n of r.freed) this.entries.delete(n);
      for (const [n, e] of r.entries) this.entries.set(n, e);
    }
    for (const [n, e] of this.entries) if (e.kind === 'offset') this.offsets.set(n, e.offset);
    this.trailer = revisions[revisions.length - 1].trailer;
  }

  /** Where object `num` is: its offset in the file, or its object stream. */
  entry(num: number): XrefEntry | undefined {
    return this.entries.get(num);
  }

  private readonly lengthOf: LengthResolver = (ref) => {
    const v = this.object(ref);
    return typeof v === 'number' ? v : undefined;
  };

  object(ref: PdfRef): PdfValue {
    const hit = this.cache.get(ref.num);
    if (hit !== undefined) return hit;
    const entry = this.entries.get(ref.num);
    if (entry === undefined) return null;
    if (this.loading.has(ref.num))
      throw new PdfSyntaxError(`object ${ref.num} refers to itself while being read`);
    this.loading.add(ref.num);
    try {
      const value =
        entry.kind === 'offset'
          ? this.objectAt(ref.num, entry.offset)
          : this.compressed(ref.num, entry);
      this.cache.set(ref.num, value);
      return value;
    } finally {
      this.loading.delete(ref.num);
    }
  }

  private objectAt(num: number, offset: number): PdfValue {
    const obj = parseIndirectObject(this.buf, offset, this.lengthOf);
    if (obj.num !== num)
      throw new PdfSyntaxError(
        `cross-reference entry for object ${num} points at object ${obj.num}`,
      );
    return obj.value;
  }

  private compressed(num: number, entry: { stream: number; index: number }): PdfValue {
    let os = this.objectStreams.get(entry.stream);
    if (!os) {
      const streamEntry = this.entries.get(entry.stream);
      if (streamEntry?.kind !== 'offset')
        throw new PdfSyntaxError(`object stream ${entry.stream} of object ${num} is missing`);
      const stream = this.objectAt(entry.stream, streamEntry.offset);
      if (!isStream(stream))
        throw new PdfSyntaxError(`object ${entry.stream} is not an object stream`);
      const n = intAt(stream.dict.get('N'), `object stream ${entry.stream} /N`);
      const first = intAt(stream.dict.get('First'), `object stream ${entry.stream} /First`);
      const data = decodeStream(stream);
      const lx = new PdfLexer(data, 0);
      const offsets: number[] = [];
      const nums: number[] = [];
      for (let i = 0; i < n; i++) {
        nums.push(intAt(lx.value(), `object stream ${entry.stream} header`));
        offsets.push(first + intAt(lx.value(), `object stream ${entry.stream} header`));
      }
      os = { data, offsets, nums };
      this.objectStreams.set(entry.stream, os);
    }
    const { nums } = os;
    const at = os.offsets[entry.index];
    if (at === undefined || nums[entry.index] !== num || at >= os.data.length)
      throw new PdfSyntaxError(`object ${num} is not where object stream ${entry.stream} says`);
    return new PdfLexer(os.data, at).value();
  }

  /** Follows a reference; other values come back as they are. */
  resolve(v: PdfValue | undefined): PdfValue {
    if (v === undefined) return null;
    return v instanceof PdfRef ? this.object(v) : v;
  }

  dict(v: PdfValue | undefined, what: string): PdfDict {
    const d = this.resolve(v);
    if (!isDict(d)) throw new PdfSyntaxError(`${what} is not a dictionary`);
    return d;
  }

  get size(): number {
    const s = this.trailer.get('Size');
    return typeof s === 'number' ? s : Math.max(0, ...this.entries.keys()) + 1;
  }
}
