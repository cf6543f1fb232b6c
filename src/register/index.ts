import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IoError, ioErrorFrom, type Diagnostic } from '../errors';
import {
  ensureDir,
  firstBadUtf8,
  inputSha256,
  readFileChecked,
  readInput,
  shownPath,
  writeFileAtomic,
} from '../fsx';

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
  /** 'fill' for a buyer's questionnaire answered by `srq fill`; absent for a built document. */
  kind?: 'fill';
  /** srq fill: the buyer's file as received, relative to the register's folder, and its hash. */
  questionnaire?: string;
  questionnaireSha256?: string;
  /**
   * A copy of the answers as built, relative to the register's folder
   * (`answers/<answersSha256>.yaml`), so `srq register --affected-by` can compare any later
   * version with what this document said, with or without git.
   */
  answersCopy?: string;
  /** Ids of the answers the document contained. */
  items?: string[];
  /** The audience it was built for (src/model/audience.ts). */
  audience?: string;
  /** For an NDA build: who it was prepared for, and the NDA's reference. */
  recipient?: string;
  ndaRef?: string;
  /** Signed with --allow-unapproved: the answers that were not approved and current. */
  approvalOverride?: string[];
  /** A draft (built with --draft): DRAFT on every page, not an issued document. */
  draft?: true;
}

/** The optional facts a build adds to its register entry (issue 18). */
export type EntryExtras = Pick<
  RegisterEntry,
  'items' | 'audience' | 'recipient' | 'ndaRef' | 'approvalOverride'
>;

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

/** Whether the file open at `fd` is empty or ends with a newline (a torn last line does not). */
function endsWithNewline(fd: number, size: number): boolean {
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  return fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a;
}

/**
 * Appends one entry as a single `write` of one line to a file opened with O_APPEND, then fsyncs.
 * NOTE: on a local file system an O_APPEND write is placed at the end atomically, so builds
 * running at the same time each add a whole line and never interleave or overwrite. After a
 * torn last line (a full disk, a killed editor) the entry starts on a line of its own, so the
 * torn line is one reported bad line and the new entry is whole.
 */
export function appendRegister(registerFile: string, entry: RegisterEntry): void {
  const json = `${JSON.stringify(entry)}\n`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(
      registerFile,
      fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NONBLOCK,
      0o644,
    );
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      throw new IoError(
        `${shownPath(registerFile)}: the register is not a regular file (move it away; srq build starts a new one)`,
      );
    }
    const line = Buffer.from(endsWithNewline(fd, st.size) ? json : `\n${json}`, 'utf8');
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
  extras?: EntryExtras;
}

/** Folder beside the register holding the answers of every build, named by their SHA-256. */
export const ANSWERS_COPIES = 'answers';

/**
 * Keeps the answers a document was built from as `<dir>/answers/<sha256>.yaml` (written once,
 * atomically; the same answers built again share one copy). Returns its path relative to `dir`.
 */
export function keepAnswersCopy(dir: string, bytes: string | Uint8Array, sha: string): string {
  const relPath = `${ANSWERS_COPIES}/${sha}.yaml`;
  const file = path.join(dir, ANSWERS_COPIES, `${sha}.yaml`);
  if (fs.existsSync(file)) return relPath;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (err) {
    throw ioErrorFrom(err, shownPath(path.dirname(file)), 'write');
  }
  writeFileAtomic(file, bytes);
  return relPath;
}

/** Undoes keepAnswersCopy when the register line it belongs to could not be written. */
function dropAnswersCopy(dir: string, relPath: string): void {
  fs.rmSync(path.join(dir, relPath), { force: true });
  try {
    fs.rmdirSync(path.join(dir, ANSWERS_COPIES)); // only when empty
  } catch {
    // other copies remain: keep the folder
  }
}

