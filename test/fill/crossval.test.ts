import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readAnswers } from '../../src/answers/read';
import { BANK_CACHE_DIR, bankFor, parseBank, QuestionBank } from '../../src/fill/bank';
import {
  AnswerIndex,
  DEFAULT_MARGIN,
  DEFAULT_THRESHOLD,
  matchQuestion,
} from '../../src/fill/match';
import { buildTargets } from '../../src/fill/targets';
import { termsOfMany } from '../../src/fill/text';
import { resolveModel } from '../../src/model/resolve';
import { EXAMPLE, ROOT, srq, tempDir, writeFiles } from '../helpers/cli';

/**
 * The example-question bank (src/fill/bank.ts) measured on wording it has not seen:
 * leave-one-set-out cross-validation over the team's labelled sets (one fold per set, and per
 * batch of evaluation-author.yaml: 32 folds, the sets listed in fixtures/sets.json). Each fold is matched with a bank built from the
 * other folds only. The lexical matcher underneath (the thesaurus) was tuned on every set but
 * evaluation-blind2.yaml, so only that fold is unseen by both halves: its figure is the one
 * that predicts a fresh blind set. bench/fill-cv.js prints the same table per fold.
 *
 * Figures for the confidence matcher frozen at fe7216a (boosted trees; bank of 4,983 wordings;
 * default confidence 0.87; the blind2/blind3 lines below are from 9475db3 and still hold; right of answerable, wrong of rows). The bank leaves the fold out, but the
 * confidence weights are the shipped ones, trained on every fold: these are regression guards,
 * not estimates. The honest nested figures (weights trained without the fold too) are in
 * src/catalogue/data/ncsc-2023-confidence.json, recomputed by
 * `node scripts/train-fill-confidence.js --check`; the held-out verdicts are in the README.
 *   blind2 fold   lexical only 82/114 = 71.9%, 8/149 = 5.4%   with bank and model 103/114 = 90.4%, 1/149 = 0.7%
 *   blind3 fold   with bank and model 96/125 = 76.8%, 4/165 = 2.4%
 *   bank-a 429/603, 30/784; bank-b 337/492, 30/654; bank-c 337/476, 17/637; bank-d 283/469, 22/624
 *   all 28 folds  with bank and model 2454/3322 = 73.9%, 118/4340 = 2.7%
 */

/** The labelled sets (the bank's, bench/fill-cv.js's and this file's one list). */
const SETS = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'sets.json'), 'utf8'),
) as string[];

interface Row {
  q: string;
  answer: string[];
  fold: string;
}

function load(name: string): Row[] {
  const text = fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
  const qs = (parse(text) as { questions: { q: string; answer: string[] | 'none' }[] }).questions;
  const folds: string[] = [];
  let fold = name.replace(/\.yaml$/, '');
  for (const line of text.split('\n')) {
    const m = /^\s*# Batch (\d+)/.exec(line);
    if (m) fold = `author-${m[1]}`;
    if (/^\s*- q:/.test(line)) folds.push(fold);
  }
  expect(folds.length).toBe(qs.length);
  return qs.map((e, i) => ({
    q: e.q,
    answer: e.answer === 'none' ? [] : e.answer.map(String),
    fold: folds[i],
  }));
}

const rows = SETS.flatMap(load);
const rowTerms = new Map(
  termsOfMany(rows.map((r) => r.q)).map((ts, i) => [rows[i], [...new Set(ts)]]),
);
const parsed = readAnswers(EXAMPLE).value!;
const targets = buildTargets(parsed, resolveModel(parsed)).all;
const OPTS = {
  threshold: DEFAULT_THRESHOLD,
  margin: DEFAULT_MARGIN,
  namespaces: [],
  remembered: {},
};

/** A bank of the rows outside a fold (terms worked out once for all rows). */
function bankWithout(fold: string): QuestionBank {
  const train = rows.filter((r) => r.fold !== fold);
  return new QuestionBank(
    train,
    train.map((r) => rowTerms.get(r)!),
  );
}

function score(index: AnswerIndex, test: Row[]) {
  let right = 0;
  const wrong: string[] = [];
  for (const e of test) {
    const r = matchQuestion(index, { text: e.q }, OPTS);
    if (r.kind !== 'match') continue;
    if (e.answer.includes(r.match.target.id)) right++;
    else wrong.push(`${e.q} -> ${r.match.target.id}`);
  }
  return {
    right,
    wrong,
    answerable: test.filter((e) => e.answer.length).length,
    rows: test.length,
  };
}

const withoutBlind2 = new AnswerIndex(targets, bankWithout('evaluation-blind2'));
const lexical = new AnswerIndex(targets);
const match = (q: string, index = withoutBlind2) => matchQuestion(index, { text: q }, OPTS);

