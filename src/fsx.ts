import fs from 'node:fs';
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isUtf8 } from 'node:buffer';
import { ioErrorFrom, CheckError, IoError, UsageError } from './errors';

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

/**
 * The file-system calls behind every read and write in this module. Tests replace some of them
 * (`withFsOps`) to make a write fail half-way and check that nothing is lost.
 */
export interface FsOps {
  openSync: (file: string, flags: string | number, mode?: number) => number;
  fstatSync: (fd: number) => fs.Stats;
  // eslint-disable-next-line @typescript-eslint/max-params -- node:fs's own signature (tests swap these in)
  readSync: (fd: number, buf: Uint8Array, offset: number, length: number, pos: null) => number;
  // eslint-disable-next-line @typescript-eslint/max-params -- node:fs's own signature
  writeSync: (fd: number, buf: Uint8Array, offset: number, length: number) => number;
  fsyncSync: (fd: number) => void;
  closeSync: (fd: number) => void;
  renameSync: (from: string, to: string) => void;
  linkSync: (existing: string, newPath: string) => void;
  unlinkSync: (file: string) => void;
  fchownSync: (fd: number, uid: number, gid: number) => void;
}

const realOps: FsOps = {
  openSync: (f, flags, mode) => fs.openSync(f, flags, mode),
  fstatSync: (fd) => fs.fstatSync(fd),
  // eslint-disable-next-line @typescript-eslint/max-params -- node:fs's own signature
  readSync: (fd, buf, off, len, pos) => fs.readSync(fd, buf, off, len, pos),
  // eslint-disable-next-line @typescript-eslint/max-params -- node:fs's own signature
  writeSync: (fd, buf, off, len) => fs.writeSync(fd, buf, off, len),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  linkSync: (a, b) => fs.linkSync(a, b),
  unlinkSync: (f) => fs.unlinkSync(f),
  fchownSync: (fd, uid, gid) => fs.fchownSync(fd, uid, gid),
};

let ops: FsOps = withEnvFaults(realOps, process.env.SRQ_TEST_FAULT);

/** Runs `fn` with some fs calls replaced (tests only); the real ones are restored after. */
export function withFsOps<T>(replace: Partial<FsOps>, fn: () => T): T {
  const saved = ops;
  ops = { ...saved, ...replace };
  try {
    return fn();
  } finally {
    ops = saved;
  }
}

function errnoError(code: string, syscall: string, file?: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: fault injected, ${syscall}`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  if (file) err.path = file;
  return err;
}

/**
 * SRQ_TEST_FAULT (test-only, for the CLI tests that cannot use withFsOps): `write:ENOSPC:N`
 * fails writes once N bytes are written; `create:EACCES` fails creating any file for writing
 * (as a read-only folder would, also for root); `rename:EIO` fails the final rename.
 */
function withEnvFaults(base: FsOps, spec: string | undefined): FsOps {
  if (!spec) return base;
  const [op, code = 'EIO', arg] = spec.split(':');
  if (op === 'write') {
    let left = Number(arg ?? 0);
    return {
      ...base,
      // eslint-disable-next-line @typescript-eslint/max-params -- node:fs's own signature
      writeSync: (fd, buf, off, len) => {
        if (left <= 0) throw errnoError(code, 'write');
        const n = base.writeSync(fd, buf, off, Math.min(len, left));
        left -= n;
        return n;
      },
    };
  }
  if (op === 'create') {
    return {
      ...base,
      openSync: (f, flags, mode) => {
        if (typeof flags === 'string' ? flags !== 'r' : (flags & 3) !== 0)
          throw errnoError(code, 'open', f);
        return base.openSync(f, flags, mode);
      },
    };
  }
  if (op === 'rename') {
    return {
      ...base,
      renameSync: () => {
        throw errnoError(code, 'rename');
      },
    };
  }
  return base;
}

function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  const mb = bytes / 1024 / 1024;
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** What a non-regular file is, in words, for an error line. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The error for an input over its size limit, naming it as `file` (a path, or `path@rev`):
 * `size` when known (fstat, git), else undefined (the read stopped one byte past the limit).
 */
export function sizeLimitError(file: string, maxBytes: number, size?: number): IoError {
  return tooBig(file, maxBytes, size);
}

/** `size` known from fstat; `undefined` when the read stopped one byte past the limit. */
function tooBig(file: string, maxBytes: number, size?: number): IoError {
  const is = size === undefined ? 'larger' : `${megabytes(size)} (${size} bytes)`;
  return new IoError(
    `${file}: file is ${is}, over srq's ${megabytes(maxBytes)} limit for this kind of file (is this the right file?)`,
  );
}

