#!/usr/bin/env node
// `node bench/fill-cv.js [--json]`: cross-validates srq fill's matcher over the team's labelled
// question sets (test/fill/fixtures/evaluation*.yaml), one fold per set (and per batch of
// evaluation-author.yaml: 26 folds; the list is test/fill/fixtures/sets.json). For each fold the example-question bank (src/fill/bank.ts)
// is built from the other folds only, so the fold's wording is unseen by the bank; the lexical
// matcher (thesaurus) is as shipped, and was tuned on every set but evaluation-blind2.yaml, so
// that fold is the most honest one. Prints right (of answerable) and wrong (of all rows) per
// fold for the lexical matcher alone (the baseline) and with the bank, at the default
// threshold. The folds blind2, blind3, bank-a and bank-b were written by people who never saw the
// matcher (the most honest ones). Run after `npm run build`.
'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const D = (p) => require(path.join(ROOT, 'dist', p));
const { readAnswers } = D('answers/read.js');
const { resolveModel } = D('model/resolve.js');
const { buildTargets } = D('fill/targets.js');
const { AnswerIndex, DEFAULT_MARGIN, DEFAULT_THRESHOLD, matchQuestion } = D('fill/match.js');
const { QuestionBank } = D('fill/bank.js');

const { SETS, load } = require('../scripts/fill-sets');

function crossValidate() {
  const parsed = readAnswers(path.join(ROOT, 'answers', 'example-cloud.yaml')).value;
  const targets = buildTargets(parsed, resolveModel(parsed)).all;
  const lexical = new AnswerIndex(targets);
  const rows = SETS.flatMap(load);
  const folds = [...new Set(rows.map((r) => r.fold))];
  const opts = {
    threshold: DEFAULT_THRESHOLD,
    margin: DEFAULT_MARGIN,
    namespaces: [],
    remembered: {},
  };
  const score = (index, test) => {
    const out = { rows: test.length, answerable: 0, right: 0, wrong: 0, wrongRows: [] };
    for (const e of test) {
      if (e.answer.length) out.answerable++;
      const r = matchQuestion(index, { text: e.q }, opts);
      if (r.kind !== 'match') continue;
      if (e.answer.includes(r.match.target.id)) out.right++;
      else {
        out.wrong++;
        out.wrongRows.push(`${e.q} -> ${r.match.target.id} (labelled ${JSON.stringify(e.answer)})`);
      }
    }
    return out;
  };
  return folds.map((fold) => {
    const test = rows.filter((r) => r.fold === fold);
    const bank = new QuestionBank(rows.filter((r) => r.fold !== fold));
    return {
      fold,
      lexical: score(lexical, test),
      bank: score(new AnswerIndex(targets, bank), test),
    };
  });
}

function total(results, key, only = () => true) {
  const t = { rows: 0, answerable: 0, right: 0, wrong: 0 };
  for (const r of results.filter(only)) for (const k of Object.keys(t)) t[k] += r[key][k];
  return t;
}

const pct = (a, b) => `${((100 * a) / b).toFixed(1)}%`;
const fmt = (s) =>
  `${String(s.right).padStart(3)}/${String(s.answerable).padEnd(3)} ${pct(s.right, s.answerable).padStart(6)} right  ${String(s.wrong).padStart(2)}/${String(s.rows).padEnd(4)} ${pct(s.wrong, s.rows).padStart(5)} wrong`;

module.exports = { crossValidate, total };

if (require.main === module) {
  const t0 = process.cpuUsage();
  const results = crossValidate();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    console.log(
      `${'fold'.padEnd(20)} ${'lexical only'.padEnd(38)} with the bank (built from the other folds)`,
    );
    for (const r of results) console.log(`${r.fold.padEnd(20)} ${fmt(r.lexical)}   ${fmt(r.bank)}`);
    console.log(
      `${'all folds'.padEnd(20)} ${fmt(total(results, 'lexical'))}   ${fmt(total(results, 'bank'))}`,
    );
    // Written by people who never saw the matcher (the thesaurus was tuned on the other sets).
    const fresh = (r) => /^(evaluation-blind[23]|bank-[ab])$/.test(r.fold);
    console.log(
      `${'unseen writers'.padEnd(20)} ${fmt(total(results, 'lexical', fresh))}   ${fmt(total(results, 'bank', fresh))}`,
    );
    for (const r of results.filter(fresh))
      for (const w of r.bank.wrongRows) console.log(`  wrong: ${w}`);
    const cpu = process.cpuUsage(t0);
    console.log(`cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  }
}
