import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  decodeUtf8,
  firstBadUtf8,
  readInput,
  withFsOps,
  writeFileAtomic,
  type FsOps,
} from '../../src/fsx';
import { CheckError, IoError, UsageError } from '../../src/errors';
import { tempDir } from '../helpers/cli';
import { prng, SEED } from '../helpers/random';

/**
 * src/fsx.ts, the one reader and the one atomic writer every command uses, with faults injected
 * through withFsOps (the write fails half-way, the rename fails) instead of hoping a SIGKILL
 * lands inside a 1 ms write.
 */

const dirs: string[] = [];
function sandbox(): string {
  const d = tempDir('srq-fsx-');
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const temps = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('.srq-tmp-'));

function enospcAfter(bytes: number): Partial<FsOps> {
  let left = bytes;
  return {
    writeSync: (fd, buf, off, len) => {
      if (left <= 0) {
        const err = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
        err.code = 'ENOSPC';
        throw err;
      }
      const n = fs.writeSync(fd, buf, off, Math.min(len, left));
      left -= n;
      return n;
    },
  };
}

describe('writeFileAtomic under injected faults', () => {
  test(`ENOSPC after N bytes, N at random (seed ${SEED}; SRQ_TEST_SEED replays): the target keeps its old bytes, no temporary file`, () => {
    const rand = prng(SEED);
    const dir = sandbox();
    const target = path.join(dir, 'out.pdf');
    const old = Buffer.from('%PDF-1.7 the old document\n');
    fs.writeFileSync(target, old);
    const data = Buffer.alloc(300_000, 0x41);
    for (let run = 0; run < 25; run++) {
      const n = Math.floor(rand() * data.length);
      expect(() => withFsOps(enospcAfter(n), () => writeFileAtomic(target, data))).toThrow(
        /out\.pdf: no space left on the device \(free some space\)/,
      );
      expect(fs.readFileSync(target).equals(old)).toBe(true);
      expect(temps(dir)).toEqual([]);
    }
    // And without the fault, the whole new content is there.
    writeFileAtomic(target, data);
    expect(fs.readFileSync(target).equals(data)).toBe(true);
  });

  test('a short write is continued, not taken as done', () => {
    const dir = sandbox();
    const target = path.join(dir, 'a.yaml');
    const data = Buffer.from('x'.repeat(10_000));
    withFsOps(
      { writeSync: (fd, buf, off, len) => fs.writeSync(fd, buf, off, Math.min(len, 7)) },
      () => writeFileAtomic(target, data),
    );
    expect(fs.readFileSync(target).equals(data)).toBe(true);
  });

  test('the protocol: temp beside the target (wx), all bytes, fsync, close, rename, fsync of the folder', () => {
    const dir = sandbox();
    const target = path.join(dir, 'out.pdf');
    fs.writeFileSync(target, 'old');
    const calls: string[] = [];
    const fds = new Map<number, string>();
    const name = (f: string) =>
      f === dir ? 'DIR' : path.basename(f).replace(/^\.srq-tmp-.*/, 'TMP');
    withFsOps(
      {
        openSync: (f, flags, mode) => {
          const fd = fs.openSync(f, flags, mode);
          fds.set(fd, name(f));
          calls.push(`open ${name(f)} ${String(flags)}`);
          return fd;
        },
        writeSync: (fd, buf, off, len) => {
          calls.push(`write ${fds.get(fd)}`);
          return fs.writeSync(fd, buf, off, len);
        },
        fsyncSync: (fd) => {
          calls.push(`fsync ${fds.get(fd)}`);
          fs.fsyncSync(fd);
        },
        closeSync: (fd) => {
          calls.push(`close ${fds.get(fd)}`);
          fs.closeSync(fd);
        },
        renameSync: (a, b) => {
          expect(path.dirname(a)).toBe(dir);
          calls.push(`rename ${name(a)} ${name(b)}`);
          fs.renameSync(a, b);
        },
      },
      () => writeFileAtomic(target, 'new content'),
    );
    expect(calls).toEqual([
      'open TMP wx',
      'write TMP',
      'fsync TMP',
      'close TMP',
      'rename TMP out.pdf',
      'open DIR r',
      'fsync DIR',
      'close DIR',
    ]);
    expect(fs.readFileSync(target, 'utf8')).toBe('new content');
    expect(temps(dir)).toEqual([]);
  });

  test('a failed rename leaves the target and no temporary file', () => {
    const dir = sandbox();
    const target = path.join(dir, 'out.pdf');
    fs.writeFileSync(target, 'old');
    const eio = () => {
      const err = new Error('EIO: i/o error, rename') as NodeJS.ErrnoException;
      err.code = 'EIO';
      throw err;
    };
    expect(() => withFsOps({ renameSync: eio }, () => writeFileAtomic(target, 'new'))).toThrow(
      IoError,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
    expect(temps(dir)).toEqual([]);
  });

  test('beforeRename failing (the register line) leaves the target as it was: one outcome', () => {
    const dir = sandbox();
    const target = path.join(dir, 'new.pdf');
    expect(() =>
      writeFileAtomic(target, 'pdf', {
        beforeRename: () => {
          throw new IoError('output/register.jsonl: permission denied');
        },
      }),
    ).toThrow('output/register.jsonl: permission denied');
    expect(fs.existsSync(target)).toBe(false);
    expect(temps(dir)).toEqual([]);
  });

  test('a 0600 file keeps its mode; a symlink keeps pointing at the file, which gets the content', () => {
    const dir = sandbox();
    const real = path.join(dir, 'real.yaml');
    fs.writeFileSync(real, 'old', { mode: 0o600 });
    fs.chmodSync(real, 0o600);
    const link = path.join(dir, 'link.yaml');
    fs.symlinkSync('real.yaml', link);
    writeFileAtomic(link, 'new');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('new');
    expect(fs.statSync(real).mode & 0o777).toBe(0o600);
    expect(temps(dir)).toEqual([]);
  });

  test('an owner other than the writer is kept when the writer may set it (root)', () => {
    if (process.getuid?.() !== 0) return; // only root may give a file away
    const dir = sandbox();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'old');
    fs.chownSync(file, 1234, 1234);
    writeFileAtomic(file, 'new');
    const st = fs.statSync(file);
    expect([st.uid, st.gid]).toEqual([1234, 1234]);
  });

  test('special files are refused as targets: /dev/null is never replaced, a FIFO never hangs', () => {
    expect(() => writeFileAtomic('/dev/null', 'x')).toThrow(
      /\/dev\/null: is a device, not a regular file; srq writes only files/,
    );
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    const dir = sandbox();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(() => writeFileAtomic(fifo, 'x')).toThrow(/is a pipe \(FIFO\)/);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(temps(dir)).toEqual([]);
  });

  test('a file this process read as an input is never the target, even through a hard link', () => {
    const dir = sandbox();
    const input = path.join(dir, 'answers.yaml');
    fs.writeFileSync(input, 'framework: x\n');
    readInput(input);
    const hard = path.join(dir, 'other-name.yaml');
    fs.linkSync(input, hard);
    expect(() => writeFileAtomic(hard, 'pdf')).toThrow(UsageError);
    expect(fs.readFileSync(input, 'utf8')).toBe('framework: x\n');
    // An interview saving its own file says so.
    writeFileAtomic(input, 'framework: y\n', { replacesInput: true });
    expect(fs.readFileSync(input, 'utf8')).toBe('framework: y\n');
  });
});