/** Reads from an open descriptor until end of file, never more than `maxBytes` (+1 to notice). */
function readBounded(
  fd: number,
  file: string,
  { maxBytes, sizeHint }: { maxBytes: number; sizeHint: number },
): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunkSize = Math.max(64 * 1024, Math.min(sizeHint + 1, maxBytes + 1, 16 * 1024 * 1024));
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes + 1 - total));
    let n: number;
    try {
      n = ops.readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      // Standard input may be a non-blocking pipe: wait a moment for the writer, then read on.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      continue;
    }
    if (n === 0) break;
    chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    total += n;
    if (total > maxBytes) throw tooBig(file, maxBytes);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

export interface ReadOptions {
  /** Largest accepted size; the read stops one byte after it. */
  maxBytes?: number;
  /** `-` reads standard input (only for commands that document it). */
  allowStdin?: boolean;
  /**
   * Whether the file is an input of the command (the default): a later write of this process
   * to the same file is refused. False for a look at an output (is it signed?).
   */
  input?: boolean;
}

/** The files one command invocation has read as inputs. */
interface InputScope {
  /** Every file read as an input, by device and inode (links count too): its path as read. */
  read: Map<string, string>;
  /** The SHA-256 of each input's bytes as read, by absolute path: what the command worked from. */
  hashes: Map<string, string>;
}
const newScope = (): InputScope => ({ read: new Map(), hashes: new Map() });
const scopes = new AsyncLocalStorage<InputScope>();
/** Reads outside any command (a library caller, a test): one scope, until it starts another. */
let looseScope = newScope();
const currentScope = () => scopes.getStore() ?? looseScope;

/**
 * Runs one command invocation with its own record of inputs read, so that what an earlier
 * command of a long-lived process read (a test run, the bench's warm builds, a batch worker's
 * previous document) is never taken for an input of this one. runCli wraps every command in it.
 */
export function withInputScope<T>(fn: () => T): T {
  return scopes.run(newScope(), fn);
}

/** Forgets the inputs read outside any command (for callers that use srq as a library). */
export function resetInputs(): void {
  looseScope = newScope();
}

/** SHA-256 (hex) of the bytes this command read from `absFile`, if it read it as an input. */
export function inputSha256(absFile: string): string | undefined {
  return currentScope().hashes.get(path.resolve(absFile));
}
const fileKey = (st: { dev: number; ino: number }) => `${st.dev}:${st.ino}`;

/** The input `st` is, if this command read it as one (its path as read). */
function readAsInput(st: fs.Stats): string | undefined {
  return currentScope().read.get(fileKey(st));
}

/**
 * Reads a whole input file: opened once, checked with fstat on that descriptor (only a regular
 * file is read, so a FIFO never hangs and /dev/zero never fills memory), then read in a loop
 * bounded by `maxBytes` (a file growing while read cannot exceed it). Errors are IoErrors.
 */
