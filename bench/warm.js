'use strict';
// Warm per-document build time: one process, fonts and templates loaded, after warm-up.
const path = require('node:path');
const [answers, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 20);
const { loadModel } = require(path.join(__dirname, '..', 'dist', 'model', 'resolve.js'));
const { buildDocument } = require(path.join(__dirname, '..', 'dist', 'build-document.js'));
(async () => {
  const { model } = loadModel(answers);
  let pages = 0;
  for (let i = 0; i < 5; i++) pages = (await buildDocument(model, { template: 'statement' })).pages;
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await buildDocument(model, { template: 'statement' });
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  xs.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ medianMs: xs[xs.length >> 1], minMs: xs[0], pages, runs }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
