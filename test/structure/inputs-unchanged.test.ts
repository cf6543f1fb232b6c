import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir, writeFiles } from '../helpers/cli';

/**
 * README: "inputs never changed by a command that only reads them". Every command that reads
 * answers, a customer file, a logo or a PDF and writes something else (or nothing) leaves each
 * input byte for byte and with the same modification time.
 */

type Snapshot = Record<string, { sha: string; mtimeMs: number }>;

function snapshot(dir: string, files: string[]): Snapshot {
  return Object.fromEntries(
    files.map((f) => {
      const p = path.join(dir, f);
      return [
        f,
        {
          sha: createHash('sha256').update(fs.readFileSync(p)).digest('hex'),
          mtimeMs: fs.statSync(p).mtimeMs,
        },
      ];
    }),
  );
}

describe('commands that only read their inputs leave them as they were', () => {
  const dir = tempDir('srq-inputs-');
  const inputs = ['a.yaml', 'c.yaml', 'built.pdf'];
  beforeAll(() => {
    writeFiles(dir, {
      'a.yaml': fs.readFileSync(EXAMPLE),
      'c.yaml': fs
        .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
        .replace(/^provider: .*$/m, 'provider: a.yaml'),
    });
    const r = srq(['build', 'a.yaml', '-o', 'built.pdf'], { cwd: dir });
    expect(r.code).toBe(0);
  });

  it.each([
    ['validate', ['validate', 'a.yaml'], 0],
    ['validate a customer file', ['validate', 'c.yaml'], 0],
    ['build', ['build', 'a.yaml', '-o', 'out.pdf', '--force'], 0],
    ['build a customer file', ['build', 'c.yaml', '-o', 'customer.pdf', '--force'], 0],
    ['export md', ['export', 'a.yaml', '--format', 'md', '-o', 'out.md'], 0],
    ['export xlsx', ['export', 'a.yaml', '--format', 'xlsx', '-o', 'out.xlsx'], 0],
    ['verify', ['verify', 'built.pdf'], 1],
    ['status', ['status', '.'], 0],
    ['diff', ['diff', 'a.yaml', 'a.yaml'], 0],
  ])('%s', (_name, args, code) => {
    const before = snapshot(dir, inputs);
    const r = srq(args, { cwd: dir });
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // verify exits 1: the statement was built unsigned.
    expect(r.code).toBe(code);
    expect(snapshot(dir, inputs)).toEqual(before);
  });
});
