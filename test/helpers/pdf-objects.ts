import zlib from 'node:zlib';
/**
 * A small, independent reader of a PDF's objects, for checking the structure tree, annotations
 * and outline srq writes. It shares nothing with src/pdf: it parses the bytes (classic xref
 * tables, cross-reference and object streams, incremental updates included) and knows only
 * ISO 32000 syntax. Streams are decoded on request (FlateDecode).
 */

export type PdfValue = null | boolean | number | string | PdfName | PdfRef | PdfValue[] | PdfDict;
export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
export type PdfDict = { [key: string]: PdfValue };

const DELIMS = '()<>[]{}/%';
const isWhite = (c: string) =>
  c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\0';

class Parser {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  private skip(): void {
    for (;;) {
      while (this.pos < this.s.length && isWhite(this.s[this.pos])) this.pos++;
      if (this.s[this.pos] !== '%') return;
      while (this.pos < this.s.length && this.s[this.pos] !== '\n' && this.s[this.pos] !== '\r')
        this.pos++;
    }
  }

  private token(): string {
    this.skip();
    const start = this.pos;
    while (
      this.pos < this.s.length &&
      !isWhite(this.s[this.pos]) &&
      !DELIMS.includes(this.s[this.pos])
    )
      this.pos++;
    return this.s.slice(start, this.pos);
  }

  value(): PdfValue {
    this.skip();
    const c = this.s[this.pos];
    if (c === '<' && this.s[this.pos + 1] === '<') {
      this.pos += 2;
      const dict: PdfDict = {};
      for (;;) {
        this.skip();
        if (this.s.startsWith('>>', this.pos)) {
          this.pos += 2;
          return dict;
        }
        const key = this.value();
        if (!(key instanceof PdfName)) throw new Error(`bad dictionary key at ${this.pos}`);
        dict[key.name] = this.value();
      }
    }
    if (c === '[') {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skip();
        if (this.s[this.pos] === ']') {
          this.pos++;
          return arr;
        }
        arr.push(this.value());
      }
    }
    if (c === '/') {
      this.pos++;
      return new PdfName(
        this.token().replace(/#([0-9a-f]{2})/gi, (_, h: string) =>
          String.fromCharCode(parseInt(h, 16)),
        ),
      );
    }
    if (c === '(') return decodeText(this.literal());
    if (c === '<') {
      const end = this.s.indexOf('>', this.pos);
      const hex = this.s.slice(this.pos + 1, end).replace(/\s+/g, '');
      this.pos = end + 1;
      let bytes = '';
      for (let i = 0; i < hex.length; i += 2)
        bytes += String.fromCharCode(parseInt(hex.slice(i, i + 2).padEnd(2, '0'), 16));
      return decodeText(bytes);
    }
    const t = this.token();
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t))
      throw new Error(`unexpected token "${t}" at ${this.pos}`);
    // An indirect reference: "12 0 R".
    const save = this.pos;
    const gen = this.token();
    const r = this.token();
    if (/^\d+$/.test(t) && /^\d+$/.test(gen) && r === 'R')
      return new PdfRef(Number(t), Number(gen));
    this.pos = save;
    return Number(t);
  }

  private literal(): string {
    let depth = 0;
    let out = '';
    this.pos++;
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new Error('unterminated string');
      if (c === '\\') {
        const n = this.s[this.pos++];
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
        if (n in map) out += map[n];
        else if (/[0-7]/.test(n)) {
          let oct = n;
          while (oct.length < 3 && /[0-7]/.test(this.s[this.pos])) oct += this.s[this.pos++];
          out += String.fromCharCode(parseInt(oct, 8));
        } else if (n === '\r' || n === '\n') {
          if (n === '\r' && this.s[this.pos] === '\n') this.pos++;
        } else out += n;
        continue;
      }
      if (c === '(') depth++;
      if (c === ')' && depth-- === 0) return out;
      out += c;
    }
  }
}

