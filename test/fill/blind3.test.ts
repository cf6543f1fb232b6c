import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';
import { parseCsv } from '../helpers/export';

/**
 * evaluation-blind3.yaml: 165 questions (40 off-topic), written at stop 23 by an engineer who read
 * only the answers file and the NCSC catalogue (never src/fill, test/fill or earlier sets), run
 * once, end to end, through `srq fill` of a CSV questionnaire on the matcher frozen at 790c52e
 * (lexical score plus the example-question bank). First and only run: 80 of 125 answerable
 * questions answered with a right principle (64.0%: the 80% bar is MISSED) and 11 of 165 rows
 * answered from a wrong principle (6.7%: the 2% bar is MISSED). Never tuned on.
 *
 * Unlike evaluation.test.ts this goes through the whole command, so it measures what a sales
 * person gets: the shipped matcher with its bank, the threshold and margin, the report.
 */

interface Labelled {
  q: string;
  answer: string[];
}

const set = (
  parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'evaluation-blind3.yaml'), 'utf8')) as {
    questions: Labelled[];
  }
).questions;

let right = 0;
const wrong: string[] = [];
let answerable = 0;

beforeAll(() => {
  const dir = tempDir('srq-fill-blind3-');
  fs.copyFileSync(EXAMPLE, path.join(dir, 'example-cloud.yaml'));
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  fs.writeFileSync(
    path.join(dir, 'questions.csv'),
    ['Question,Supplier response', ...set.map((e) => `${quote(e.q)},`)].join('\r\n') + '\r\n',
  );
  const r = srq(
    [
      'fill',
      'questions.csv',
      '--answers',
      'example-cloud.yaml',
      '--tier',
      'managed',
      '-o',
      'filled.csv',
      '--allow-blank',
    ],
    { cwd: dir },
  );
  expect(r.code).toBe(0);
  const [head, ...rows] = parseCsv(
    fs.readFileSync(path.join(dir, 'filled.report.csv'), 'utf8').replace(/^\ufeff/, ''),
  ).filter((row) => row.length > 1);
  expect(rows).toHaveLength(set.length);
  const status = head.indexOf('Status');
  const from = head.indexOf('Answered from');
  const question = head.indexOf('Question');
  set.forEach((e, i) => {
    expect(rows[i][question]).toBe(e.q);
    if (e.answer.length) answerable++;
    if (rows[i][status] !== 'answered') return;
    const id = rows[i][from].split(' ')[0];
    if (e.answer.includes(id)) right++;
    else wrong.push(`${e.q} -> ${rows[i][from]}`);
  });
  fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

it('is the blind set as written: 165 questions, 40 off-topic', () => {
  expect(set).toHaveLength(165);
  expect(set.filter((e) => e.answer.length === 0)).toHaveLength(40);
  expect(answerable).toBe(125);
});

it('no worse than its first run through srq fill (80/125 right, 11/165 wrong)', () => {
  expect(right).toBeGreaterThanOrEqual(80);
  expect(wrong.length).toBeLessThanOrEqual(11);
});

it.failing(
  'the issue bar: >= 80% right and <= 2% of all rows wrong (MISSED on the first run)',
  () => {
    expect(right / answerable).toBeGreaterThanOrEqual(0.8);
    expect(wrong.length).toBeLessThanOrEqual(Math.floor(set.length * 0.02));
  },
);
