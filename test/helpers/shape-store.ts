import fs from 'node:fs';

/**
 * Reads and writes srq's shaped-word cache files (dist/.cache/shapes-5-*.bin) from the layout
 * documented in src/pdf/shape-cache.ts, written again here without its code, so that a test that
 * edits a cache file does not lean on the functions it tests: "SRQSHAPE", u32 format, u32 total
 * length, u32 count, u32 slots, a u32 table (0 or 1 + entry offset) probed from FNV-1a of the
 * word's UTF-16 code units, then entries (u16 key length, key, u16 value length, value; UTF-8).
 */

const FORMAT = 5;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** word -> its stored JSON text, oldest first, read by walking the entries after the table. */
export function readShapeStore(file: string): Record<string, string> {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 8) !== 'SRQSHAPE') throw new Error(`${file}: not a shape store`);
  if (buf.readUInt32LE(8) !== FORMAT) throw new Error(`${file}: format ${buf.readUInt32LE(8)}`);
  if (buf.readUInt32LE(12) !== buf.length) throw new Error(`${file}: length`);
  const count = buf.readUInt32LE(16);
  const slots = buf.readUInt32LE(20);
  const out: Record<string, string> = {};
  let at = 24 + 4 * slots;
  for (let n = 0; n < count; n++) {
    const k = buf.readUInt16LE(at);
    const key = buf.toString('utf8', at + 2, at + 2 + k);
    const v = buf.readUInt16LE(at + 2 + k);
    out[key] = buf.toString('utf8', at + 4 + k, at + 4 + k + v);
    at += 4 + k + v;
  }
  if (at !== buf.length) throw new Error(`${file}: ${buf.length - at} bytes after the entries`);
  // Every word must be found where a reader probes for it.
  for (const key of Object.keys(out)) {
    let s = fnv1a(key) % slots;
    for (;;) {
      const ref = buf.readUInt32LE(24 + 4 * s);
      if (ref === 0) throw new Error(`${file}: "${key}" is not in the table`);
      const k = buf.readUInt16LE(ref - 1);
      if (buf.toString('utf8', ref + 1, ref + 1 + k) === key) break;
      s = (s + 1) % slots;
    }
  }
  return out;
}

/** Writes `words` (word -> JSON text) as a shape store file, in their order. */
export function writeShapeStore(file: string, words: Record<string, string>): void {
  const keys = Object.keys(words);
  let slots = 1;
  while (slots < 2 * keys.length) slots *= 2;
  const table = Buffer.alloc(4 * slots);
  const entries: Buffer[] = [];
  let at = 24 + 4 * slots;
  for (const key of keys) {
    const k = Buffer.from(key);
    const v = Buffer.from(words[key]);
    const e = Buffer.concat([Buffer.alloc(2), k, Buffer.alloc(2), v]);
    e.writeUInt16LE(k.length, 0);
    e.writeUInt16LE(v.length, 2 + k.length);
    let s = fnv1a(key) % slots;
    while (table.readUInt32LE(4 * s)) s = (s + 1) % slots;
    table.writeUInt32LE(at + 1, 4 * s);
    entries.push(e);
    at += e.length;
  }
  const header = Buffer.alloc(24);
  header.write('SRQSHAPE', 0, 'latin1');
  header.writeUInt32LE(FORMAT, 8);
  header.writeUInt32LE(at, 12);
  header.writeUInt32LE(keys.length, 16);
  header.writeUInt32LE(slots, 20);
  fs.writeFileSync(file, Buffer.concat([header, table, ...entries]));
}