/** A PDF text string: UTF-16BE with a BOM, or PDFDocEncoding (taken as Latin-1 here). */
function decodeText(bytes: string): string {
  if (bytes.startsWith('\u00fe\u00ff')) {
    let out = '';
    for (let i = 2; i + 1 < bytes.length; i += 2)
      out += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
    return out;
  }
  return bytes;
}

export class PdfObjects {
  private readonly s: string;
  private readonly offsets = new Map<number, number>();
  /** Objects inside object streams (ISO 32000-1 7.5.7): the stream's number and the index. */
  private readonly compressed = new Map<number, { stream: number; index: number }>();
  private readonly objStms = new Map<number, { text: string; at: number[] }>();
  readonly trailer: PdfDict;

  constructor(pdf: Buffer) {
    this.s = pdf.toString('latin1');
    const sx = this.s.lastIndexOf('startxref');
    let at: number | undefined = Number(/startxref\s+(\d+)/.exec(this.s.slice(sx))![1]);
    let trailer: PdfDict | undefined;
    const known = (n: number) => this.offsets.has(n) || this.compressed.has(n);
    // Newest section first: an object keeps the offset of its newest version.
    while (at !== undefined) {
      const p = new Parser(this.s, at);
      const head = /^xref\s+/.exec(this.s.slice(at, at + 10));
      if (!head) {
        const t = this.readXrefStream(at, known);
        trailer ??= t;
        at = typeof t.Prev === 'number' ? t.Prev : undefined;
        continue;
      }
      let pos = at + head[0].length;
      for (;;) {
        const sub = /^(\d+) (\d+)\s+/.exec(this.s.slice(pos, pos + 40));
        if (!sub) break;
        pos += sub[0].length;
        const first = Number(sub[1]);
        for (let i = 0; i < Number(sub[2]); i++) {
          const entry = this.s.slice(pos, pos + 20);
          pos += 20;
          if (entry[17] === 'n' && !known(first + i))
            this.offsets.set(first + i, Number(entry.slice(0, 10)));
        }
      }
      const tpos = this.s.indexOf('trailer', pos);
      p.pos = tpos + 'trailer'.length;
      const t = p.value() as PdfDict;
      trailer ??= t;
      at = typeof t.Prev === 'number' ? t.Prev : undefined;
    }
    this.trailer = trailer!;
  }

  /** A cross-reference stream (ISO 32000-1 7.5.8): its dictionary is the section's trailer. */
  private readXrefStream(at: number, known: (n: number) => boolean): PdfDict {
    const m = /^\s*(\d+)\s+\d+\s+obj/.exec(this.s.slice(at, at + 40));
    if (!m) throw new Error(`no cross-reference table or stream at ${at}`);
    const p = new Parser(this.s, at + m[0].length);
    const dict = p.value() as PdfDict;
    if (nameOf(dict.Type) !== 'XRef') throw new Error(`object at ${at} is not an XRef stream`);
    const data = this.streamAt(at, dict);
    const w = dict.W as number[];
    const index = (dict.Index as number[] | undefined) ?? [0, dict.Size as number];
    const field = (pos: number, width: number) => {
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[pos + i];
      return v;
    };
    let pos = 0;
    for (let k = 0; k < index.length; k += 2) {
      for (let i = 0; i < index[k + 1]; i++) {
        const num = index[k] + i;
        const type = w[0] ? field(pos, w[0]) : 1;
        const f2 = field(pos + w[0], w[1]);
        const f3 = field(pos + w[0] + w[1], w[2]);
        pos += w[0] + w[1] + w[2];
        if (known(num)) continue;
        if (type === 1) this.offsets.set(num, f2);
        else if (type === 2) this.compressed.set(num, { stream: f2, index: f3 });
      }
    }
    return dict;
  }