describe('readInput: opened once, fstat on the descriptor, bounded', () => {
  test('a FIFO is refused at once (no writer needed), /dev/zero is refused, not read', () => {
    const dir = sandbox();
    const fifo = path.join(dir, 'answers.yaml');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    expect(() => readInput(fifo)).toThrow(/is a pipe \(FIFO\), not a regular file/);
    expect(() => readInput('/dev/zero')).toThrow(/is a device, not a regular file/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  test('a file growing past the limit while read stops at the limit', () => {
    const dir = sandbox();
    const file = path.join(dir, 'grows.yaml');
    fs.writeFileSync(file, 'a: 1\n');
    // fstat says 5 bytes; the reads then keep returning data (a file being appended to).
    let served = 0;
    expect(() =>
      withFsOps(
        {
          readSync: (_fd, buf, off, len) => {
            buf.fill(0x61, off, off + len);
            served += len;
            return len;
          },
        },
        () => readInput(file, { maxBytes: 1000 }),
      ),
    ).toThrow("grows.yaml: file is larger, over srq's 1000 bytes limit for this kind of file");
    expect(served).toBeLessThanOrEqual(1001 + 64 * 1024);
  });
});

describe('UTF-8 checks are linear and exact', () => {
  const valid = (b: Uint8Array) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  };

  test(`firstBadUtf8 agrees with the WHATWG decoder on random byte strings (seed ${SEED}; SRQ_TEST_SEED replays)`, () => {
    const rand = prng(SEED + 1);
    const pieces = [
      [0x41],
      [0xc3, 0xa9],
      [0xe2, 0x82, 0xac],
      [0xf0, 0x9f, 0x98, 0x80],
      [0x80],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
      [0xff],
      [0xf0, 0x9f],
    ];
    for (let run = 0; run < 1500; run++) {
      const bytes: number[] = [];
      const n = Math.floor(rand() * 8);
      for (let i = 0; i < n; i++) bytes.push(...pieces[Math.floor(rand() * pieces.length)]);
      const buf = Uint8Array.from(bytes);
      const at = firstBadUtf8(buf);
      const ctx = { bytes: Buffer.from(buf).toString('hex'), at };
      if (at < 0) {
        expect({ ...ctx, valid: valid(buf) }).toEqual({ ...ctx, valid: true });
        continue;
      }
      expect({ ...ctx, valid: valid(buf) }).toEqual({ ...ctx, valid: false });
      // Everything before is valid, and no continuation of at most 4 bytes makes it valid.
      expect({ ...ctx, prefix: valid(buf.subarray(0, at)) }).toEqual({ ...ctx, prefix: true });
      for (let k = 1; k <= 4 && at + k <= buf.length; k++)
        expect({ ...ctx, k, ok: valid(buf.subarray(0, at + k)) }).toEqual({ ...ctx, k, ok: false });
    }
  });

  test(`decodeUtf8 (node's isUtf8 first, then firstBadUtf8) accepts exactly what the WHATWG decoder accepts (seed ${SEED})`, () => {
    const rand = prng(SEED + 2);
    const pieces = [[0x41], [0xc3, 0xa9], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xc0, 0xaf]];
    pieces.push([0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff]);
    for (let run = 0; run < 1500; run++) {
      const bytes: number[] = [];
      const n = Math.floor(rand() * 8);
      for (let i = 0; i < n; i++) bytes.push(...pieces[Math.floor(rand() * pieces.length)]);
      const buf = Buffer.from(bytes);
      let ok = true;
      try {
        decodeUtf8(buf, 'a.yaml');
      } catch {
        ok = false;
      }
      const hex = buf.toString('hex');
      expect({ hex, ok }).toEqual({ hex, ok: valid(buf) });
    }
  });

  test('a 200 KB file with one Latin-1 byte at its end: located in one pass, a content error', () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `line ${i}: ${'é'.repeat(20)}`);
    const buf = Buffer.concat([Buffer.from(`${lines.join('\n')}\ncaf`), Buffer.from([0xe9])]);
    expect(buf.length).toBeGreaterThan(200_000);
    const t0 = Date.now();
    let err: unknown;
    try {
      decodeUtf8(buf, 'a.yaml');
    } catch (e) {
      err = e;
    }
    expect(Date.now() - t0).toBeLessThan(500);
    expect(err).toBeInstanceOf(CheckError);
    expect((err as Error).message).toBe(
      'a.yaml:4001:4: not UTF-8 text (binary file, or another encoding; save it as UTF-8)',
    );
  });

  test('UTF-16 with and without a byte-order mark is named as such', () => {
    const text = 'framework: ncsc-2023\n';
    expect(() =>
      decodeUtf8(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'a'),
    ).toThrow('a:1:1: UTF-16 text, not UTF-8 (save it as UTF-8)');
    expect(() => decodeUtf8(Buffer.from(text, 'utf16le'), 'a')).toThrow(
      /a:1:2: a NUL byte, so not UTF-8 text \(this looks like UTF-16 without a byte-order mark; save it as UTF-8\)/,
    );
  });
});