describe('the bank on the blind2 fold (wording neither the bank nor the thesaurus has seen)', () => {
  const test = rows.filter((r) => r.fold === 'evaluation-blind2');

  it('answers wordings the lexical matcher leaves blank, from their nearest labelled examples', () => {
    for (const [q, id] of [
      ['Does the management portal enforce MFA?', '10'],
      [
        'Do you have a disaster recovery (DR) plan? When was it last tested and what were the results?',
        '2.5',
      ],
      ['Do you deploy endpoint detection and response (EDR) on the servers you manage?', '5.2'],
    ]) {
      expect([q, match(q, lexical).kind]).toEqual([q, 'none']);
      const r = match(q);
      expect([q, r.kind === 'match' && r.match.target.id]).toEqual([q, id]);
    }
  });

  it('leaves blank, saying why, an off-topic question the lexical matcher answered', () => {
    for (const q of [
      'Provide a list of all sub-contractors you propose to use in delivering this contract, with their registered addresses.',
      'Does the service hold FedRAMP authorization?',
    ]) {
      expect([q, match(q, lexical).kind]).toEqual([q, 'match']);
      const r = match(q);
      expect(r.kind).toBe('none');
      expect(r.kind === 'none' && r.reason).toMatch(
        /^like questions no principle answers \(nearest example "[^"]+" \(0\.\d\d\); off-topic vote /,
      );
    }
  });

  it('no worse than when frozen: 103/114 right, 1/149 wrong (lexical only: 82/114, 8/149)', () => {
    const s = score(withoutBlind2, test);
    expect(s.answerable).toBe(114);
    expect(s.right).toBeGreaterThanOrEqual(103);
    expect(s.wrong.length).toBeLessThanOrEqual(1);
    const l = score(lexical, test);
    expect([l.right, l.wrong.length]).toEqual([82, 8]);
  });

  it('the issue bar on this fold: >= 80% right and <= 2% of all rows wrong (met: 90.4%, 0.7%)', () => {
    const s = score(withoutBlind2, test);
    expect(s.right / s.answerable).toBeGreaterThanOrEqual(0.8);
    expect(s.wrong.length).toBeLessThanOrEqual(Math.floor(s.rows * 0.02));
  });
});

it('leave-one-set-out over all 32 folds: no worse than when frozen (2897/3856 right, 125/5048 wrong)', () => {
  const folds = [...new Set(rows.map((r) => r.fold))];
  expect(folds.length).toBe(32);
  let right = 0;
  let wrong = 0;
  for (const fold of folds) {
    const s = score(
      new AnswerIndex(targets, bankWithout(fold)),
      rows.filter((r) => r.fold === fold),
    );
    right += s.right;
    wrong += s.wrong.length;
  }
  expect(right).toBeGreaterThanOrEqual(2897);
  expect(wrong).toBeLessThanOrEqual(125);
});

describe('the shipped bank', () => {
  const bank = bankFor('ncsc-2023')!;

  it('holds every labelled wording once, and only ncsc-2023 has one', () => {
    expect(bank.entries.length).toBe(
      new Set(
        rows.map((r) =>
          r.q
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, ' ')
            .trim(),
        ),
      ).size,
    );
    expect(bankFor('ncsc-2016')).toBeUndefined();
    expect(bankFor('../ncsc-2023')).toBeUndefined();
  });

  it("npm run build's cache holds the same entries and terms as working them out afresh", () => {
    const cache = JSON.parse(
      fs.readFileSync(path.join(BANK_CACHE_DIR, 'ncsc-2023.json'), 'utf8'),
    ) as { entries: unknown; terms: unknown };
    const fresh = new QuestionBank(
      parseBank(
        fs.readFileSync(
          path.join(ROOT, 'src', 'catalogue', 'data', 'ncsc-2023-questions.yaml'),
          'utf8',
        ),
      ),
    );
    expect(cache.entries).toEqual(fresh.entries);
    expect(cache.terms).toEqual(fresh.terms);
    expect(bank.terms).toEqual(fresh.terms);
  });

  it('the cache is used only under the fingerprint of the bank text and thesaurus it was made from', () => {
    const cacheFile = path.join(BANK_CACHE_DIR, 'ncsc-2023.json');
    const real = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as {
      fingerprint: string;
      entries: unknown[];
      terms: string[][];
    };
    const loadWith = (fingerprint: string) => {
      const garbled = { ...real, fingerprint, terms: real.terms.map(() => ['garbled']) };
      const read = fs.readFileSync;
      const spy = jest
        .spyOn(fs, 'readFileSync')
        .mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) =>
          file === cacheFile
            ? JSON.stringify(garbled)
            : (read as (...a: unknown[]) => unknown)(file, ...rest)) as typeof fs.readFileSync);
      try {
        let terms: string[][] = [];
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const fresh = require('../../src/fill/bank') as typeof import('../../src/fill/bank');
          terms = fresh.bankFor('ncsc-2023')!.terms;
        });
        return terms;
      } finally {
        spy.mockRestore();
      }
    };
    expect(loadWith(real.fingerprint)[0]).toEqual(['garbled']);
    expect(loadWith('stale')).toEqual(real.terms);
  });

  it('srq fill uses it: a wording only the bank knows is answered, an off-topic one like its examples left blank', () => {
    const dir = tempDir('srq-fill-bank-');
    writeFiles(dir, {
      'answers.yaml': fs.readFileSync(EXAMPLE, 'utf8'),
      'buyer.csv':
        'ID,Question,Response\r\n' +
        'Q1,Does the management portal enforce MFA?,\r\n' +
        'Q2,Does the service hold FedRAMP authorization?,\r\n',
    });
    const r = srq(
      ['fill', 'buyer.csv', '--answers', 'answers.yaml', '--tier', 'managed', '-o', 'out.csv'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(1);
    const report = fs.readFileSync(path.join(dir, 'out.report.csv'), 'utf8');
    expect(report).toMatch(/Q1[^\n]*10 Identity and authentication,confidence,0\.9\d/);
    expect(report).toMatch(/Q2[^\n]*,blank,[^\n]*not sure enough: confidence 0\.0\d that/);
  });
});
