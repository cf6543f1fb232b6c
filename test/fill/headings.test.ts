import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';
import { parseCsv } from '../helpers/export';

/**
 * A short line with no question mark, no reference and nothing else in its row reads as a
 * section heading, and so does a terse question ("Patching cadence"). Such rows are listed (on
 * stdout and in the report, in their places), never dropped unseen, and the mapping's
 * alsoQuestions: makes them questions.
 */

const CSV = [
  'Question,Supplier response',
  'Encryption',
  'Which TLS versions does your customer portal accept?,',
  'Patching cadence',
  'How quickly are critical security patches applied to the servers you run for us?,',
  '',
].join('\r\n');

function setUp() {
  const dir = tempDir('srq-headings-');
  fs.copyFileSync(EXAMPLE, path.join(dir, 'answers.yaml'));
  writeFiles(dir, { 'buyer.csv': CSV });
  return dir;
}
const report = (dir: string) =>
  parseCsv(
    fs
      .readFileSync(path.join(dir, 'output', 'buyer-filled.report.csv'), 'utf8')
      .replace(/^\ufeff/, ''),
  ).filter((r) => r.length > 1);
const args = [
  'fill',
  'buyer.csv',
  '--answers',
  'answers.yaml',
  '--tier',
  'managed',
  '--allow-blank',
];

test('rows read as section headings are listed in the report and on stdout, in their places', () => {
  const dir = setUp();
  const r = srq(args, { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^2 question\(s\): /m);
  expect(r.stdout).toContain(
    "2 row(s) read as section headings, not answered: line 2 'Encryption', line 4 'Patching cadence'",
  );
  const rows = report(dir);
  expect(rows.map((x) => [x[1], x[4]])).toEqual([
    ['Row', 'Status'],
    ['line 2', 'heading'],
    ['line 3', 'answered'],
    ['line 4', 'heading'],
    ['line 5', 'answered'],
  ]);
  expect(rows[3][8]).toContain("add 4 to alsoQuestions: of sheet 'buyer.csv'");
});

test('alsoQuestions: in the mapping makes a heading-like row a question, and it is answered', () => {
  const dir = setUp();
  expect(srq(args, { cwd: dir }).code).toBe(0);
  const mapFile = path.join(dir, 'output', 'buyer-filled.map.yaml');
  const map = parse(fs.readFileSync(mapFile, 'utf8')) as { sheets: { alsoQuestions?: number[] }[] };
  map.sheets[0].alsoQuestions = [4];
  writeFiles(dir, { 'buyer.map.yaml': JSON.stringify(map) });
  const r = srq([...args, '--map', 'buyer.map.yaml', '--overwrite'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^3 question\(s\): /m);
  const rows = report(dir);
  expect(rows.find((x) => x[1] === 'line 4')![4]).toMatch(/answered|needs review|blank/);
  expect(rows.find((x) => x[1] === 'line 2')![4]).toBe('heading');
  const filled = parseCsv(
    fs.readFileSync(path.join(dir, 'output', 'buyer-filled.csv'), 'utf8').replace(/^\ufeff/, ''),
  );
  expect(filled[3][0]).toBe('Patching cadence');
});

test('alsoQuestions: that is not a list of row numbers is a one-line error naming the field', () => {
  const dir = setUp();
  writeFiles(dir, {
    'bad.map.yaml':
      'format: 1\nsheets:\n  - sheet: buyer.csv\n    headerRow: 1\n    question: A\n    answer: B\n    alsoQuestions: [four]\n',
  });
  const r = srq([...args, '--map', 'bad.map.yaml'], { cwd: dir });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/bad\.map\.yaml:7:\d+.*alsoQuestions/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
