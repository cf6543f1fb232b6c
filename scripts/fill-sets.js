'use strict';
// The team's labelled question sets for srq fill (test/fill/fixtures/sets.json), as rows with
// their cross-validation fold: the set, or the batch of evaluation-author.yaml. One reader for
// scripts/train-fill-confidence.js and bench/fill-cv.js (test/fill/crossval.test.ts has its own).
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');

const FIXTURES = path.resolve(__dirname, '..', 'test', 'fill', 'fixtures');
const SETS = require(path.join(FIXTURES, 'sets.json'));

/** The labelled rows of a set, each with its fold: the set, or the author set's batch. */
function load(name) {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const qs = parse(text).questions;
  const folds = [];
  let fold = name.replace(/\.yaml$/, '');
  for (const line of text.split('\n')) {
    const m = /^\s*# Batch (\d+)/.exec(line);
    if (m) fold = `author-${m[1].padStart(2, '0')}`;
    if (/^\s*- q:/.test(line)) folds.push(fold);
  }
  if (folds.length !== qs.length) throw new Error(`${name}: could not assign folds`);
  return qs.map((e, i) => ({
    q: e.q,
    answer: e.answer === 'none' ? [] : e.answer.map(String),
    fold: folds[i],
  }));
}

module.exports = { SETS, load };
