import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';

/** Issue 14, class 10: messages and outcomes that misled (status, review on CRLF files). */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('status: an unreadable file (a FIFO) is named once and is an I/O problem, exit 3', () => {
  const dir = tempDir('srq-messages-');
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'st'));
  fs.copyFileSync(EXAMPLE, path.join(dir, 'st', 'a.yaml'));
  execFileSync('mkfifo', [path.join(dir, 'st', 'b.yaml')]);
  const r = srq(['status', 'st'], { cwd: dir });
  expect(r.code).toBe(3);
  const about = r.stdout.split('\n').filter((l) => l.startsWith('st/b.yaml'));
  expect(about).toEqual([
    'st/b.yaml  UNREADABLE',
    'st/b.yaml: is a pipe (FIFO), not a regular file (srq reads only files; give the path of a saved file)',
  ]);
});

test('review --yes on a CRLF file keeps CRLF on every line, new ones too', () => {
  const dir = tempDir('srq-messages-');
  dirs.push(dir);
  const file = path.join(dir, 'a.yaml');
  fs.writeFileSync(file, fs.readFileSync(EXAMPLE, 'utf8').replace(/\n/g, '\r\n'));
  const r = srq(['review', 'a.yaml', '--yes'], { cwd: dir });
  expect(r.code).toBe(0);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('version: "3.1"');
  expect(text.match(/(?<!\r)\n/g)).toBeNull();
});