/** Records one built document in `<outputDir>/register.jsonl` and returns the entry. */
export function recordBuild(o: RecordBuildOptions): RegisterEntry {
  const dir = path.resolve(o.outputDir);
  ensureDir(dir);
  // The bytes the document was built from, not the file as it is now (it may have changed).
  // NOTE: the hash recorded when the build read the file is taken first: reading it again
  // below records the bytes as they are now.
  const asRead = inputSha256(o.answersFile);
  const current = o.answersText ?? readFileChecked(path.resolve(o.answersFile));
  const answersSha256 =
    o.answersText !== undefined ? sha256(o.answersText) : (asRead ?? sha256(current));
  // The copy is kept only when the bytes at hand are the ones built from.
  const copiesBefore = fs.existsSync(path.join(dir, ANSWERS_COPIES, `${answersSha256}.yaml`));
  const answersCopy =
    sha256(current) === answersSha256 ? keepAnswersCopy(dir, current, answersSha256) : undefined;
  const entry: RegisterEntry = {
    format: REGISTER_FORMAT,
    time: o.time.toISOString(),
    file: rel(dir, o.pdfPath),
    sha256: sha256(o.pdfBytes),
    bytes: o.pdfBytes.length,
    answersFile: rel(dir, o.answersFile),
    answersSha256,
    version: o.version,
    template: o.template,
    tiers: [...o.tiers],
    ...(o.buyer ? { buyer: o.buyer } : {}),
    ...(o.reference ? { reference: o.reference } : {}),
    ...(o.signerSubject ? { signerSubject: o.signerSubject } : {}),
    answersCopy,
    ...(o.extras ?? {}),
    ...(o.draft ? { draft: true as const } : {}),
  };
  const copyIsNew = answersCopy !== undefined && !copiesBefore;
  try {
    appendRegister(registerPath(dir), entry);
  } catch (err) {
    // The copy and its line are one record: no line, no copy.
    if (copyIsNew && answersCopy) dropAnswersCopy(dir, answersCopy);
    throw err;
  }
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

/** Largest register srq reads: about a million entries. */
const MAX_REGISTER_BYTES = 256 * 1024 * 1024;

/**
 * Reads a register file; a missing file is an empty register. Line by line: a line that is not
 * UTF-8 or not JSON (a torn write, a stray binary block) is reported and skipped, and every
 * other entry is still read.
 */
export function readRegister(registerFile: string): RegisterContents {
  const shown = shownPath(registerFile);
  if (!fs.existsSync(registerFile)) return { file: registerFile, entries: [], problems: [] };
  const buf = readInput(registerFile, { maxBytes: MAX_REGISTER_BYTES });
  const entries: RegisterEntry[] = [];
  const problems: Diagnostic[] = [];
  // A run of bad lines in a row (a binary block) is one warning, not one per line.
  let run: { first: number; last: number; message: string; hint?: string } | undefined;
  const flush = () => {
    if (!run) return;
    const span = run.first === run.last ? '' : ` (lines ${run.first}-${run.last})`;
    problems.push({
      severity: 'warning',
      file: shown,
      line: run.first,
      col: 1,
      message: `${run.message}${span}; skipped`,
      ...(run.hint ? { hint: run.hint } : {}),
    });
    run = undefined;
  };
  const skip = (line: number, message: string, hint?: string) => {
    if (run && run.message === message && run.last === line - 1) run.last = line;
    else {
      flush();
      run = { first: line, last: line, message, ...(hint ? { hint } : {}) };
    }
  };
  const restore =
    'the register is written by srq build; restore it from a backup, or remove the bad lines';
  let start = 0;
  for (let lineNo = 1; start < buf.length; lineNo++) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    const bytes = buf.subarray(start, end);
    start = end + 1;
    if (firstBadUtf8(bytes) >= 0) {
      skip(lineNo, 'not UTF-8 text', restore);
      continue;
    }
    const line = bytes.toString('utf8');
    if (!line.trim()) {
      flush();
      continue;
    }
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      skip(lineNo, 'not a JSON line', restore);
      continue;
    }
    if (!isEntry(v)) {
      skip(lineNo, 'not a register entry (needs file, sha256, time, version, answersFile)');
      continue;
    }
    flush();
    entries.push({ ...v, tiers: Array.isArray(v.tiers) ? v.tiers : [] });
  }
  flush();
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

export interface RecordFillOptions {
  outputDir: string;
  /** The buyer's questionnaire as received. */
  questionnaire: string;
  questionnaireBytes: Uint8Array;
  /** The filled file as written. */
  output: string;
  outputBytes: Uint8Array;
  answersFile: string;
  answersText: string | Uint8Array;
  version: string;
  tier: string;
  buyer?: string;
  reference?: string;
  time: Date;
}

/** Records one filled questionnaire in `<outputDir>/register.jsonl` (kind 'fill'). */
export function recordFill(o: RecordFillOptions): RegisterEntry {
  const dir = path.resolve(o.outputDir);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw ioErrorFrom(err, shownPath(dir), 'write');
  }
  const entry: RegisterEntry = {
    format: REGISTER_FORMAT,
    kind: 'fill',
    time: o.time.toISOString(),
    file: rel(dir, o.output),
    sha256: sha256(o.outputBytes),
    bytes: o.outputBytes.length,
    questionnaire: rel(dir, o.questionnaire),
    questionnaireSha256: sha256(o.questionnaireBytes),
    answersFile: rel(dir, o.answersFile),
    answersSha256: sha256(o.answersText),
    version: o.version,
    template: 'fill',
    tiers: [o.tier],
    ...(o.buyer ? { buyer: o.buyer } : {}),
    ...(o.reference ? { reference: o.reference } : {}),
  };
  appendRegister(registerPath(dir), entry);
  return entry;
}
