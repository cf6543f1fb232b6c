import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IoError, ioErrorFrom } from './errors';
import { shownPath } from './fsx';

/**
 * A lock file beside a file being edited interactively (`answers.yaml.lock`), so two interviews
 * never write the same file. It holds the owner's pid, host and start time; a lock whose process
 * is gone (same host, dead pid) is stale and taken over.
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

export function lockPath(file: string): string {
  return `${path.resolve(file)}.lock`;
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

function readInfo(lockFile: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Partial<LockInfo>;
    if (typeof info.pid === 'number' && typeof info.host === 'string') {
      return { pid: info.pid, host: info.host, started: String(info.started ?? '') };
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return undefined;
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
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${JSON.stringify(info)}\n`, { flag: 'wx' });
      let released = false;
      const onExit = () => release();
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', onExit);
        // Only remove our own lock (a takeover by someone else must not be undone).
        if (readInfo(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true });
      };
      process.on('exit', onExit);
      return { file: lockFile, ...(tookOver ? { tookOver } : {}), release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw ioErrorFrom(err, shownPath(lockFile), 'write');
    }
    const held = readInfo(lockFile);
    const shown = shownPath(file);
    if (held && held.host !== host) {
      throw new IoError(
        `${shown} is being edited on ${held.host} (process ${held.pid}, since ${held.started}); ` +
          `wait for that interview to finish (if none is running, delete ${shownPath(lockFile)})`,
      );
    }
    if (held && alive(held.pid)) {
      throw new IoError(
        `${shown} is being edited by another srq (process ${held.pid}, since ${held.started}); ` +
          `finish that interview first (if none is running, delete ${shownPath(lockFile)})`,
      );
    }
    tookOver = held
      ? `took over a stale lock on ${shown} (process ${held.pid} from ${held.started} is no longer running)`
      : `took over an unreadable lock file ${shownPath(lockFile)}`;
    fs.rmSync(lockFile, { force: true });
  }
  throw new IoError(`${shownPath(file)}: another srq took the lock at the same moment; try again`);
}
