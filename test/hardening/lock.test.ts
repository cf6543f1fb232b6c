import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IoError } from '../../src/errors';
import { acquireLock, lockPath } from '../../src/lock';
import { BIN, EXAMPLE, ROOT, tempDir } from '../helpers/cli';
import { SEED } from '../helpers/random';

/**
 * src/lock.ts under races: several processes taking over one stale lock at the same instant
 * (exactly one wins), two paths to one file (one lock), a folder in the lock's place, and
 * `srq review --yes` run concurrently (every successful review is one bump; none is lost).
 */

const dirs: string[] = [];
function sandbox(): string {
  const d = tempDir('srq-lock-');
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The pid of a process that has exited (so a lock naming it is stale). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

function staleLock(file: string): void {
  fs.writeFileSync(
    lockPath(file),
    `${JSON.stringify({ pid: deadPid(), host: os.hostname(), started: '2020-01-01T00:00:00.000Z' })}\n`,
  );
}

/**
 * A child that waits for the instant `at`, tries the lock and, if it won, holds it until the
 * parent closes its stdin (once every contender has answered: a fixed hold let a child that a
 * loaded machine started late win the lock after the first winner had released it). Its fs
 * calls on the lock sleep 0-30 ms first (seeded by argv[3]), widening every race window so a
 * takeover that is not atomic loses here every time, not once in a thousand runs.
 */
const CHILD = `
const fs = require('node:fs');
let seed = Number(process.argv[3]) >>> 0;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (const name of ['rmSync', 'openSync', 'readFileSync', 'writeFileSync', 'linkSync', 'mkdirSync', 'statSync']) {
  const real = fs[name];
  fs[name] = (...args) => {
    if (String(args[0]).includes('.lock')) sleep(rand() * 30);
    return real.apply(fs, args);
  };
}
const { acquireLock } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lock.js'))});
const at = Number(process.argv[2]);
while (Date.now() < at) {}
try {
  const lock = acquireLock(process.argv[1]);
  process.stdout.write('won\\n');
  process.stdin.on('end', () => lock.release());
  process.stdin.resume();
} catch (err) {
  process.stdout.write('lost: ' + err.message + '\\n');
}
`;

async function contend(file: string, n: number, seed: number): Promise<string[]> {
  const at = Date.now() + 700;
  const children = Array.from({ length: n }, (_, i) =>
    spawn(process.execPath, ['-e', CHILD, file, String(at), String(seed + i)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const exited = children.map((c) => new Promise((resolve) => c.on('exit', resolve)));
  // Each child's one line (won, or lost and why); the winner still holds the lock meanwhile.
  const outs = await Promise.all(
    children.map(
      (child) =>
        new Promise<string>((resolve) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('\n')) resolve(out.trim());
          });
          child.on('exit', () => resolve(out.trim()));
        }),
    ),
  );
  for (const c of children) c.stdin.end();
  await Promise.all(exited);
  return outs;
}

