/**
 * Just enough PDF syntax to read a file's revisions and objects, and to write new ones for an
 * incremental update: objects, classic cross-reference tables and trailers (what pdfkit and srq
 * write). Cross-reference streams are recognised and reported, not read.
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

/** A reader over the whole file; positions are byte offsets. */
export class PdfLexer {
  pos: number;
  constructor(
    readonly buf: Buffer,
    pos = 0,
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
    for (;;) {
      this.skipWs();
      if (this.pos >= this.buf.length) this.fail('unterminated dictionary');
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      const key = this.value();
      if (!(key instanceof PdfName)) this.fail('dictionary key is not a name');
      dict.set(key.name, this.value());
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
    const length = dict.get('Length');
    if (typeof length !== 'number') this.fail('stream without a direct /Length');
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
): { num: number; gen: number; value: PdfValue } {
  const lx = new PdfLexer(buf, offset);
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
// Revisions, cross-reference tables, object access

export interface Revision {
  /** Offset of this revision's cross-reference section. */
  xrefOffset: number;
  trailer: PdfDict;
  /** Byte just after this revision's %%EOF and its line end. */
  end: number;
  /** Object offsets this section lists (in-use entries only). */
  offsets: Map<number, number>;
}

/** Finds the offset after the last "%%EOF" at or before `limit`, including its line end. */
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

function readXrefSection(
  buf: Buffer,
  offset: number,
): { offsets: Map<number, number>; trailer: PdfDict } {
  const lx = new PdfLexer(buf, offset);
  lx.skipWs();
  if (lx.regular() !== 'xref') {
    // NOTE: cross-reference streams (PDF 1.5 object streams) are not written by pdfkit or srq.
    throw new PdfSyntaxError(
      `no classic cross-reference table at byte ${offset} (cross-reference streams are not supported)`,
    );
  }
  const offsets = new Map<number, number>();
  for (;;) {
    lx.skipWs();
    if (lx.peekKeyword('trailer')) break;
    const first = Number(lx.regular());
    lx.skipWs();
    const count = Number(lx.regular());
    if (!Number.isInteger(first) || !Number.isInteger(count))
      throw new PdfSyntaxError(`bad cross-reference table at byte ${lx.pos}`);
    for (let i = 0; i < count; i++) {
      lx.skipWs();
      const off = Number(lx.regular());
      lx.skipWs();
      lx.regular();
      lx.skipWs();
      const kind = lx.regular();
      if (kind === 'n' && off > 0) offsets.set(first + i, off);
    }
  }
  lx.pos += 'trailer'.length;
  const trailer = lx.value();
  if (!isDict(trailer)) throw new PdfSyntaxError('trailer is not a dictionary');
  return { offsets, trailer };
}

/**
 * The file's revisions, oldest first, following /Prev from the last startxref. Each revision's
 * `end` is where its %%EOF line ends: what a signature made on that revision must cover.
 */
export function readRevisions(buf: Buffer): Revision[] {
  if (buf.toString('latin1', 0, 5) !== '%PDF-')
    throw new PdfSyntaxError('not a PDF (no %PDF- header)');
  const tail = buf.lastIndexOf('%%EOF', buf.length, 'latin1');
  if (tail < 0) throw new PdfSyntaxError('no %%EOF (the file is truncated)');
  const revisions: Revision[] = [];
  const seen = new Set<number>();
  let xref: number | undefined = startxrefBefore(buf, tail);
  while (xref !== undefined) {
    if (seen.has(xref)) throw new PdfSyntaxError('cross-reference /Prev loop');
    seen.add(xref);
    const { offsets, trailer } = readXrefSection(buf, xref);
    revisions.unshift({ xrefOffset: xref, trailer, end: eofEnd(buf, xref), offsets });
    const prev = trailer.get('Prev');
    xref = typeof prev === 'number' ? prev : undefined;
  }
  return revisions;
}

/** Object access through the merged cross-reference of a set of revisions. */
export class PdfFile {
  readonly offsets = new Map<number, number>();
  private readonly cache = new Map<number, PdfValue>();
  readonly trailer: PdfDict;
  constructor(
    readonly buf: Buffer,
    readonly revisions: Revision[] = readRevisions(buf),
  ) {
    for (const r of revisions) for (const [n, o] of r.offsets) this.offsets.set(n, o);
    this.trailer = revisions[revisions.length - 1].trailer;
  }

  object(ref: PdfRef): PdfValue {
    const hit = this.cache.get(ref.num);
    if (hit !== undefined) return hit;
    const off = this.offsets.get(ref.num);
    if (off === undefined) return null;
    const { num, value } = parseIndirectObject(this.buf, off);
    if (num !== ref.num)
      throw new PdfSyntaxError(
        `cross-reference entry for object ${ref.num} points at object ${num}`,
      );
    this.cache.set(ref.num, value);
    return value;
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
    return typeof s === 'number' ? s : Math.max(0, ...this.offsets.keys()) + 1;
  }
}
