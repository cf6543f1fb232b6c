'use strict';
// One cold process: load, build and write one generated statement; prints time, peak RSS, pages, bytes.
const t0 = process.hrtime.bigint();
const fs = require('node:fs');
const path = require('node:path');
const [answers, out] = process.argv.slice(2);
const { loadModel } = require(path.join(__dirname, '..', 'dist', 'model', 'resolve.js'));
const { buildDocument } = require(path.join(__dirname, '..', 'dist', 'build.js'));
(async () => {
  const { model } = loadModel(answers);
  const res = await buildDocument(model, { template: 'statement' });
  fs.writeFileSync(out, res.pdf);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    JSON.stringify({ seconds, peakRssMB, pages: res.pages, bytes: res.pdf.length }),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
