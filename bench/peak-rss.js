'use strict';
// Preloaded by bench/run.js (NODE_OPTIONS=--require): writes the process's peak RSS to
// $SRQ_BENCH_PEAK when it exits, so the real CLI's memory is measured in the same timed run.
const fs = require('node:fs');

process.once('exit', () => {
  const file = process.env.SRQ_BENCH_PEAK;
  if (!file) return;
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  fs.writeFileSync(file, JSON.stringify({ peakRssMB }));
});
