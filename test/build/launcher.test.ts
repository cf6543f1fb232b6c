import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDir } from '../helpers/cli';

/**
 * The node options bin/srq.js's shell line starts node with (issue 15): V8's pool of helper
 * threads (garbage collection, optimising compiles) is one thread fewer than the machine's
 * online CPUs, at least 1 and at most 4 (node's default, which it keeps when it cannot tell).
 * The oracle: a `node` on the PATH that prints the arguments it was started with, and a copy of
 * the launcher reading a CPU list of the test's choosing instead of the machine's.
 */

const ONLINE = '/sys/devices/system/cpu/online';
const dir = tempDir('srq-launcher-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A package folder with the launcher (reading `cpus`), a fake blob with its stamp, a fake node. */
function stage(name: string, cpus: string | undefined): { bin: string; env: NodeJS.ProcessEnv } {
  const root = path.join(dir, name);
  const cpuFile = path.join(root, 'online');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dist', '.snapshot'), { recursive: true });
  fs.mkdirSync(path.join(root, 'path'));
  const launcher = fs.readFileSync(BIN, 'utf8');
  expect(launcher.split('\n')[1]).toContain(ONLINE);
  const bin = path.join(root, 'bin', 'srq.js');
  fs.writeFileSync(bin, launcher.replace(ONLINE, cpuFile), { mode: 0o755 });
  if (cpus !== undefined) fs.writeFileSync(cpuFile, `${cpus}\n`);
  // The stamp the launcher checks before it starts the blob: a version (for people), the size.
  const blob = path.join(root, 'dist', '.snapshot', 'srq.blob');
  const stamp = path.join(root, 'dist', '.snapshot', 'node');
  fs.writeFileSync(blob, 'not a real blob');
  fs.writeFileSync(stamp, `v0.0.0-fake ${fs.statSync(blob).size}\n`);
  const t = new Date(2026, 11, 7);
  fs.utimesSync(blob, t, t);
  fs.utimesSync(stamp, t, t);
  // The node the blob was made with (dist/.snapshot/node-bin), first on the PATH, not changed since.
  const node = path.join(root, 'path', 'node');
  fs.writeFileSync(node, '#!/bin/sh\nprintf \'%s\\n\' "$@"\n', { mode: 0o755 });
  fs.utimesSync(node, t, t);
  fs.symlinkSync(node, path.join(root, 'dist', '.snapshot', 'node-bin'));
  return { bin, env: { PATH: `${path.dirname(node)}:${process.env.PATH ?? ''}` } };
}

/** The arguments the launcher started node with, before the script's own. */
function nodeOptions(bin: string, env: NodeJS.ProcessEnv, args: string[]): string[] {
  const r = spawnSync(bin, args, { env, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const argv = r.stdout.trimEnd().split('\n');
  return argv.slice(0, argv.indexOf(bin));
}

// The V8 flags the blob is made with (test/snapshot/snapshot.test.ts holds the launcher to them).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script (CommonJS)
const { V8_FLAGS } = require('../../scripts/snapshot') as { V8_FLAGS: string[] };

describe('bin/srq.js sizes V8’s helper thread pool to the machine', () => {
  const cases: [string, string | undefined, string[]][] = [
    ['two CPUs: one helper', '0-1', ['--v8-pool-size=1']],
    ['one CPU: one helper', '0', ['--v8-pool-size=1']],
    ['three CPUs: two', '0-2', ['--v8-pool-size=2']],
    ['eight CPUs: node’s four', '0-7', ['--v8-pool-size=4']],
    ['128 CPUs: four', '0-127', ['--v8-pool-size=4']],
    ['a list with gaps: node’s default', '0-3,5-7', []],
    ['no CPU list: node’s default', undefined, []],
  ];

  test.each(cases)('%s', (name, cpus, want) => {
    const { bin, env } = stage(name.replace(/\W+/g, '-'), cpus);
    // Every other command: node runs the script.
    expect(nodeOptions(bin, env, ['--version'])).toEqual(want);
    // build and example start the blob, with the V8 flags it was made with.
    const snap = nodeOptions(bin, env, ['build', 'answers.yaml']);
    expect(snap.slice(0, V8_FLAGS.length + 1)).toEqual([...V8_FLAGS, '--snapshot-blob']);
    expect(snap.filter((o) => o.startsWith('--v8-pool-size'))).toEqual(want);
  });

  test('the machine’s own list is read as the test reads it', () => {
    const online = fs.existsSync(ONLINE) ? fs.readFileSync(ONLINE, 'utf8').trim() : undefined;
    const { bin, env } = stage('this-machine', online);
    const m = online?.match(/^0(?:-(\d+))?$/);
    const want = m ? [`--v8-pool-size=${Math.min(4, Math.max(1, Number(m[1] ?? 0)))}`] : [];
    expect(nodeOptions(bin, env, ['--help'])).toEqual(want);
  });
});
