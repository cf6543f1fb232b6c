'use strict';
// Generates a catalogue of N principles and answers for it, with realistic text: a vocabulary of
// several thousand distinct words (pseudo-words built from English-like syllables, drawn with a
// Zipf-like distribution, as in real prose, from a seeded generator so every run is the same).
// A handful of repeated words would let the per-process shaping cache hide the real cost.
const fs = require('node:fs');
const path = require('node:path');

/** Small seeded PRNG (mulberry32): the same text on every run and machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON =
  'the of and to in is for that with by on are as be this from at or an which data service customer provider access all not can it we our will any each must have has their'.split(
    ' ',
  );
const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w'];
const ONSETS2 = ['br', 'cl', 'cr', 'dr', 'fl', 'gr', 'pl', 'pr', 'sc', 'sp', 'st', 'str', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'io', 'ou'];
const CODAS = ['', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'nt', 'st', 'ck', 'ng', 'x'];
const SUFFIXES = ['', '', '', 'ed', 'ing', 'tion', 'ment', 'able', 'ity', 'ly', 'ness', 's'];

/** `size` distinct words, most frequent first. */
function vocabulary(size, rand) {
  const seen = new Set(COMMON);
  const words = [...COMMON];
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  while (words.length < size) {
    const r = rand();
    const syllables = r < 0.5 ? 1 : r < 0.85 ? 2 : 3;
    let w = '';
    for (let s = 0; s < syllables; s++) {
      w += (rand() < 0.25 ? pick(ONSETS2) : pick(ONSETS)) + pick(VOWELS) + pick(CODAS);
    }
    w += pick(SUFFIXES);
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Prose from a vocabulary, word frequency ~ 1/rank (Zipf). */
function textSource(seed, size = 6000) {
  const rand = prng(seed);
  const words = vocabulary(size, rand);
  // Inverse CDF of a Zipf(1) distribution over `size` ranks, by bisection on the harmonic sums.
  const cdf = [];
  let sum = 0;
  for (let r = 1; r <= size; r++) cdf.push((sum += 1 / r));
  const word = () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
  const sentence = (n) => {
    const w = [];
    for (let k = 0; k < n; k++) w.push(word());
    if (n > 8 && rand() < 0.4) w[Math.floor(n / 2)] += ',';
    w[0] = w[0][0].toUpperCase() + w[0].slice(1);
    return `${w.join(' ')}.`;
  };
  return { sentence, words };
}

/** Writes catalogue.yaml and answers.yaml for `n` principles into `dir`; returns the word count. */
function writeScaleCase(dir, n, seed = 1) {
  const { sentence } = textSource(seed);
  const cat = ['id: bench', 'title: Generated benchmark catalogue', 'version: "1"', 'principles:'];
  const ans = [
    'framework: catalogue.yaml',
    'provider: {name: Bench Cloud Ltd, email: bench@example.invalid}',
    'service: {name: Bench Service, summary: A generated service.}',
    'tiers:',
    '  - {id: basic, name: Basic}',
    '  - {id: managed, name: Managed}',
    '  - {id: full, name: Fully managed}',
    'document: {title: Benchmark statement, version: "1.0", issued: 2026-11-22, review: 2027-11-22, classification: OFFICIAL}',
    'signatory: {name: Bench Signer, role: Compliance}',
    'evidence:',
    '  - {id: iso, name: ISO 27001, expires: 2028-01-01}',
    'answers:',
  ];
  const q = (s) => JSON.stringify(s);
  for (let i = 1; i <= n; i++) {
    cat.push(
      `  - id: "${i}"`,
      `    title: ${q(`Generated principle ${i}`)}`,
      `    requirement: ${q(`${sentence(12)} ${sentence(12)}`)}`,
    );
    ans.push(
      `  "${i}":`,
      `    summary: ${q(sentence(12))}`,
      '    provider: |',
      `      ${sentence(20)} ${sentence(20)} ${sentence(30)}`,
      '',
      `      - ${sentence(10)}`,
      `      - ${sentence(10)}`,
      '    assurance: independent-validation',
      '    evidence: [iso]',
      '    tiers:',
      `      basic: {responsibility: customer, customer: ${q(sentence(20))}}`,
      `      managed: {responsibility: shared, customer: ${q(sentence(14))}}`,
      '      full: provider',
    );
  }
  fs.writeFileSync(path.join(dir, 'catalogue.yaml'), `${cat.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'answers.yaml'), `${ans.join('\n')}\n`);
}

/**
 * Writes answers.yaml into `dir`: the example answers with `n` more evidence items (one-line
 * flow mappings, as a register of supplier reports would be): 150,000 make a 4.8 MB file.
 */
function writeEvidenceCase(dir, example, n) {
  const text = fs.readFileSync(example, 'utf8');
  const items = [];
  for (let i = 1; i <= n; i++) items.push(`  - {id: e${i}, name: R${i}}`);
  const out = text.replace('\nevidence:\n', `\nevidence:\n${items.join('\n')}\n`);
  if (out === text) throw new Error('the example has no evidence list');
  fs.writeFileSync(path.join(dir, 'answers.yaml'), out);
}

/** Distinct words in a text (what the shaping cache would hold). */
function distinctWords(text) {
  return new Set(text.match(/[A-Za-z]+/g) ?? []).size;
}

module.exports = { writeScaleCase, writeEvidenceCase, textSource, distinctWords };
