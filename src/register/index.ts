import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IoError, ioErrorFrom, type Diagnostic } from '../errors';
import { decodeUtf8, readFileChecked, shownPath } from '../fsx';

/**
 * The issued-documents register: one JSON line per build in `<output>/register.jsonl`, so
 * compliance staff can say exactly which file went to whom, and `verify` can recognise it.
 * Paths inside the register are relative to the register's folder (like every path srq keeps
 * in a file), so the project can move.
 */

export const REGISTER_FILE = 'register.jsonl';
/** Version of the entry format, written into every line. */
export const REGISTER_FORMAT = 1;

export interface RegisterEntry {
  format: number;
  /** ISO date-time of the build. */
  time: string;
  /** The PDF, relative to the register's folder (posix separators). */
  file: string;
  sha256: string;
  bytes: number;
  /** The answers file, relative to the register's folder. */
  answersFile: string;
  answersSha256: string;
  version: string;
  template: string;
  tiers: string[];
  buyer?: string;
  reference?: string;
  /** The signing certificate's subject, when the build was signed. */
  signerSubject?: string;
  /** A draft (built with --draft): DRAFT on every page, not an issued document. */
  draft?: true;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(file: string): string {
  return sha256(readFileChecked(file, Number.MAX_SAFE_INTEGER));
}

export function registerPath(outputDir: string): string {
  return path.join(outputDir, REGISTER_FILE);
}

const rel = (from: string, to: string) =>
  path.relative(from, path.resolve(to)).split(path.sep).join('/') || '.';

/**
 * Appends one entry as a single `write` of one line to a file opened with O_APPEND, then fsyncs.
 * NOTE: on a local file system an O_APPEND write is placed at the end atomically, so builds
 * running at the same time each add a whole line and never interleave or overwrite.
 */
export function appendRegister(registerFile: string, entry: RegisterEntry): void {
  const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
  let fd: number | undefined;
  try {
    fd = fs.openSync(
      registerFile,
      fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT,
      0o644,
    );
    const written = fs.writeSync(fd, line, 0, line.length);
    if (written !== line.length) {
      throw new Error(`short write (${written} of ${line.length} bytes)`);
    }
    fs.fsyncSync(fd);
  } catch (err) {
    throw ioErrorFrom(err, shownPath(registerFile), 'write');
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export interface RecordBuildOptions {
  /** Folder holding register.jsonl (normally the project's output/). Created if missing. */
  outputDir: string;
  pdfPath: string;
  /** The PDF as written; hashed here so the entry matches the file byte for byte. */
  pdfBytes: Uint8Array;
  answersFile: string;
  /** The answers file's bytes as read; read from answersFile when omitted. */
  answersText?: string | Uint8Array;
  version: string;
  template: string;
  tiers: string[];
  buyer?: string;
  reference?: string;
  signerSubject?: string;
  draft?: boolean;
  time: Date;
}

/** Records one built document in `<outputDir>/register.jsonl` and returns the entry. */
export function recordBuild(o: RecordBuildOptions): RegisterEntry {
  const dir = path.resolve(o.outputDir);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw ioErrorFrom(err, shownPath(dir), 'write');
  }
  const answersBytes = o.answersText ?? readFileChecked(path.resolve(o.answersFile));
  const entry: RegisterEntry = {
    format: REGISTER_FORMAT,
    time: o.time.toISOString(),
    file: rel(dir, o.pdfPath),
    sha256: sha256(o.pdfBytes),
    bytes: o.pdfBytes.length,
    answersFile: rel(dir, o.answersFile),
    answersSha256: sha256(answersBytes),
    version: o.version,
    template: o.template,
    tiers: [...o.tiers],
    ...(o.buyer ? { buyer: o.buyer } : {}),
    ...(o.reference ? { reference: o.reference } : {}),
    ...(o.signerSubject ? { signerSubject: o.signerSubject } : {}),
    ...(o.draft ? { draft: true as const } : {}),
  };
  appendRegister(registerPath(dir), entry);
  return entry;
}

export interface RegisterContents {
  file: string;
  entries: RegisterEntry[];
  /** Lines that could not be read (hand edits, a disk that filled up): reported, never fatal. */
  problems: Diagnostic[];
}

function isEntry(v: unknown): v is RegisterEntry {
  const e = v as Partial<RegisterEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.file === 'string' &&
    typeof e.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(e.sha256) &&
    typeof e.time === 'string' &&
    typeof e.version === 'string' &&
    typeof e.answersFile === 'string'
  );
}

/** Reads a register file; a missing file is an empty register. */
export function readRegister(registerFile: string): RegisterContents {
  const shown = shownPath(registerFile);
  if (!fs.existsSync(registerFile)) return { file: registerFile, entries: [], problems: [] };
  let text: string;
  try {
    text = decodeUtf8(readFileChecked(registerFile, 256 * 1024 * 1024), shown);
  } catch (err) {
    if (!(err instanceof IoError) || !/not UTF-8/.test(err.message)) throw err;
    // A binary file would give one warning per "line" of noise: say it once.
    const problem: Diagnostic = {
      severity: 'warning',
      file: shown,
      message: 'not UTF-8 text, so no entry could be read',
      hint: 'the register is written by srq build; restore it from a backup, or give the right file with --register',
    };
    return { file: registerFile, entries: [], problems: [problem] };
  }
  const entries: RegisterEntry[] = [];
  const problems: Diagnostic[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      problems.push({
        severity: 'warning',
        file: shown,
        line: i + 1,
        col: 1,
        message: 'not a JSON line; skipped',
        hint: 'the register is written by srq build; restore this line from a backup or remove it',
      });
      return;
    }
    if (!isEntry(v)) {
      problems.push({
        severity: 'warning',
        file: shown,
        line: i + 1,
        col: 1,
        message: 'not a register entry (needs file, sha256, time, version, answersFile); skipped',
      });
      return;
    }
    entries.push({ ...v, tiers: Array.isArray(v.tiers) ? v.tiers : [] });
  });
  return { file: registerFile, entries, problems };
}

/** Resolves an entry's path (relative to the register's folder) to an absolute path. */
export function entryPath(registerFile: string, p: string): string {
  return path.resolve(path.dirname(path.resolve(registerFile)), p);
}

/** Every entry in `<outputDir>/register.jsonl` whose PDF hash is `sha`, oldest first. */
export function findInRegister(outputDir: string, sha: string): RegisterEntry[] {
  return lookupByHash(registerPath(outputDir), sha);
}

export function lookupByHash(registerFile: string, sha: string): RegisterEntry[] {
  const want = sha.toLowerCase();
  return readRegister(registerFile).entries.filter((e) => e.sha256 === want);
}

/**
 * Whether a PDF carries a filled-in signature: a /ByteRange of four numbers. An unsigned
 * placeholder (`/ByteRange [0 /********** …]`) does not count.
 */
export function isSignedPdf(buf: Uint8Array): boolean {
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return /\/ByteRange\s*\[\s*\d+\s+\d+\s+\d+\s+\d+\s*\]/.test(text);
}
