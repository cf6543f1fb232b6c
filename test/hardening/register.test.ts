import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readInput } from '../../src/fsx';
import { readRegister, recordBuild } from '../../src/register';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';

/**
 * Issue 14, class 5: the register is read line by line (a torn or binary line is one reported
 * problem, every other entry still counts), a new entry starts on its own line, and the answers
 * hash is of the bytes the document was built from.
 */

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const dirs: string[] = [];
function sandbox(): string {
  const d = tempDir('srq-register-');
  dirs.push(d);
  fs.copyFileSync(EXAMPLE, path.join(d, 'a.yaml'));
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Report {
  entries: { path: string }[];
  problems: { line?: number; message: string }[];
}
const report = (dir: string) => {
  const r = srq(['register', '--json'], { cwd: dir });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
};

test('after a torn last line, the next build starts its entry on a new line', () => {
  const dir = sandbox();
  expect(srq(['build', 'a.yaml', '-o', 'one.pdf'], { cwd: dir }).code).toBe(0);
  const reg = path.join(dir, 'output', 'register.jsonl');
  fs.appendFileSync(reg, '{"format":1,"time":"2026-11-22T12:00:00Z","file":"to'); // a full disk
  expect(srq(['build', 'a.yaml', '-o', 'two.pdf'], { cwd: dir }).code).toBe(0);
  const lines = fs.readFileSync(reg, 'utf8').split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[2]).toMatch(/^\{"format":1,.*"file":"\.\.\/two\.pdf"/);
  const r = report(dir);
  expect(r.entries.map((e) => e.path)).toEqual(['one.pdf', 'two.pdf']);
  expect(r.problems).toEqual([expect.objectContaining({ line: 2 })]);
});

test('a binary block in the middle hides no entry: one problem for the run of bad lines', () => {
  const dir = sandbox();
  expect(srq(['build', 'a.yaml', '-o', 'one.pdf'], { cwd: dir }).code).toBe(0);
  const reg = path.join(dir, 'output', 'register.jsonl');
  const noise = Buffer.alloc(3000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 256;
  fs.appendFileSync(reg, Buffer.concat([noise, Buffer.from('\n')]));
  expect(srq(['build', 'a.yaml', '-o', 'two.pdf'], { cwd: dir }).code).toBe(0);
  const r = report(dir);
  expect(r.entries.map((e) => e.path)).toEqual(['one.pdf', 'two.pdf']);
  expect(r.problems).toHaveLength(1);
  expect(r.problems[0].line).toBe(2);
});

test('the answers hash is of the bytes read for the build, not the file as it is afterwards', () => {
  const dir = sandbox();
  const answers = path.join(dir, 'a.yaml');
  const built = readInput(answers);
  fs.appendFileSync(answers, '# edited while the build ran\n');
  const entry = recordBuild({
    outputDir: path.join(dir, 'output'),
    pdfPath: path.join(dir, 'x.pdf'),
    pdfBytes: Buffer.from('%PDF-'),
    answersFile: answers,
    version: '3.0',
    template: 'statement',
    tiers: [],
    time: new Date('2026-11-22T12:00:00Z'),
  });
  expect(entry.answersSha256).toBe(sha(built));
  expect(entry.answersSha256).not.toBe(sha(fs.readFileSync(answers)));
  expect(readRegister(path.join(dir, 'output', 'register.jsonl')).entries).toHaveLength(1);
});