  /** The decoded data of the stream whose object starts at `off`. */
  private streamAt(off: number, dict: PdfDict): Buffer {
    const kw = this.s.indexOf('stream', off);
    let start = kw + 'stream'.length;
    if (this.s[start] === '\r') start++;
    if (this.s[start] === '\n') start++;
    const length = this.get(dict.Length) as number;
    const data = Buffer.from(this.s.slice(start, start + length), 'latin1');
    const filters = this.array(dict.Filter).map(nameOf);
    if (filters.length === 0) return data;
    if (filters.length === 1 && filters[0] === 'FlateDecode') return zlib.inflateSync(data);
    throw new Error(`unsupported stream filter ${filters.join(', ')}`);
  }

  /** The text of an object inside an object stream, and where its value starts. */
  private inObjStm(num: number): { text: string; pos: number } | undefined {
    const c = this.compressed.get(num);
    if (!c) return undefined;
    let stm = this.objStms.get(c.stream);
    if (!stm) {
      const dict = this.dict(new PdfRef(c.stream, 0))!;
      const text = this.stream(new PdfRef(c.stream, 0)).toString('latin1');
      const first = dict.First as number;
      const pairs = text.slice(0, first).trim().split(/\s+/).map(Number);
      const at: number[] = [];
      for (let i = 0; i < pairs.length; i += 2) at.push(first + pairs[i + 1]);
      stm = { text, at };
      this.objStms.set(c.stream, stm);
    }
    return { text: stm.text, pos: stm.at[c.index] };
  }

  /** The object a value refers to (the value itself when it is direct). */
  get(v: PdfValue | undefined): PdfValue | undefined {
    if (!(v instanceof PdfRef)) return v;
    const inStm = this.inObjStm(v.num);
    if (inStm) return new Parser(inStm.text, inStm.pos).value();
    const off = this.offsets.get(v.num);
    if (off === undefined) return undefined;
    const p = new Parser(this.s, off);
    const m = /^\s*\d+\s+\d+\s+obj/.exec(this.s.slice(off, off + 40));
    if (!m) throw new Error(`object ${v.num} is not at its xref offset`);
    p.pos = off + m[0].length;
    return p.value();
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    const o = this.get(v);
    return o &&
      typeof o === 'object' &&
      !(o instanceof PdfName) &&
      !(o instanceof PdfRef) &&
      !Array.isArray(o)
      ? o
      : undefined;
  }

  array(v: PdfValue | undefined): PdfValue[] {
    const o = this.get(v);
    return Array.isArray(o) ? o : o === undefined || o === null ? [] : [o];
  }

  get catalog(): PdfDict {
    return this.dict(this.trailer.Root)!;
  }

  /** The decoded data of a stream object (FlateDecode or none). */
  stream(ref: PdfValue | undefined): Buffer {
    if (!(ref instanceof PdfRef)) throw new Error('a stream must be an indirect object');
    return this.streamAt(this.offsets.get(ref.num)!, this.dict(ref)!);
  }

  /** Raw text of an object (its dictionary, up to "stream" or "endobj"). */
  raw(ref: PdfRef): string {
    const inStm = this.inObjStm(ref.num);
    if (inStm) {
      const p = new Parser(inStm.text, inStm.pos);
      p.value();
      return inStm.text.slice(inStm.pos, p.pos);
    }
    const off = this.offsets.get(ref.num)!;
    const end = this.s.indexOf('endobj', off);
    const stream = this.s.indexOf('stream', off);
    return this.s.slice(off, stream >= 0 && stream < end ? stream : end);
  }

  /** Every object number in the file. */
  numbers(): number[] {
    return [...this.offsets.keys(), ...this.compressed.keys()].sort((a, b) => a - b);
  }
}

export function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

/**
 * The syntax of every object in the file (dictionaries up to any stream data), compressed
 * objects included, one after another: for checks that look for a key or a string anywhere.
 */
export function objectsText(pdf: Buffer): string {
  const objects = new PdfObjects(pdf);
  return objects
    .numbers()
    .map((n) => objects.raw(new PdfRef(n, 0)))
    .join('\n');
}
