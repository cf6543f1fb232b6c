import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { BIN, EXAMPLE, ROOT, srq, tempDir } from '../helpers/cli';

/**
 * `-` as the answers file, where a command documents it (validate, export; see --help and the
 * README), and `-o -` to standard output: the same results as from the file, bounded input.
 */
describe('standard input and output', () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8');

  test('validate - reads the answers from standard input, named "standard input"', () => {
    const r = srq(['validate', '-'], { input: text });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^standard input: valid: 9 principle\(s\) and 15 sub-principle\(s\)/);
    // The example's one warning, located in standard input as it is in the file.
    const fromFile = srq(['validate', EXAMPLE]);
    expect(r.stderr).toBe(
      fromFile.stderr.replace(/^answers\/example-cloud\.yaml/gm, 'standard input'),
    );
  });

  test('validate - with a customer file on standard input resolves provider: from the current folder', () => {
    const customer = fs.readFileSync(`${ROOT}/answers/example-customer.yaml`, 'utf8');
    const r = srq(['validate', '-'], { input: customer, cwd: `${ROOT}/answers` });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^standard input: valid customer file/);
  });

  test('export - --format md -o - gives the same Markdown as the file does', () => {
    const fromStdin = srq(['export', '-', '--format', 'md', '-o', '-'], { input: text });
    const fromFile = srq(['export', EXAMPLE, '--format', 'md', '-o', '-']);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout.length).toBeGreaterThan(10_000);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  test('export - writes a file with -o FILE too', () => {
    const dir = tempDir();
    const r = srq(['export', '-', '--format', 'csv', '-o', 'out.csv'], { input: text, cwd: dir });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(`${dir}/out.csv`, 'utf8')).toMatch(/^\ufeffID,Principle,Tier/);
  });

  test('validate - from /dev/zero stops at the 5 MB limit at once (exit 3), no hang', () => {
    const fd = fs.openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(process.execPath, [BIN, 'validate', '-'], {
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).toBe(3);
      expect(r.stderr.trim()).toBe(
        "srq: standard input: file is larger, over srq's 5 MB limit for this kind of file (is this the right file?)",
      );
    } finally {
      fs.closeSync(fd);
    }
  });

  test('--help of validate and export documents -', () => {
    expect(srq(['validate', '--help']).stdout).toMatch(/or - for standard input/);
    expect(srq(['export', '--help']).stdout).toMatch(/or - for standard input/);
  });
});