describe('locks', () => {
  test(`six processes taking over one stale lock at once: exactly one wins, each round (seed ${SEED}; SRQ_TEST_SEED replays)`, async () => {
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    for (let round = 0; round < 4; round++) {
      staleLock(file);
      const outs = await contend(file, 6, SEED + round * 100);
      const won = outs.filter((o) => o === 'won');
      expect({ round, outs, won: won.length }).toMatchObject({ won: 1 });
      for (const o of outs.filter((x) => x !== 'won')) {
        expect(o).toMatch(
          /^lost: \S*a\.yaml(?: is being edited by another srq \(process \d+|: another srq took the lock at the same moment; try again)/,
        );
      }
      expect(fs.existsSync(lockPath(file))).toBe(false);
      expect(fs.readdirSync(dir).sort()).toEqual(['a.yaml']);
    }
  }, 60_000);

  test('a symlink and its target share one lock', () => {
    const dir = sandbox();
    const file = path.join(dir, 'real.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    fs.symlinkSync('real.yaml', path.join(dir, 'link.yaml'));
    const lock = acquireLock(file);
    try {
      expect(lockPath(path.join(dir, 'link.yaml'))).toBe(lock.file);
      expect(() => acquireLock(path.join(dir, 'link.yaml'))).toThrow(
        /is being edited by another srq/,
      );
    } finally {
      lock.release();
    }
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  test('a folder where the lock goes is a clear I/O error, left alone', () => {
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    fs.mkdirSync(lockPath(file));
    let err: unknown;
    try {
      acquireLock(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toMatch(
      /a\.yaml\.lock: is a folder, not a lock file \(remove it, then run the command again\)$/,
    );
    expect(fs.statSync(lockPath(file)).isDirectory()).toBe(true);
  });

  test('the lock never exists empty: it is linked into place whole', () => {
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    const lock = acquireLock(file);
    try {
      const info = JSON.parse(fs.readFileSync(lock.file, 'utf8')) as { pid: number };
      expect(info.pid).toBe(process.pid);
      // Created by link(): the name has two links while the temporary file exists, then one.
      expect(fs.statSync(lock.file).nlink).toBe(1);
      expect(fs.readdirSync(dir).sort()).toEqual(['a.yaml', 'a.yaml.lock']);
    } finally {
      lock.release();
    }
  });

  test('concurrent `srq review --yes` over a stale lock: every success is one bump, none lost', async () => {
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.copyFileSync(EXAMPLE, file);
    const version = () => /^ {2}version: "?([\d.]+)"?$/m.exec(fs.readFileSync(file, 'utf8'))![1];
    const [major, minor] = version().split('.').map(Number);
    staleLock(file);
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [BIN, 'review', 'a.yaml', '--yes'], {
              cwd: dir,
              env: { PATH: process.env.PATH ?? '', SRQ_NOW: '2026-11-22T12:00:00Z', NO_COLOR: '1' },
            });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('exit', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    const ok = runs.filter((r) => r.code === 0).length;
    expect(ok).toBeGreaterThanOrEqual(1);
    for (const r of runs.filter((x) => x.code !== 0)) expect(r.code).toBe(3);
    expect(version()).toBe(`${major}.${minor + ok}`);
    expect(fs.existsSync(lockPath(file))).toBe(false);
  }, 60_000);
});

/**
 * A second process that takes over the stale lock of `file` (from dist/) and holds it until its
 * standard input closes; resolves once it holds the lock.
 */
const HOLDER = `
const { acquireLock } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lock.js'))});
const lock = acquireLock(process.argv[1]);
process.stdout.write('held');
process.stdin.on('data', () => {});
process.stdin.on('end', () => { lock.release(); process.exit(0); });
`;

describe('stale-lock takeover removes only the stale lock it read', () => {
  test('another process takes the lock over between our read and our takeover: ours fails, its lock stays', () => {
    // The interleaving is forced, not left to chance: this process reads the stale lock, and
    // just before it takes the takeover mutex a second process takes the lock over for real.
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    staleLock(file);
    const mutex = `${lockPath(file)}.takeover`;
    let holder: ReturnType<typeof spawn> | undefined;
    let holderLock = '';
    const realMkdir = fs.mkdirSync;
    const spy = jest.spyOn(fs, 'mkdirSync').mockImplementation((p: fs.PathLike, o?: unknown) => {
      if (String(p) === mutex && !holder) {
        holder = spawn(process.execPath, ['-e', HOLDER, file], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        // Wait (synchronously: we are inside acquireLock) until the holder has the lock.
        const until = Date.now() + 20_000;
        for (;;) {
          const raw = fs.existsSync(lockPath(file)) ? fs.readFileSync(lockPath(file), 'utf8') : '';
          if (raw.includes(`"pid":${holder.pid},`)) {
            holderLock = raw;
            break;
          }
          if (Date.now() > until) throw new Error('the holder did not take the lock');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        }
      }
      return realMkdir.call(fs, p, o as fs.MakeDirectoryOptions);
    });
    let err: unknown;
    try {
      const lock = acquireLock(file);
      lock.release();
    } catch (e) {
      err = e;
    } finally {
      spy.mockRestore();
    }
    try {
      expect(holder).toBeDefined();
      // Not taken: the lock is the holder's, alive.
      expect(err).toBeInstanceOf(IoError);
      expect((err as Error).message).toMatch(
        new RegExp(`a\\.yaml is being edited by another srq \\(process ${holder!.pid}, `),
      );
      // The holder's lock file is the very one it wrote, untouched.
      expect(fs.readFileSync(lockPath(file), 'utf8')).toBe(holderLock);
    } finally {
      holder?.stdin?.end();
    }
  }, 60_000);

  test('a fresh lock on the same inode (inode reuse) is not taken for the stale one', () => {
    // Between our read of the stale lock and our takeover, the lock is replaced by a live one
    // that happens to get the same inode (an unlink and create can reuse it; here it is rewritten
    // in place to force that): its bytes differ, so it must survive and ours must fail.
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    staleLock(file);
    const inode = fs.statSync(lockPath(file)).ino;
    const mutex = `${lockPath(file)}.takeover`;
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    const live = `${JSON.stringify({ pid: alive.pid, host: os.hostname(), started: new Date().toISOString() })}\n`;
    let replaced = false;
    const realMkdir = fs.mkdirSync;
    const spy = jest.spyOn(fs, 'mkdirSync').mockImplementation((p: fs.PathLike, o?: unknown) => {
      if (String(p) === mutex && !replaced) {
        replaced = true;
        fs.writeFileSync(lockPath(file), live); // same inode, new bytes
      }
      return realMkdir.call(fs, p, o as fs.MakeDirectoryOptions);
    });
    let err: unknown;
    try {
      acquireLock(file).release();
    } catch (e) {
      err = e;
    } finally {
      spy.mockRestore();
    }
    try {
      expect(replaced).toBe(true);
      expect(fs.statSync(lockPath(file)).ino).toBe(inode);
      expect(err).toBeInstanceOf(IoError);
      expect((err as Error).message).toMatch(
        new RegExp(`a\\.yaml is being edited by another srq \\(process ${alive.pid}, `),
      );
      expect(fs.readFileSync(lockPath(file), 'utf8')).toBe(live);
    } finally {
      alive.kill();
    }
  }, 60_000);
});