export function readInput(absFile: string, options: ReadOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  if (options.allowStdin && absFile === '-')
    return readBounded(0, 'standard input', { maxBytes, sizeHint: 0 });
  const file = shownPath(absFile);
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = ops.openSync(absFile, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = ops.fstatSync(fd);
    if (st.isDirectory())
      throw new IoError(`${file}: is a directory, not a file (give a file path)`);
    if (!st.isFile()) {
      throw new IoError(
        `${file}: is ${kindOf(st)}, not a regular file (srq reads only files; give the path of a saved file)`,
      );
    }
    if (st.size > maxBytes) throw tooBig(file, maxBytes, st.size);
    const data = readBounded(fd, file, { maxBytes, sizeHint: st.size });
    if (options.input !== false) {
      const scope = currentScope();
      scope.read.set(fileKey(st), absFile);
      // NOTE: node:crypto on first use: loading it is ~1.5 ms of every start (`--help` too).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
      const { createHash } = require('node:crypto') as typeof import('node:crypto');
      scope.hashes.set(path.resolve(absFile), createHash('sha256').update(data).digest('hex'));
    }
    return data;
  } catch (err) {
    throw ioErrorFrom(err, file);
  } finally {
    if (fd !== undefined) ops.closeSync(fd);
  }
}

/** Reads a whole file, refusing anything but a regular file and files over `maxBytes`. */
export function readFileChecked(absFile: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  return readInput(absFile, { maxBytes });
}

/** Where (1-based line and column, in characters) the byte at `offset` of UTF-8 text is. */
function lineColAt(buf: Buffer, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Characters, not bytes: count the bytes that start a character.
  let col = 1;
  for (let i = lineStart; i < offset; i++) if ((buf[i] & 0xc0) !== 0x80) col++;
  return { line, col };
}

/** Offset of the first byte that is not valid UTF-8, in one pass; -1 when all of it is. */
export function firstBadUtf8(buf: Uint8Array): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes UTF-8 strictly; a binary, UTF-16 or Latin-1 file is reported (a content error). */
export function decodeUtf8(buf: Buffer, file: string): string {
  const at = (offset: number) => {
    const { line, col } = lineColAt(buf, offset);
    return `${file}:${line}:${col}`;
  };
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new CheckError(`${at(0)}: UTF-16 text, not UTF-8 (save it as UTF-8)`);
  }
  // NOTE: UTF-16 without a byte-order mark is valid UTF-8 full of NUL bytes; no srq text has one.
  const nul = buf.indexOf(0);
  // NOTE: node's own check (simdutf) first: firstBadUtf8 in JavaScript, run cold (not yet
  // compiled), took ~10-30 ms of a `validate` of the example; it only says where the bad byte is.
  const bad = isUtf8(buf) ? -1 : firstBadUtf8(buf);
  if (nul >= 0 && (bad < 0 || nul < bad)) {
    const utf16 = buf.length >= 4 && (buf[1] === 0 || buf[0] === 0);
    throw new CheckError(
      `${at(nul)}: a NUL byte, so not UTF-8 text (${utf16 ? 'this looks like UTF-16 without a byte-order mark' : 'a binary file, or another encoding'}; save it as UTF-8)`,
    );
  }
  if (bad >= 0) {
    throw new CheckError(
      `${at(bad)}: not UTF-8 text (binary file, or another encoding; save it as UTF-8)`,
    );
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readTextFile(file: string, maxBytes = MAX_INPUT_BYTES): string {
  return decodeUtf8(readFileChecked(file, maxBytes), shownPath(file));
}

/**
 * Makes sure `dir` is a folder, creating it (and its parents) when missing; a file in the way
 * is a clear error, not a crash.
 */
export function ensureDir(dir: string): void {
  const shown = shownPath(path.resolve(dir));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new IoError(
        `${shown}: is a file, not a folder (srq keeps built documents and the register in it; move that file away, or choose another path with -o)`,
        { cause: err },
      );
    }
    throw ioErrorFrom(err, shown, 'write');
  }
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

/**
 * The file a write to `file` must replace: a symlink's target (so saving through a link keeps
 * the link and changes the file it names), else the path itself. Throws for a dangling link.
 */
export function writeTarget(file: string): string {
  const abs = path.resolve(file);
  const lst = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (!lst?.isSymbolicLink()) return abs;
  try {
    return fs.realpathSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      // A dangling link: write the file it names (in a folder that must exist).
      return path.resolve(path.dirname(abs), fs.readlinkSync(abs));
    }
    throw err;
  }
}

