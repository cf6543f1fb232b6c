import zlib from 'node:zlib';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { CheckError } from '../errors';

/**
 * The zip container of Office files (xlsx, docx): read every entry, write them back in their
 * original order with only the changed ones replaced. Synchronous, no streams: read with fflate,
 * written with node's own zlib (native deflate; fflate's JavaScript deflate took ~150 ms cold for a
 * 300-question workbook, a sixth of srq fill's time budget).
 */

/** Far above any questionnaire or export; stops a zip bomb before it fills memory. */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

export interface ZipEntries {
  /** Entry names in the order they appear in the archive. */
  names: string[];
  data: Map<string, Uint8Array>;
}

export type Container = 'zip' | 'ole' | 'unknown';

/** What the first bytes say: a zip (xlsx, docx, ods, numbers), an OLE compound file (xls, doc, an encrypted xlsx). */
export function containerOf(buf: Uint8Array): Container {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04)
    return 'zip';
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (buf.length >= 8 && ole.every((b, i) => buf[i] === b)) return 'ole';
  return 'unknown';
}

/**
 * Whether an OLE compound file is an Office file encrypted with a password: Office keeps the
 * real (zip) package in a stream named "EncryptedPackage" (MS-OFFCRYPTO 2.3.4.4).
 */
export function isEncryptedOffice(buf: Uint8Array): boolean {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).includes(
    Buffer.from('EncryptedPackage', 'utf16le'),
  );
}

/** Reads a zip; a damaged one is a CheckError naming the file. */
export function readZip(buf: Uint8Array, file: string): ZipEntries {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(buf, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw new Error('too large unpacked');
        return true;
      },
    });
  } catch (err) {
    const tooLarge = /too large unpacked/.test((err as Error).message);
    throw new CheckError(
      tooLarge
        ? `${file}: unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB, far more than a questionnaire holds (is this the right file?)`
        : `${file}: not a readable Office file (the zip container is damaged: ${(err as Error).message}); open it in Excel or Word, save it again, and retry`,
      [],
      { cause: err },
    );
  }
  const names = Object.keys(entries);
  return { names, data: new Map(names.map((n) => [n, entries[n]])) };
}

/** The text of an XML entry, or undefined when the entry is missing. */
export function entryText(zip: ZipEntries, name: string): string | undefined {
  const d = zip.data.get(name);
  return d ? strFromU8(d) : undefined;
}

/**
 * Writes the entries back in their original order; `changed` replaces (or adds, at the end)
 * entries by name. Every other entry's unpacked bytes are the original ones.
 */
export function writeZip(
  zip: ZipEntries,
  changed: Map<string, string | Uint8Array> = new Map(),
): Buffer {
  const names = [...zip.names, ...[...changed.keys()].filter((n) => !zip.data.has(n))];
  if (names.length > 0xffff) throw new Error(`a zip of ${names.length} entries needs zip64`);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const c = changed.get(name);
    const data = c === undefined ? zip.data.get(name)! : typeof c === 'string' ? strToU8(c) : c;
    // Already-compressed media gain nothing from deflate: stored.
    const store = /\.(png|jpe?g|gif|emf|wmf|bin)$/i.test(name);
    const body = store ? Buffer.from(data) : zlib.deflateRawSync(data, { level: 6 });
    const nameBytes = Buffer.from(name, 'utf8');
    const head = {
      // UTF-8 names (bit 11) when the name is not plain ASCII.
      flags: /[^\x20-\x7e]/.test(name) ? 0x0800 : 0,
      method: store ? 0 : 8,
      crc: zlib.crc32(data),
      csize: body.length,
      usize: data.length,
    };
    if (offset + body.length > 0xfffffff0) throw new Error('a zip over 4 GB needs zip64');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeCommon(local, 6, head);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    writeCommon(dir, 8, head);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    central.push(dir, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** NOTE: a fixed time (2000-01-01 00:00, DOS format), so the same input and answers give the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;

/** The fields a local header and a central directory entry share, from `at`: flags to sizes. */
function writeCommon(
  b: Buffer,
  at: number,
  h: { flags: number; method: number; crc: number; csize: number; usize: number },
): void {
  b.writeUInt16LE(h.flags, at);
  b.writeUInt16LE(h.method, at + 2);
  b.writeUInt16LE(DOS_TIME, at + 4);
  b.writeUInt16LE(DOS_DATE, at + 6);
  b.writeUInt32LE(h.crc >>> 0, at + 8);
  b.writeUInt32LE(h.csize, at + 12);
  b.writeUInt32LE(h.usize, at + 16);
}

/** Builds a new zip from named parts, in the given order. */
export function buildZip(parts: [string, string | Uint8Array][]): Buffer {
  return writeZip({ names: [], data: new Map() }, new Map(parts));
}
