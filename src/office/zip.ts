import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { CheckError } from '../errors';

/**
 * The zip container of Office files (xlsx, docx): read every entry, write them back in their
 * original order with only the changed ones replaced. Synchronous (fflate), no streams.
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
/** Thrown from inside fflate's filter to stop unpacking a zip bomb. */
class TooLargeUnpacked extends Error {}

export function readZip(buf: Uint8Array, file: string): ZipEntries {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(buf, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNPACKED_BYTES) throw new TooLargeUnpacked();
        return true;
      },
    });
  } catch (err) {
    const tooLarge = err instanceof TooLargeUnpacked;
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
  const out: Zippable = {};
  const names = [...zip.names, ...[...changed.keys()].filter((n) => !zip.data.has(n))];
  // NOTE: a fixed time, so the same input and answers give the same bytes.
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const name of names) {
    const c = changed.get(name);
    const data = c === undefined ? zip.data.get(name)! : typeof c === 'string' ? strToU8(c) : c;
    // Already-compressed media gain nothing from deflate.
    const level = /\.(png|jpe?g|gif|emf|wmf|bin)$/i.test(name) ? 0 : 6;
    out[name] = [data, { level, mtime }];
  }
  return Buffer.from(zipSync(out));
}

/** Builds a new zip from named parts, in the given order. */
export function buildZip(parts: [string, string | Uint8Array][]): Buffer {
  return writeZip({ names: [], data: new Map() }, new Map(parts));
}
