import zlib from 'node:zlib';
import { DEFLATE_LEVEL } from './pdfkit-fixes';
import { BYTE_RANGE_PLACEHOLDER } from './signature-field';

/**
 * Rewrites the file pdfkit wrote (a classic cross-reference table, every object at top level) so
 * that its non-stream objects — the structure tree, annotations, outline, font dictionaries: most
 * of a tagged document's objects — are packed into compressed object streams, indexed by a
 * cross-reference stream (ISO 32000-1 7.5.7 and 7.5.8; PDF 1.5, allowed by PDF/A-2). Streams stay
 * at top level as they were (they cannot go into an object stream), and so does the signature
 * dictionary, whose placeholders the signer fills in place. Object numbers, the trailer's /Root,
 * /Info and /ID, and every object's bytes are kept, so the document reads exactly as before; the
 * example statement shrinks to ~0.6× its bytes. Deterministic: the same input gives the same bytes.
 */

/** Objects per object stream: large enough to compress well, small enough to read one quickly. */
const PER_STREAM = 200;

const ENDOBJ = Buffer.from('\nendobj\n', 'latin1');
const NEWLINE = Buffer.from('\n', 'latin1');

interface Parsed {
  header: Buffer;
  /**
   * Object bodies (between "N 0 obj" and "endobj", trimmed), indexed by number (gen is always 0);
   * holes for numbers not in use.
   */
  objects: (Buffer | undefined)[];
  size: number;
  /** The trailer entries carried over, serialised (`/Root 3 0 R` …). */
  trailer: string[];
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Whether `pdf` holds the characters of `text` (as latin1 bytes) at `at`. */
function bytesAre(pdf: Buffer, at: number, text: string): boolean {
  if (at < 0 || at + text.length > pdf.length) return false;
  for (let i = 0; i < text.length; i++) if (pdf[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The offset in an in-use cross-reference entry, "dddddddddd 00000 n" (with its trailing space
 * or not), the line from `at` to `end` of `pdf`; undefined for any other line.
 * NOTE: read from the bytes: a 700-page document's table is ~100,000 lines, and splitting it
 * into strings to read them cost more than the rest of the parse.
 */
function inUseOffset(pdf: Buffer, at: number, end: number): number | undefined {
  const length = end - at;
  if (length !== 19 && length !== 18) return undefined;
  if (length === 19 && pdf[at + 18] !== 0x20) return undefined;
  if (pdf[at + 10] !== 0x20 || pdf[at + 16] !== 0x20 || pdf[at + 17] !== 0x6e) return undefined;
  for (let i = 11; i < 16; i++) if (pdf[at + i] !== 0x30) return undefined;
  let offset = 0;
  for (let i = 0; i < 10; i++) {
    const c = pdf[at + i];
    if (!isDigit(c)) return undefined;
    offset = offset * 10 + (c - 0x30);
  }
  return offset;
}

function parseClassic(pdf: Buffer): Parsed | undefined {
  const tail = pdf.toString('latin1', Math.max(0, pdf.length - 64));
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) return undefined;
  const xrefAt = Number(m[1]);
  if (pdf.toString('latin1', xrefAt, xrefAt + 5) !== 'xref\n') return undefined;
  const trailerAt = pdf.indexOf('trailer', xrefAt, 'latin1');
  if (trailerAt < 0) return undefined;
  const offsets: [number, number][] = [];
  let num = 0;
  for (let from = xrefAt + 5; from <= trailerAt;) {
    let to = pdf.indexOf(0x0a, from);
    if (to < 0 || to > trailerAt) to = trailerAt;
    // NOTE: an in-use entry as pdfkit writes it ("0000012345 00000 n "), read without a regular
    // expression: a cold build ran the expression below ~2,000 times (one per object), interpreted.
    const at = inUseOffset(pdf, from, to);
    if (at !== undefined) {
      offsets.push([num++, at]);
      from = to + 1;
      continue;
    }
    const line = pdf.toString('latin1', from, to);
    from = to + 1;
    const sub = /^(\d+) (\d+)$/.exec(line);
    if (sub) {
      num = Number(sub[1]);
      continue;
    }
    const e = /^(\d{10}) (\d{5}) ([nf]) ?$/.exec(line);
    if (!e) {
      if (line.trim()) return undefined;
      continue;
    }
    if (e[3] === 'n') {
      if (e[2] !== '00000') return undefined;
      offsets.push([num, Number(e[1])]);
    }
    num++;
  }
  offsets.sort((a, b) => a[1] - b[1]);
  const objects: (Buffer | undefined)[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const [n, at] = offsets[i];
    const end = i + 1 < offsets.length ? offsets[i + 1][1] : xrefAt;
    const open = `${n} 0 obj\n`;
    if (!bytesAre(pdf, at, open)) return undefined;
    let stop = end;
    while (stop > at && (pdf[stop - 1] === 0x0a || pdf[stop - 1] === 0x0d)) stop--;
    if (stop - 6 < at + open.length || !bytesAre(pdf, stop - 6, 'endobj')) return undefined;
    stop -= 6;
    while (stop > at && (pdf[stop - 1] === 0x0a || pdf[stop - 1] === 0x0d)) stop--;
    objects[n] = pdf.subarray(at + open.length, stop);
  }
  const trailerText = pdf.toString('latin1', trailerAt, pdf.length);
  const size = /\/Size (\d+)/.exec(trailerText);
  if (!size) return undefined;
  const trailer: string[] = [];
  for (const key of ['Root', 'Info']) {
    const r = new RegExp(`/${key} (\\d+ 0 R)`).exec(trailerText);
    if (r) trailer.push(`/${key} ${r[1]}`);
  }
  const id = /\/ID (\[<[0-9a-fA-F]*> ?<[0-9a-fA-F]*>\])/.exec(trailerText);
  if (id) trailer.push(`/ID ${id[1]}`);
  if (!trailer.some((t) => t.startsWith('/Root'))) return undefined;
  // pdfkit writes "%PDF-1.7\n%ÿÿÿÿ\n" before the first object.
  const first = offsets.length ? offsets[0][1] : xrefAt;
  return { header: pdf.subarray(0, first), objects, size: Number(size[1]), trailer };
}

/** A stream object's body ends with its data's "endstream"; no other object's can. */
function isStreamBody(body: Buffer): boolean {
  return bytesAre(body, body.length - 9, 'endstream');
}

/** Big-endian field of `width` bytes. */
function put(out: Buffer, at: number, field: { value: number; width: number }): void {
  let { value } = field;
  const { width } = field;
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = value % 256;
    value = Math.floor(value / 256);
  }
}

function bytesFor(max: number): number {
  let w = 1;
  while (max >= 256 ** w) w++;
  return w;
}

/**
 * The same document with object streams and a cross-reference stream. Returns the input
 * unchanged when it is not the plain single-revision file pdfkit writes (nothing to gain safely),
 * or when SRQ_OBJECT_STREAMS=0 (the bench's "before" figure, and a way out for an old reader).
 */
export function packObjectStreams(pdf: Buffer): Buffer {
  if (process.env.SRQ_OBJECT_STREAMS === '0') return pdf;
  const parsed = parseClassic(pdf);
  if (!parsed) return pdf;
  const { header, objects, size, trailer } = parsed;
  const packed: number[] = [];
  const top: number[] = [];
  for (let n = 0; n < objects.length; n++) {
    const body = objects[n];
    if (!body) continue;
    if (isStreamBody(body) || body.includes(BYTE_RANGE_PLACEHOLDER, 0, 'latin1')) top.push(n);
    else packed.push(n);
  }

  const parts: Buffer[] = [header];
  let offset = header.length;
  // Each object's cross-reference entry, by number (dense arrays: a 700-page document has
  // ~100,000 objects): type 0 (free), 1 (at an offset) or 2 (in an object stream, at an index).
  const streams = Math.ceil(packed.length / PER_STREAM);
  const count = Math.max(size, objects.length) + streams + 1;
  const types = new Uint8Array(count);
  const f2s = new Float64Array(count);
  const f3s = new Uint32Array(count);
  const entry = (num: number, type: 1 | 2, [f2, f3]: [number, number]): void => {
    types[num] = type;
    f2s[num] = f2;
    f3s[num] = f3;
  };
  const write = (num: number, body: Buffer): void => {
    entry(num, 1, [offset, 0]);
    // Views, not copies: a 700-page document's streams are copied once, into the result.
    const open = Buffer.from(`${num} 0 obj\n`, 'latin1');
    parts.push(open, body, ENDOBJ);
    offset += open.length + body.length + ENDOBJ.length;
  };
  for (const n of top) write(n, objects[n]!);

  let next = Math.max(size, objects.length);
  for (let i = 0; i < packed.length; i += PER_STREAM) {
    const group = packed.slice(i, i + PER_STREAM);
    const streamNum = next++;
    const index: string[] = [];
    const bodies: Buffer[] = [];
    let at = 0;
    for (let k = 0; k < group.length; k++) {
      const n = group[k];
      const body = objects[n]!;
      index.push(`${n} ${at}`);
      // One shared line feed, not a Buffer per object (~50,000 for 700 pages).
      bodies.push(body, NEWLINE);
      at += body.length + 1;
      entry(n, 2, [streamNum, k]);
    }
    const head = Buffer.from(`${index.join(' ')}\n`, 'latin1');
    const data = zlib.deflateSync(Buffer.concat([head, ...bodies]), { level: DEFLATE_LEVEL.other });
    write(
      streamNum,
      Buffer.concat([
        Buffer.from(
          `<< /Type /ObjStm /N ${group.length} /First ${head.length} /Filter /FlateDecode` +
            ` /Length ${data.length} >>\nstream\n`,
          'latin1',
        ),
        data,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  }

  const xrefNum = next++;
  const xrefAt = offset;
  entry(xrefNum, 1, [xrefAt, 0]);
  const w2 = bytesFor(Math.max(xrefAt, next));
  const w3 = 2;
  const row = 1 + w2 + w3;
  const table = Buffer.alloc(row * next);
  for (let n = 0; n < next; n++) {
    const type = types[n];
    // Free entries (object 0, and any number pdfkit left unused): next free 0, generation 65535.
    put(table, n * row, { value: type, width: 1 });
    put(table, n * row + 1, { value: type ? f2s[n] : 0, width: w2 });
    put(table, n * row + 1 + w2, { value: type ? f3s[n] : 65535, width: w3 });
  }
  const data = zlib.deflateSync(table, { level: DEFLATE_LEVEL.other });
  const dict =
    `<< /Type /XRef /Size ${next} /W [1 ${w2} ${w3}] ${trailer.join(' ')}` +
    ` /Filter /FlateDecode /Length ${data.length} >>\nstream\n`;
  parts.push(
    Buffer.from(`${xrefNum} 0 obj\n${dict}`, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  );
  return Buffer.concat(parts);
}
