import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockPath } from '../../src/lock';
import { EXAMPLE, parsedAnswers, REPO, tempDir } from '../helpers/interview';

const SRQ = path.join(REPO, 'bin/srq.js');

function srq(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [SRQ, ...args], {
    cwd,
    encoding: 'utf8',
    // Not as run by npm (jest may be): hints name plain `srq`.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))),
      SRQ_NOW: '2027-10-30T10:00:00Z',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('interview commands from the CLI', () => {
  test('without a terminal every interview command exits 2 pointing at the YAML format and srq validate', () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'p.yaml'));
    for (const [what, ...args] of [
      ['the interview', 'interview', 'a.yaml'],
      ['the review', 'review', 'p.yaml'],
      ['the customer interview', 'customer', 'p.yaml', '--tier', 'managed'],
    ]) {
      const r = srq(dir, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^srq: ${what} asks its questions on a terminal`));
      expect(r.stderr).not.toContain('srq: srq');
      expect(r.stderr).toContain(
        args[0] === 'customer' ? 'answers/example-customer.yaml' : 'answers/example-cloud.yaml',
      );
      expect(r.stderr).toContain('"Answers format" in the README');
      expect(r.stderr).toContain('srq validate <file>');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(srq(dir, 'review', 'p.yaml').stderr).toContain('srq review <file> --yes');
    expect(fs.readdirSync(dir)).toEqual(['p.yaml']);
  });

  test('review --yes works without a terminal and the result validates', () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'p.yaml'));
    const r = srq(dir, 'review', 'p.yaml', '--yes', '--major');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('p.yaml: version 3.0 → 4.0, issued 2027-10-30, next review 2028-10-30\n');
    expect(r.stderr).toContain(
      'p.yaml: warning: evidence cyber-essentials-plus (Cyber Essentials Plus certificate) expires on 2027-05-20, before the next review 2028-10-30',
    );
    expect(parsedAnswers(path.join(dir, 'p.yaml')).value!.answers.document.version).toBe('4.0');
    expect(srq(dir, 'validate', 'p.yaml').code).toBe(0);
    expect(fs.existsSync(lockPath(path.join(dir, 'p.yaml')))).toBe(false);
  });

  test('a second session on a locked file is refused with exit 3 and the file is untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.yaml');
    fs.copyFileSync(EXAMPLE, file);
    // A lock held by a running process (this test's own).
    fs.writeFileSync(
      lockPath(file),
      JSON.stringify({
        pid: process.pid,
        host: os.hostname(),
        started: '2027-10-30T09:00:00.000Z',
      }),
    );
    const r = srq(dir, 'review', 'p.yaml', '--yes');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `srq: p.yaml is being edited by another srq (process ${process.pid}, since 2027-10-30T09:00:00.000Z); finish that interview first (if none is running, delete p.yaml.lock)\n`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(EXAMPLE, 'utf8'));
  });
});

describe('starting a file', () => {
  test('srq customer FILE without --tier lists the tiers (exit 2), terminal or not', () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'p.yaml'));
    const r = srq(dir, 'customer', 'p.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'srq: give the tier you bought with --tier; p.yaml has unmanaged (Unmanaged virtual servers), managed (Managed hosting), fully-managed (Fully managed application) (e.g. srq customer p.yaml --tier unmanaged)\n',
    );
    expect(fs.readdirSync(dir)).toEqual(['p.yaml']);
  });
});