/**
 * Refuses to write over anything but a regular file: a device (`/dev/null` as root would be
 * replaced by a regular file), a FIFO, a socket or a folder. `hint` names the way out.
 */
export function checkWritableTarget(
  file: string,
  hint = 'choose a file path with -o',
): fs.Stats | undefined {
  const shown = shownPath(path.resolve(file));
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file, { throwIfNoEntry: false });
  } catch (err) {
    throw ioErrorFrom(err, shown, 'write');
  }
  if (st?.isDirectory())
    throw new IoError(`${shown}: is a directory (give a file path, not a folder)`);
  if (st && !st.isFile()) {
    throw new IoError(
      `${shown}: is ${kindOf(st)}, not a regular file; srq writes only files (${hint})`,
    );
  }
  return st;
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    const n = ops.writeSync(fd, data, off, data.length - off);
    if (n <= 0) throw errnoError('EIO', 'write');
    off += n;
  }
}

/** Flushes a folder's entries (the rename) to disk; some file systems cannot, which is fine. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = ops.openSync(dir, 'r');
    ops.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    if (fd !== undefined) ops.closeSync(fd);
  }
}

let tmpCounter = 0;

/**
 * Writes a file atomically: a temporary file beside the target, write all, fsync, rename over
 * the target, fsync the folder. Readers and crashes never see a half-written target, and a
 * failed write leaves the target as it was and no temporary file. Only a regular file or a new
 * path is written; through a symlink, the link's target is replaced. An existing file keeps its
 * mode and (when allowed) its owner.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: {
    mode?: number;
    overwrite?: boolean;
    /** The write saves an input on purpose (an interview editing its file). */
    replacesInput?: boolean;
    /**
     * Called once the new content is safely in the temporary file, just before the rename: if
     * it throws, the temporary file is removed and the target stays as it was (a PDF and its
     * register line are one outcome).
     */
    beforeRename?: () => void;
  } = {},
): void {
  const shown = shownPath(path.resolve(file));
  let target: string;
  let dir: string;
  let existing: fs.Stats | undefined;
  try {
    target = writeTarget(file);
    existing = checkWritableTarget(target);
    dir = path.dirname(target);
    if (existing && options.overwrite === false) {
      throw new IoError(`${shown}: already exists (choose another path; nothing was overwritten)`);
    }
    if (existing && !options.replacesInput && readAsInput(existing)) {
      throw new UsageError(
        `${shown}: that is an input file of this command, writing there would destroy it (choose another path with -o)`,
      );
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
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const mode = existing ? existing.mode & 0o7777 : (options.mode ?? 0o644);
  const tmp = path.join(dir, `.srq-tmp-${process.pid}-${++tmpCounter}-${path.basename(target)}`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = ops.openSync(tmp, 'wx', mode);
    created = true;
    if (existing) {
      // The umask may have narrowed the mode; the old file's exact mode and owner are kept.
      fs.fchmodSync(fd, mode);
      const own = ops.fstatSync(fd);
      if (own.uid !== existing.uid || own.gid !== existing.gid) {
        try {
          ops.fchownSync(fd, existing.uid, existing.gid);
        } catch {
          // Not allowed (not root): the file is ours now, with the old mode.
        }
      }
    }
    writeAll(fd, bytes);
    ops.fsyncSync(fd);
    ops.closeSync(fd);
    fd = undefined;
    options.beforeRename?.();
    if (options.overwrite === false) {
      // NOTE: link() fails if the target appeared meanwhile, so a concurrent writer never loses.
      ops.linkSync(tmp, target);
      ops.unlinkSync(tmp);
    } else {
      ops.renameSync(tmp, target);
    }
    created = false;
    fsyncDir(dir);
  } catch (err) {
    if (fd !== undefined) ops.closeSync(fd);
    if (created) fs.rmSync(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new IoError(`${shown}: already exists (choose another path; nothing was overwritten)`);
    }
    throw ioErrorFrom(err, shown, 'write');
  }
}
