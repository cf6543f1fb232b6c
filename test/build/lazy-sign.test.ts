import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import type { CliContext } from '../../src/cli/context';
import { EXAMPLE, tempDir } from '../helpers/cli';

// node-forge (PKCS#12, X.509) costs an unsigned build start-up time it never uses: src/cli/build.ts
// loads the signing code only for --sign. Here loading it at all fails, so an unsigned build
// passes only while that stays true, and a signed one shows the mock is in force.
jest.mock('node-forge', () => {
  throw new Error('node-forge was loaded');
});

function context(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
    env: { SRQ_KEY_PASSPHRASE: 'not used' },
    isTTY: false,
    colour: false,
    debug: false,
    now: () => new Date('2026-11-22T12:00:00Z'),
  };
  return { ctx, out, err };
}

const dir = tempDir('srq-lazy-sign-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('an unsigned build never loads node-forge', async () => {
  const { ctx, out, err } = context(dir);
  const code = await runCli(['build', EXAMPLE, '-o', path.join(dir, 'a.pdf')], ctx);
  expect(err.filter((l) => !/warning/.test(l))).toEqual([]);
  expect(code).toBe(0);
  expect(out.join('\n')).toMatch(/^wrote .*a\.pdf \(\d+ pages/);
});

test('a signed build does (so the mock above is in force)', async () => {
  fs.writeFileSync(path.join(dir, 'k.p12'), 'not a key');
  const { ctx, err } = context(dir);
  const code = await runCli(
    ['build', EXAMPLE, '-o', path.join(dir, 'b.pdf'), '--sign', '--key', 'k.p12'],
    ctx,
  );
  expect(code).toBe(70);
  expect(err.join('\n')).toMatch(/node-forge was loaded/);
});
