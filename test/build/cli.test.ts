import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';

describe('srq build', () => {
  test('writes the example to the default path and reports pages and size', () => {
    const dir = tempDir();
    const r = srq(['build', EXAMPLE, '--buyer', 'Acme', '--reference', 'T-1'], { cwd: dir });
    expect(r.stderr).not.toMatch(/srq: /);
    expect(r.code).toBe(0);
    const out = path.join(
      'output',
      'harbourline-cloud-ltd-harbourline-hosting-platform-statement-v3-0.pdf',
    );
    expect(r.stdout).toMatch(
      new RegExp(`wrote ${out.replace(/[.]/g, '\\.')} \\(\\d+ pages, \\d+ KB\\)`),
    );
    expect(fs.readFileSync(path.join(dir, out)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('unanswered principles: exit 1 listing them, no file; --draft builds', () => {
    const dir = tempDir();
    const text = fs.readFileSync(EXAMPLE, 'utf8').replace(/^ {2}"7":\n(?: {4}.*\n|\n)*/m, '');
    writeFiles(dir, { 'a.yaml': text });
    const r = srq(['build', 'a.yaml', '-o', 'x.pdf'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unanswered: 7 .*--draft/);
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
    const d = srq(['build', 'a.yaml', '-o', 'x.pdf', '--draft'], { cwd: dir });
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('DRAFT');
  });

  test('a missing output folder is an I/O error and leaves nothing behind', () => {
    const dir = tempDir();
    const r = srq(['build', EXAMPLE, '-o', 'nope/x.pdf'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
