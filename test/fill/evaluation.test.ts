import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readAnswers } from '../../src/answers/read';
import {
  AnswerIndex,
  DEFAULT_MARGIN,
  DEFAULT_THRESHOLD,
  matchQuestion,
} from '../../src/fill/match';
import { buildTargets } from '../../src/fill/targets';
import { resolveModel } from '../../src/model/resolve';
import { EXAMPLE } from '../helpers/cli';

/**
 * The matcher against hand-labelled evaluation sets (test/fill/fixtures/evaluation*.yaml):
 * buyer-style questions, labelled with the principles of answers/example-cloud.yaml whose answer
 * is right, and off-topic questions that must stay blank. The bar from the issue: at the default
 * threshold, at least 80% of answerable questions get the right principle, and at most 2% of all
 * rows get a wrong principle's answer (blank is always better than wrong).
 *
 * - evaluation.yaml: the original tuning set;
 * - evaluation-holdout.yaml: written after the first tuning, held out then, tuned on since;
 * - evaluation-author.yaml: eighteen batches the matchers' authors wrote while extending the
 *   thesaurus, each run once before any tuning for it (first-run figures in its header: 40% to
 *   80% right, 3% to 25% wrong), tuned on since;
 * - evaluation-blind.yaml: written by another engineer who never saw the matcher (copied
 *   unchanged from the brief's holdout-blind.yaml), run once after the stop-20 matcher was
 *   frozen (commit e525127). First run: 65 of 76 answerable right (85.5%) and 6 of 101 rows
 *   wrong (5.9%: the 2% bar was MISSED; 4 wrong principles, 2 off-topic questions answered).
 *   At stop 21 its six wrong rows were studied and the thesaurus and rules changed for what
 *   they showed (pen testing, log forwarding, power, a question with no security word), so it
 *   is a tuning set now; the "2% bar missed" it.failing test became a plain test when it
 *   turned red (the bar is met on it, but only as a tuned-on set). A fresh blind set is the
 *   only honest measure of unseen wording.
 * - evaluation-frozen.yaml: 60 questions the fill engineer wrote after the matcher was frozen
 *   (commit d11bd80), run once and never tuned on: 38/46 = 82.6% right, 1/60 = 1.7% wrong.
 *   The bar is met on it, but its author wrote the thesaurus too; on his fresh batches before
 *   it (evaluation-author.yaml, batches 6 to 18) first runs were 51-80% right, 2-13% wrong.
 * - evaluation-blind2.yaml: see below; 71.9% right, 5.4% wrong on its one run.
 *
 * These tests measure the LEXICAL matcher alone (AnswerIndex without a bank). srq fill adds the
 * example-question bank (src/fill/bank.ts), and every set here is in the shipped bank, so
 * figures with the shipped bank on these sets would be tuned figures and say nothing. How the
 * matcher as shipped does on unseen wording is measured in crossval.test.ts (bench/fill-cv.js):
 * leave-one-set-out, the bank built without the set matched. At the freeze ("fill: matcher
 * frozen", 790c52e): on the blind2 fold, the only set the thesaurus was not tuned on, 85/114 =
 * 74.6% right and 5/149 = 3.4% wrong (lexical alone 71.9% / 5.4%); over all 23 folds 83.6% /
 * 1.5% (lexical alone 81.8% / 1.2%, inflated by the thesaurus having been tuned on them). The
 * issue's bar (80% / 2%) is still missed on unseen wording.
 */

interface Labelled {
  q: string;
  /** The ids that answer it; 'none' or [] when it must stay blank. */
  answer: string[] | 'none';
}

const offTopic = (e: Labelled) => e.answer === 'none' || e.answer.length === 0;

function load(name: string): Labelled[] {
  const file = path.join(__dirname, 'fixtures', name);
  return (parse(fs.readFileSync(file, 'utf8')) as { questions: Labelled[] }).questions;
}

const parsed = readAnswers(EXAMPLE).value!;
const index = new AnswerIndex(buildTargets(parsed, resolveModel(parsed)).all);

