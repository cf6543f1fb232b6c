import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';
import { parseCsv } from '../helpers/export';

/**
 * Blind sets, end to end through `srq fill` of a CSV questionnaire: every
 * fixtures/evaluation-blind*.yaml that is NOT in the example-question bank (fixtures/sets.json
 * lists the bank's sets). A set in the bank would be matched against its own wordings, so it is
 * measured by cross-validation instead (crossval.test.ts, bench/fill-cv.js): blind3 was run here
 * once on the matcher frozen at 790c52e (80/125 right, 11/165 wrong) and is in the bank since
 * f443224 (its CV fold: 96/125 right, 6/165 wrong).
 *
 * To add a blind set: drop evaluation-blindN.yaml into fixtures, run this file once (a set without
 * a floor fails and prints its figures), and put those figures into FLOORS. Add it to sets.json
 * (and rerun scripts/write-question-bank.js) only after that one run.
 */

/** Per set: no fewer right (of answerable) and no more wrong (of all rows) than its first run. */
const FLOORS: Record<string, { right: number; wrong: number }> = {};

interface Labelled {
  q: string;
  answer: string[] | 'none';
}

const FIXTURES = path.join(__dirname, 'fixtures');
const inBank = new Set(
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sets.json'), 'utf8')) as string[],
);
const blind = fs
  .readdirSync(FIXTURES)
  .filter((f) => /^evaluation-blind\d*\.yaml$/.test(f) && !inBank.has(f))
  .sort();

function run(name: string) {
  const set = (
    parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as { questions: Labelled[] }
  ).questions.map((e) => ({ q: e.q, answer: e.answer === 'none' ? [] : e.answer.map(String) }));
  const dir = tempDir('srq-fill-blind-');
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
  fs.rmSync(dir, { recursive: true, force: true });
  expect(rows).toHaveLength(set.length);
  const status = head.indexOf('Status');
  const from = head.indexOf('Answered from');
  const question = head.indexOf('Question');
  let right = 0;
  const wrong: string[] = [];
  set.forEach((e, i) => {
    expect(rows[i][question]).toBe(e.q);
    if (rows[i][status] !== 'answered') return;
    if (e.answer.includes(rows[i][from].split(' ')[0])) right++;
    else wrong.push(`${e.q} -> ${rows[i][from]}`);
  });
  return { rows: set.length, answerable: set.filter((e) => e.answer.length).length, right, wrong };
}

it('measures only blind sets outside the bank (the bank holds blind3 and the earlier ones)', () => {
  expect(inBank.has('evaluation-blind3.yaml')).toBe(true);
  expect(blind).not.toContain('evaluation-blind3.yaml');
  for (const name of Object.keys(FLOORS)) expect(blind).toContain(name);
});

for (const name of blind) {
  describe(`${name}, through srq fill`, () => {
    it('no worse than its first run', () => {
      const s = run(name);
      const figures = `${name}: ${s.right}/${s.answerable} right, ${s.wrong.length}/${s.rows} wrong`;
      const floor = FLOORS[name];
      if (!floor) throw new Error(`no floor yet; first run: ${figures}\n${s.wrong.join('\n')}`);
      expect([figures, s.right >= floor.right, s.wrong.length <= floor.wrong]).toEqual([
        figures,
        true,
        true,
      ]);
    }, 120_000);
  });
}
