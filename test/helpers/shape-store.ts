import fs from 'node:fs';

/**
 * Reads and writes srq's shaped-word cache files (dist/.cache/shapes-7-*.bin) from the layout
 * documented in src/pdf/shape-cache.ts, written again here without its code, so that a test that
 * edits a cache file does not lean on the functions it tests: "SRQSHAPE", u32 format, u32 total
 * length, u32 count, u32 slots, u32 CRC-32 of the rest of the file, a u32 table (0 or 1 + entry
 * offset) probed from FNV-1a of the word's UTF-16 code units, then entries (u16 key length, UTF-8
 * key, u16 value length, value).
 * A value is a word's shape in binary: u8 flags (1: one character per glyph, in the word's order,
 * not stored; 2: x advances only, as int16), u8 glyph count, u16 glyph ids, then (without flag 1)
 * per glyph a u8 count and u32 code points, then int16 x advances (flag 2) or float64 positions.
 * Here a shape is read and written as JSON text, [glyph ids, code points per glyph, positions
 * (xAdvance, yAdvance, xOffset, yOffset per glyph)], as format 5 stored it as its value.
 */

const FORMAT = 7;

/** CRC-32 (ISO-HDLC, as zlib and PNG), bit by bit: slow, and nothing shared with the product. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A stored value as JSON text [g, c, p]. */
function valueToJson(key: string, v: Buffer): string {
  const flags = v[0];
  const n = v[1];
  let at = 2;
  const g: number[] = [];
  for (let i = 0; i < n; i++, at += 2) g.push(v.readUInt16LE(at));
  let c: number[][];
  if (flags & 1) c = Array.from(key, (ch) => [ch.codePointAt(0)!]);
  else {
    c = [];
    for (let i = 0; i < n; i++) {
      const count = v[at++];
      const cps: number[] = [];
      for (let k = 0; k < count; k++, at += 4) cps.push(v.readUInt32LE(at));
      c.push(cps);
    }
  }
  const p: number[] = [];
  if (flags & 2) for (let i = 0; i < n; i++, at += 2) p.push(v.readInt16LE(at), 0, 0, 0);
  else for (let i = 0; i < 4 * n; i++, at += 8) p.push(v.readDoubleLE(at));
  if (at !== v.length) throw new Error(`"${key}": ${v.length - at} bytes after its shape`);
  return JSON.stringify([g, c, p]);
}

/** A shape [g, c, p] as a stored value, always in the long form (no flags). */
export function shapeValue([g, c, p]: [number[], number[][], number[]]): Buffer {
  const parts: Buffer[] = [Buffer.from([0, g.length])];
  for (const id of g) {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(id);
    parts.push(b);
  }
  for (const cps of c) {
    const b = Buffer.alloc(1 + 4 * cps.length);
    b[0] = cps.length;
    cps.forEach((cp, k) => b.writeUInt32LE(cp, 1 + 4 * k));
    parts.push(b);
  }
  const pos = Buffer.alloc(8 * p.length);
  p.forEach((x, k) => pos.writeDoubleLE(x, 8 * k));
  parts.push(pos);
  return Buffer.concat(parts);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** word -> its stored shape as JSON text, oldest first, read by walking the entries. */
export function readShapeStore(file: string): Record<string, string> {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 8) !== 'SRQSHAPE') throw new Error(`${file}: not a shape store`);
  if (buf.readUInt32LE(8) !== FORMAT) throw new Error(`${file}: format ${buf.readUInt32LE(8)}`);
  if (buf.readUInt32LE(12) !== buf.length) throw new Error(`${file}: length`);
  const count = buf.readUInt32LE(16);
  const slots = buf.readUInt32LE(20);
  if (crc32(buf.subarray(28)) !== buf.readUInt32LE(24)) throw new Error(`${file}: CRC`);
  const out: Record<string, string> = {};
  let at = 28 + 4 * slots;
  for (let n = 0; n < count; n++) {
    const k = buf.readUInt16LE(at);
    const key = buf.toString('utf8', at + 2, at + 2 + k);
    const v = buf.readUInt16LE(at + 2 + k);
    out[key] = valueToJson(key, buf.subarray(at + 4 + k, at + 4 + k + v));
    at += 4 + k + v;
  }
  if (at !== buf.length) throw new Error(`${file}: ${buf.length - at} bytes after the entries`);
  // Every word must be found where a reader probes for it.
  for (const key of Object.keys(out)) {
    let s = fnv1a(key) % slots;
    for (;;) {
      const ref = buf.readUInt32LE(28 + 4 * s);
      if (ref === 0) throw new Error(`${file}: "${key}" is not in the table`);
      const k = buf.readUInt16LE(ref - 1);
      if (buf.toString('utf8', ref + 1, ref + 1 + k) === key) break;
      s = (s + 1) % slots;
    }
  }
  return out;
}

/**
 * Writes `words` as a shape store file, in their order: each word's shape as JSON text
 * ([g, c, p]), or a Buffer written as its value as it is (a damaged entry).
 */
export function writeShapeStore(file: string, words: Record<string, string | Buffer>): void {
  const keys = Object.keys(words);
  let slots = 1;
  while (slots < 2 * keys.length) slots *= 2;
  const table = Buffer.alloc(4 * slots);
  const entries: Buffer[] = [];
  let at = 28 + 4 * slots;
  for (const key of keys) {
    const k = Buffer.from(key);
    const word = words[key];
    const v =
      typeof word === 'string'
        ? shapeValue(JSON.parse(word) as [number[], number[][], number[]])
        : word;
    const e = Buffer.concat([Buffer.alloc(2), k, Buffer.alloc(2), v]);
    e.writeUInt16LE(k.length, 0);
    e.writeUInt16LE(v.length, 2 + k.length);
    let s = fnv1a(key) % slots;
    while (table.readUInt32LE(4 * s)) s = (s + 1) % slots;
    table.writeUInt32LE(at + 1, 4 * s);
    entries.push(e);
    at += e.length;
  }
  const header = Buffer.alloc(28);
  header.write('SRQSHAPE', 0, 'latin1');
  header.writeUInt32LE(FORMAT, 8);
  header.writeUInt32LE(at, 12);
  header.writeUInt32LE(keys.length, 16);
  header.writeUInt32LE(slots, 20);
  const body = Buffer.concat([table, ...entries]);
  header.writeUInt32LE(crc32(body), 24);
  fs.writeFileSync(file, Buffer.concat([header, body]));
}

/** `file` (a store's bytes, edited) with its CRC-32 written again, so a reader gets past it. */
export function resealShapeStore(file: Buffer): Buffer {
  const out = Buffer.from(file);
  out.writeUInt32LE(crc32(out.subarray(28)), 24);
  return out;
}
