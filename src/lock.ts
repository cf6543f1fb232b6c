import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IoError, ioErrorFrom } from './errors';
import { shownPath } from './fsx';

/**
 * A lock file beside a file being edited (`answers.yaml.lock`), so two interviews or reviews
 * never write the same file. It holds the owner's pid, host and start time; a lock whose process
 * is gone (same host, dead pid) is stale and taken over.
 *
 * NOTE: three rules make it hold under races. The lock is beside the real file (symlinks
 * resolved), so two paths to one file share one lock. It appears with its content in one step
 * (a complete temporary file hard-linked to the lock name, which fails if the name exists), so
 * nobody ever reads it empty. A stale lock is taken over only by the holder of a takeover
 * mutex (`<lock>.takeover`, a folder: mkdir has one winner), which checks the lock is still the
 * same stale file (its inode) before removing it.
 */

export interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

export interface Lock {
  file: string;
  /** Set when a stale lock was taken over: a message for the user. */
  tookOver?: string;
  release(): void;
}

/** The real path of `file` (its symlinks resolved; for a new file, its folder's). */
function realFile(file: string): string {
  const abs = path.resolve(file);
  try {
    return fs.realpathSync(abs);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

export function lockPath(file: string): string {
  return `${realFile(file)}.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface HeldLock {
  info?: LockInfo;
  /** The lock file's inode and bytes when read: a takeover removes only this very file. */
  ino: number;
  raw: string;
}

/** Reads the lock at `lockFile`: undefined when there is none; `info` undefined when unreadable. */
function readHeld(lockFile: string): HeldLock | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(lockFile, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      throw new IoError(
        `${shownPath(lockFile)}: is ${st.isDirectory() ? 'a folder' : 'a special file'}, not a lock file (remove it, then run the command again)`,
      );
    }
    const buf = Buffer.alloc(Math.min(st.size, 4096));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const raw = buf.toString('utf8', 0, n);
    let info: LockInfo | undefined;
    try {
      const v = JSON.parse(raw) as Partial<LockInfo>;
      if (typeof v.pid === 'number' && typeof v.host === 'string')
        info = { pid: v.pid, host: v.host, started: String(v.started ?? '') };
    } catch {
      // unreadable: treated as stale
    }
    return { ino: st.ino, raw, ...(info ? { info } : {}) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioErrorFrom(err, shownPath(lockFile));
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

let tmpCounter = 0;

/** Creates `lockFile` holding `content` in one step; false if a lock is already there. */
function createLock(lockFile: string, content: string): boolean {
  const tmp = `${lockFile}.${process.pid}-${++tmpCounter}.tmp`;
  try {
    fs.writeFileSync(tmp, content, { flag: 'wx' });
    fs.linkSync(tmp, lockFile);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioErrorFrom(err, shownPath(lockFile), 'write');
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A takeover mutex older than this was left by a process killed mid-takeover (it takes ~1 ms). */
const STALE_TAKEOVER_MS = 10_000;

/**
 * Removes the stale lock `held` if it is still that very file, holding the takeover mutex.
 * Returns false when another process is taking over at the same moment.
 */
function removeStale(lockFile: string, held: HeldLock): boolean {
  const mutex = `${lockFile}.takeover`;
  try {
    fs.mkdirSync(mutex);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw ioErrorFrom(err, shownPath(lockFile), 'write');
    const st = fs.statSync(mutex, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > STALE_TAKEOVER_MS) fs.rmSync(mutex, { recursive: true });
    return false;
  }
  try {
    const now = readHeld(lockFile);
    // NOTE: the inode alone could be reused by a fresh lock; its bytes (pid, time) differ.
    if (now && now.ino === held.ino && now.raw === held.raw) fs.rmSync(lockFile, { force: true });
    return true;
  } finally {
    fs.rmSync(mutex, { recursive: true, force: true });
  }
}

/**
 * Takes the lock for `file` or throws an IoError naming who holds it. The lock is removed by
 * `release()` and, as a safety net, when the process exits.
 */
export function acquireLock(file: string, options: { now?: () => Date; host?: string } = {}): Lock {
  const lockFile = lockPath(file);
  const host = options.host ?? os.hostname();
  const info: LockInfo = {
    pid: process.pid,
    host,
    started: (options.now?.() ?? new Date()).toISOString(),
  };
  const shown = shownPath(path.resolve(file));
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLock(lockFile, `${JSON.stringify(info)}\n`)) {
      const mine = fs.statSync(lockFile).ino;
      let released = false;
      const onExit = () => release();
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', onExit);
        // Only remove our own lock (a takeover by someone else must not be undone).
        if (fs.statSync(lockFile, { throwIfNoEntry: false })?.ino === mine)
          fs.rmSync(lockFile, { force: true });
      };
      process.on('exit', onExit);
      return { file: lockFile, ...(tookOver ? { tookOver } : {}), release };
    }
    const held = readHeld(lockFile);
    if (!held) continue; // released meanwhile: try again
    const h = held.info;
    if (h && h.host !== host) {
      throw new IoError(
        `${shown} is being edited on ${h.host} (process ${h.pid}, since ${h.started}); ` +
          `wait for that interview to finish (if none is running, delete ${shownPath(lockFile)})`,
      );
    }
    if (h && alive(h.pid)) {
      throw new IoError(
        `${shown} is being edited by another srq (process ${h.pid}, since ${h.started}); ` +
          `finish that interview first (if none is running, delete ${shownPath(lockFile)})`,
      );
    }
    if (!removeStale(lockFile, held)) break;
    tookOver = h
      ? `took over a stale lock on ${shown} (process ${h.pid} from ${h.started} is no longer running)`
      : `took over an unreadable lock file ${shownPath(lockFile)}`;
  }
  throw new IoError(`${shown}: another srq took the lock at the same moment; try again`);
}
