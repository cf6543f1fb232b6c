#!/usr/bin/env node
// `npm run bench`: the figures issue 8 asks for, each a median of repeated runs.
// Prints a table and writes bench/results.json. Run after `npm run build`.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'srq.js');
const EXAMPLE = path.join(ROOT, 'answers', 'example-cloud.yaml');
const RUNS = Number(process.env.BENCH_RUNS || 7);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'srq-bench-'));
const PASS = `bench-${process.pid}-${Date.now()}`;
const env = { ...process.env, SRQ_KEY_PASSPHRASE: PASS, NO_COLOR: '1' };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall time of a whole process, in seconds; throws if it fails. */
function timeProcess(args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, cwd: tmp, encoding: 'utf8', ...opts });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return s;
}

function coldMedian(args) {
  timeProcess(args); // warm the file-system cache
  const xs = [];
  for (let i = 0; i < RUNS; i++) xs.push(timeProcess(args));
  return median(xs);
}

const results = { machine: { cpus: os.cpus().length, node: process.version }, runs: RUNS };

// Baseline: an empty Node process.
results.nodeEmpty = coldMedian(['-e', '0']);

// Cold validate.
results.coldValidate = coldMedian([BIN, 'validate', EXAMPLE]);

// Cold build + sign, whole process (a demo key made once, outside the timing).
const key = path.join(tmp, 'bench.p12');
timeProcess([BIN, 'keygen', '--name', 'srq bench DEMO', '-o', key]);
const out = path.join(tmp, 'bench.pdf');
results.coldBuildSign = coldMedian([
  BIN,
  'build',
  EXAMPLE,
  '-o',
  out,
  '--sign',
  '--key',
  key,
  '--force',
]);

// Warm build of the statement in one process, after warm-up.
const warm = spawnSync(
  process.execPath,
  [path.join(__dirname, 'warm.js'), EXAMPLE, String(Math.max(RUNS, 20))],
  {
    env,
    cwd: tmp,
    encoding: 'utf8',
  },
);
if (warm.status !== 0) throw new Error(`warm run failed: ${warm.stderr}`);
results.warmBuild = JSON.parse(warm.stdout);

// Scale: generated catalogues of 14, 140 and 1,400 principles.
results.scale = [];
for (const n of [14, 140, 1400]) {
  const dir = path.join(tmp, `scale-${n}`);
  fs.mkdirSync(dir);
  require('./generate').writeScaleCase(dir, n);
  const times = [];
  let last;
  const reps = n >= 1400 ? 3 : 5;
  for (let i = 0; i < reps; i++) {
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, 'scale.js'), path.join(dir, 'answers.yaml'), path.join(dir, 'out.pdf')],
      {
        env,
        cwd: tmp,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`scale ${n} failed: ${r.stderr}`);
    last = JSON.parse(r.stdout);
    times.push(last.seconds);
  }
  results.scale.push({
    principles: n,
    seconds: median(times),
    peakRssMB: last.peakRssMB,
    pages: last.pages,
    bytes: last.bytes,
  });
}

const targets = {
  coldBuildSign: 0.4,
  coldValidateRatio: 2,
  warmBuildMs: 40,
  scale1400Seconds: 2,
  scale1400RssMB: 300,
};
const row = (what, value, target, ok) =>
  `| ${what} | ${value} | ${target} | ${ok ? 'met' : 'MISSED'} |`;
const f = (x, d = 3) => x.toFixed(d);
const s1400 = results.scale.find((s) => s.principles === 1400);
const lines = [
  '| measure | value | target | |',
  '|---|---|---|---|',
  `| node -e 0 (baseline) | ${f(results.nodeEmpty)} s | | |`,
  row(
    'cold build --sign (example)',
    `${f(results.coldBuildSign)} s (${f(results.coldBuildSign / results.nodeEmpty, 1)}× node)`,
    `≤ ${targets.coldBuildSign} s`,
    results.coldBuildSign <= targets.coldBuildSign,
  ),
  row(
    'cold validate (example)',
    `${f(results.coldValidate)} s (${f(results.coldValidate / results.nodeEmpty, 1)}× node)`,
    `≤ ${targets.coldValidateRatio}× node`,
    results.coldValidate / results.nodeEmpty <= targets.coldValidateRatio,
  ),
  row(
    'warm build, per statement',
    `${f(results.warmBuild.medianMs, 1)} ms (${results.warmBuild.pages} pages)`,
    `≤ ${targets.warmBuildMs} ms`,
    results.warmBuild.medianMs <= targets.warmBuildMs,
  ),
  ...results.scale.map(
    (s) =>
      `| ${s.principles} principles | ${f(s.seconds, 2)} s, ${s.peakRssMB} MB peak, ${s.pages} pages, ${(s.bytes / 1024).toFixed(0)} KB | ${s.principles === 1400 ? `≤ ${targets.scale1400Seconds} s, ≤ ${targets.scale1400RssMB} MB` : ''} | ${s.principles === 1400 ? (s.seconds <= targets.scale1400Seconds && s.peakRssMB <= targets.scale1400RssMB ? 'met' : 'MISSED') : ''} |`,
  ),
];
const s14 = results.scale[0];
lines.push(
  `| growth 14 → 1,400 (100× content) | ${f(s1400.seconds / s14.seconds, 1)}× time, ${f(s1400.pages / s14.pages, 1)}× pages | linear | |`,
);
results.table = lines.join('\n');
console.log(results.table);
fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.rmSync(tmp, { recursive: true, force: true });
