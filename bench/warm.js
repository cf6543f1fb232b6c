'use strict';
// Warm per-document build time: one process, fonts and templates loaded, after warm-up.
// The target's figure is the median of `runs` builds after 5 (builds 6–25 by default). V8 is
// still optimising then (each build's time falls until about the 30th), so the same process goes
// on to report, for information, the median of `runs` more builds after 30: the steady state.
const path = require('node:path');
const [answers, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 20);
// WARM_MODULES=tsc: tsc's modules in dist/ (what tests load) instead of the bundle run.js makes
// with the CLI's own esbuild options (dist/bench-warm.js: the code srq runs).
const lib =
  process.env.WARM_MODULES === 'tsc'
    ? {
        ...require(path.join(__dirname, '..', 'dist', 'model', 'resolve.js')),
        ...require(path.join(__dirname, '..', 'dist', 'build-document.js')),
      }
    : require(path.join(__dirname, '..', 'dist', 'bench-warm.js'));
const { loadModel, buildDocument } = lib;

const STEADY_AFTER = 30;

async function timed(model, n) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await buildDocument(model, { template: 'statement' });
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return xs.sort((a, b) => a - b);
}

(async () => {
  const { model } = loadModel(answers);
  let pages = 0;
  for (let i = 0; i < 5; i++) pages = (await buildDocument(model, { template: 'statement' })).pages;
  const xs = await timed(model, runs);
  const done = 5 + runs;
  if (done < STEADY_AFTER) await timed(model, STEADY_AFTER - done);
  const steady = await timed(model, runs);
  process.stdout.write(
    JSON.stringify({
      medianMs: xs[xs.length >> 1],
      minMs: xs[0],
      pages,
      runs,
      steadyMedianMs: steady[steady.length >> 1],
      steadyAfter: Math.max(STEADY_AFTER, done),
    }),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
