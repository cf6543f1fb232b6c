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
 * The matcher against a hand-labelled evaluation set (test/fill/fixtures/evaluation.yaml):
 * buyer-style paraphrases and off-topic questions. The bar from the issue: at the default
 * threshold, at least 80% of answerable questions get the right principle, and at most 2% of
 * all rows get a wrong principle's answer (blank is always better than wrong).
 */

interface Labelled {
  q: string;
  answer: string[] | 'none';
}

const set = (
  parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'evaluation.yaml'), 'utf8')) as {
    questions: Labelled[];
  }
).questions;
const parsed = readAnswers(EXAMPLE).value!;
const index = new AnswerIndex(buildTargets(parsed, resolveModel(parsed)).all);

function evaluate(threshold: number) {
  let right = 0;
  const wrong: string[] = [];
  for (const e of set) {
    const r = matchQuestion(
      index,
      { text: e.q },
      { threshold, margin: DEFAULT_MARGIN, namespaces: [], remembered: {} },
    );
    if (r.kind !== 'match') continue;
    if (e.answer !== 'none' && e.answer.includes(r.match.target.id)) right++;
    else wrong.push(`${e.q} -> ${r.match.target.id}`);
  }
  const answerable = set.filter((e) => e.answer !== 'none').length;
  return { right, answerable, wrong };
}

it('the evaluation set is big enough to mean something', () => {
  expect(set.length).toBeGreaterThanOrEqual(80);
  expect(set.filter((e) => e.answer === 'none').length).toBeGreaterThanOrEqual(15);
});

it('at the default threshold: >= 80% of answerable questions right, <= 2% of all rows wrong', () => {
  const { right, answerable, wrong } = evaluate(DEFAULT_THRESHOLD);
  expect(wrong).toEqual(wrong.slice(0, Math.floor(set.length * 0.02)));
  expect(right / answerable).toBeGreaterThanOrEqual(0.8);
});

it('off-topic questions (insurance, prices, company size) are never answered from a principle', () => {
  for (const e of set.filter((x) => x.answer === 'none')) {
    const r = matchQuestion(
      index,
      { text: e.q },
      { threshold: DEFAULT_THRESHOLD, margin: DEFAULT_MARGIN, namespaces: [], remembered: {} },
    );
    expect([e.q, r.kind]).toEqual([e.q, 'none']);
  }
});