function evaluate(set: Labelled[]) {
  let right = 0;
  const wrong: string[] = [];
  for (const e of set) {
    const r = matchQuestion(
      index,
      { text: e.q },
      {
        threshold: DEFAULT_THRESHOLD,
        margin: DEFAULT_MARGIN,
        namespaces: [],
        remembered: {},
      },
    );
    if (r.kind !== 'match') continue;
    if (!offTopic(e) && (e.answer as string[]).includes(r.match.target.id)) right++;
    else wrong.push(`${e.q} -> ${r.match.target.id}`);
  }
  const answerable = set.filter((e) => !offTopic(e)).length;
  return { right, answerable, wrong, rows: set.length };
}

const SETS = [
  'evaluation.yaml',
  'evaluation-holdout.yaml',
  'evaluation-author.yaml',
  'evaluation-blind.yaml',
];

describe.each(SETS)('%s (tuned on)', (name) => {
  const set = load(name);

  it('at the default threshold: >= 80% of answerable questions right, <= 2% of all rows wrong', () => {
    const { right, answerable, wrong, rows } = evaluate(set);
    expect(wrong).toEqual(wrong.slice(0, Math.floor(rows * 0.02)));
    expect(right / answerable).toBeGreaterThanOrEqual(0.8);
  });
});

it('the sets are big enough to mean something', () => {
  const all = SETS.flatMap(load);
  expect(all.length).toBeGreaterThanOrEqual(650);
  expect(all.filter(offTopic).length).toBeGreaterThanOrEqual(130);
});

it('off-topic questions (insurance, prices, company size, legal, HR, ESG) are never answered from a principle', () => {
  for (const e of SETS.flatMap(load).filter(offTopic)) {
    const r = matchQuestion(
      index,
      { text: e.q },
      { threshold: DEFAULT_THRESHOLD, margin: DEFAULT_MARGIN, namespaces: [], remembered: {} },
    );
    expect([e.q, r.kind]).toEqual([e.q, 'none']);
  }
});

describe('evaluation-blind.yaml', () => {
  it('is the blind set as written: 101 questions, 25 off-topic', () => {
    const set = load('evaluation-blind.yaml');
    expect(set.length).toBe(101);
    expect(set.filter(offTopic).length).toBe(25);
  });
});

describe('evaluation-frozen.yaml (held out: written after the matcher was frozen at d11bd80, never tuned on)', () => {
  const set = load('evaluation-frozen.yaml');

  it('is the held-out set as written: 60 questions, 14 off-topic', () => {
    expect(set.length).toBe(60);
    expect(set.filter(offTopic).length).toBe(14);
  });

  it('at the default threshold: >= 80% of answerable questions right, <= 2% of all rows wrong (first run: 38/46, 1/60)', () => {
    const { right, answerable, wrong, rows } = evaluate(set);
    expect(wrong.length).toBeLessThanOrEqual(Math.floor(rows * 0.02));
    expect(right / answerable).toBeGreaterThanOrEqual(0.8);
  });
});

// evaluation-blind2.yaml: 149 questions (35 off-topic) written at stop 21 by an engineer who read
// only the answers file and the NCSC catalogue (never src/fill, test/fill or earlier sets), run
// once against the matcher frozen at d11bd80. First and only run: 82 of 114 answerable right
// (71.9%: the 80% bar is MISSED) and 8 of 149 rows wrong (5.4%: the 2% bar is MISSED). Never tuned on.
describe('evaluation-blind2.yaml (held out: never tuned on)', () => {
  const set = load('evaluation-blind2.yaml');

  it('is the blind set as written: 149 questions, 35 off-topic', () => {
    expect(set.length).toBe(149);
    expect(set.filter(offTopic).length).toBe(35);
  });

  it('no worse than its first run (82/114 right, 8/149 wrong)', () => {
    const { right, wrong } = evaluate(set);
    expect(right).toBeGreaterThanOrEqual(82);
    expect(wrong.length).toBeLessThanOrEqual(8);
  });

  it.failing(
    'the issue bar: >= 80% right and <= 2% of all rows wrong (MISSED on the first run)',
    () => {
      const { right, answerable, wrong, rows } = evaluate(set);
      expect(right / answerable).toBeGreaterThanOrEqual(0.8);
      expect(wrong.length).toBeLessThanOrEqual(Math.floor(rows * 0.02));
    },
  );
});
