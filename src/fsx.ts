import fs from 'node:fs';
import path from 'node:path';
import { ioErrorFrom, IoError, UsageError } from './errors';

/** A path as the user would write it: relative to the current folder when inside it. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Largest input file srq reads (answers, catalogues, templates): far above any real one. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/**
 * Largest PDF srq signs or verifies: far above any statement (780 pages is a few MB), and well
 * under what one Buffer and its latin1 string copy (V8 strings stop at ~512 MiB) can hold.
 */
export const MAX_PDF_INPUT_BYTES = 100 * 1024 * 1024;

function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** Reads a whole file, refusing directories and files over `maxBytes`; errors are IoErrors. */
export function readFileChecked(absFile: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  const file = shownPath(absFile);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absFile);
  } catch (err) {
    throw ioErrorFrom(err, file);
  }
  if (stat.isDirectory())
    throw new IoError(`${file}: is a directory, not a file (give a file path)`);
  if (stat.size > maxBytes) {
    throw new IoError(
      `${file}: file is ${megabytes(stat.size)} (${stat.size} bytes), over srq's ${megabytes(maxBytes)} limit for this kind of file (is this the right file?)`,
    );
  }
  try {
    return fs.readFileSync(absFile);
  } catch (err) {
    throw ioErrorFrom(err, file);
  }
}

/** Decodes UTF-8 strictly; a binary or Latin-1 file is reported, not garbled. */
export function decodeUtf8(buf: Buffer, file: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    let offset = 0;
    // Find the first invalid byte to say where.
    for (let i = 1; i <= buf.length; i++) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, i));
        offset = i;
      } catch {
        if (i - offset > 4) break;
      }
    }
    const before = buf.subarray(0, offset).toString('utf8');
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    throw new IoError(
      `${file}:${line}:${col}: not UTF-8 text (binary file, or another encoding; save it as UTF-8)`,
    );
  }
}

export function readTextFile(file: string, maxBytes = MAX_INPUT_BYTES): string {
  return decodeUtf8(readFileChecked(file, maxBytes), shownPath(file));
}

/** Whether two paths name the same file, also through links; false when either is missing. */
export function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

/** Refuses an output path that names one of the command's input files (it would be lost). */
export function refuseInputAsOutput(output: string, inputs: (string | undefined)[]): void {
  for (const input of inputs) {
    if (input && sameFile(output, input)) {
      throw new UsageError(
        `${shownPath(path.resolve(output))}: that is an input file of this command, writing there would destroy it (choose another path with -o)`,
      );
    }
  }
}

let tmpCounter = 0;

/**
 * Writes a file atomically: a temporary file beside the target, fsync, then rename.
 * Readers and crashes never see a half-written target.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number; overwrite?: boolean } = {},
): void {
  const dir = path.dirname(path.resolve(file));
  const shown = shownPath(path.resolve(file));
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st?.isDirectory())
      throw new IoError(`${shown}: is a directory (give a file path, not a folder)`);
    if (st && options.overwrite === false) {
      throw new IoError(`${shown}: already exists (choose another path; nothing was overwritten)`);
    }
    const dirStat = fs.statSync(dir, { throwIfNoEntry: false });
    if (!dirStat) {
      throw new IoError(
        `${shown}: the folder ${shownPath(dir)} does not exist (create it first, or choose another path with -o)`,
      );
    }
    if (!dirStat.isDirectory()) {
      throw new IoError(`${shown}: ${shownPath(dir)} is not a folder (check the path)`);
    }
  } catch (err) {
    throw ioErrorFrom(err, shown, 'write');
  }
  const tmp = path.join(dir, `.srq-tmp-${process.pid}-${++tmpCounter}-${path.basename(file)}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', options.mode ?? 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (options.overwrite === false) {
      // NOTE: link() fails if the target appeared meanwhile, so a concurrent writer never loses.
      fs.linkSync(tmp, file);
      fs.unlinkSync(tmp);
    } else {
      fs.renameSync(tmp, file);
    }
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new IoError(`${shown}: already exists (choose another path; nothing was overwritten)`);
    }
    throw ioErrorFrom(err, shown, 'write');
  }
}
