import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { asTyped, detectInvocation } from '../../src/cli/context';
import { usableEditor } from '../../src/interview/prompts';
import { BIN, ROOT, srq, tempDir } from '../helpers/cli';

/** The CLI's top level as a user meets it: version, help, pipes, Ctrl+C, how hints are written. */

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

describe('srq at the top level', () => {
  test('--version, -V and `srq version` print the package version on stdout', () => {
    for (const args of [['--version'], ['-V'], ['version']]) {
      const r = srq(args);
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  test('`srq` alone prints the help on stdout and exits 0', () => {
    const r = srq([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: srq /);
    expect(r.stdout).toContain('interview [options] [answers]');
    expect(r.stdout).toContain('version');
  });

  test('piping into a reader that stops early (head) ends quietly, never with a stack trace', async () => {
    // Like `| head -c 1`: read one chunk, then close the pipe while srq is still writing.
    for (const args of [
      ['export', 'answers/example-cloud.yaml', '--format', 'oscal', '-o', '-'],
      ['export', 'answers/example-cloud.yaml', '--format', 'html', '-o', '-'],
    ]) {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', SRQ_NOW: '2026-11-22T12:00:00Z' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    }
  });

  test('--key without --sign signs (the key is only for signing)', () => {
    const dir = tempDir();
    const r = srq(
      ['build', path.join(ROOT, 'answers/example-cloud.yaml'), '--key', 'none.p12', '--draft'],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('srq: a draft cannot be signed (drop --draft, or --key)\n');
    const missing = srq(
      ['build', path.join(ROOT, 'answers/example-cloud.yaml'), '--key', 'no.p12'],
      {
        cwd: dir,
        env: { SRQ_KEY_PASSPHRASE: 'x' },
      },
    );
    // It went on to load the key (it would have built an unsigned PDF before).
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no.p12');
    expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
  });
});

describe('hints are written the way the user runs srq', () => {
  test('under npx or npm start: npx srq', () => {
    expect(detectInvocation({ env: { npm_command: 'exec' }, script: BIN, cwd: ROOT })).toBe(
      'npx srq',
    );
    expect(
      detectInvocation({ env: { npm_lifecycle_event: 'start' }, script: BIN, cwd: ROOT }),
    ).toBe('npx srq');
  });

  test('srq when that name on the PATH is this program (npm link); else the path typed', () => {
    const dir = tempDir();
    fs.symlinkSync(BIN, path.join(dir, 'srq'));
    expect(detectInvocation({ env: { PATH: dir }, script: BIN, cwd: ROOT })).toBe('srq');
    expect(detectInvocation({ env: { PATH: '/nowhere' }, script: BIN, cwd: ROOT })).toBe('srq');
    const linked = path.join(ROOT, 'node_modules/.bin/srq');
    expect(detectInvocation({ env: { PATH: '/nowhere' }, script: linked, cwd: ROOT })).toBe(
      './node_modules/.bin/srq',
    );
  });

  test('asTyped rewrites command names in hints, and only those', () => {
    expect(asTyped('to carry on, run: srq interview a.yaml', 'npx srq')).toBe(
      'to carry on, run: npx srq interview a.yaml',
    );
    expect(asTyped('check it with `srq validate a.yaml`', './node_modules/.bin/srq')).toBe(
      'check it with `./node_modules/.bin/srq validate a.yaml`',
    );
    expect(asTyped('already npx srq verify x', 'npx srq')).toBe('already npx srq verify x');
    expect(asTyped('srq DEMO signer; srq signs only', 'npx srq')).toBe(
      'srq DEMO signer; srq signs only',
    );
  });

  test('the stderr of a real npx-style run names `npx srq`', () => {
    const dir = tempDir();
    const r = srq(['interview', 'a.yaml'], {
      cwd: dir,
      env: { npm_command: 'exec', npm_lifecycle_event: 'npx' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('check it with `npx srq validate <file>`');
  });
});

describe('the statement editor', () => {
  const PATH = path.dirname(process.execPath) + path.delimiter + '/usr/bin:/bin';
  const vi = fs.existsSync('/usr/bin/vi') ? 'vi' : undefined;

  test("npm's injected EDITOR=vi is not the user's choice: type line by line", () => {
    expect(
      usableEditor({
        PATH,
        EDITOR: 'vi',
        npm_execpath: '/usr/lib/npm-cli.js',
        npm_command: 'exec',
      }),
    ).toBeUndefined();
  });

  test('an editor the user chose is used: VISUAL, SRQ_EDITOR, EDITOR outside npm', () => {
    const node = process.execPath;
    expect(usableEditor({ PATH, VISUAL: node, EDITOR: 'vi', npm_command: 'exec' })).toBe(node);
    expect(usableEditor({ PATH, SRQ_EDITOR: node, EDITOR: 'vi', npm_command: 'exec' })).toBe(node);
    expect(usableEditor({ PATH, EDITOR: node, npm_command: 'exec' })).toBe(node);
    if (vi) expect(usableEditor({ PATH, EDITOR: 'vi' })).toBe('vi');
    expect(usableEditor({ PATH, SRQ_EDITOR: 'none', VISUAL: node })).toBeUndefined();
    expect(usableEditor({ PATH, EDITOR: '/no/such/editor' })).toBeUndefined();
  });
});
