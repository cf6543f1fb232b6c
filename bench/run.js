#!/usr/bin/env node
// `npm run bench`: the figures issue 15 asks for, each a median of repeated whole-process runs,
// measured side by side in one run and printed as ratios against their baselines (`node -e 0`,
// headless Chromium printing srq's own HTML export of the same answers) with the target and
// whether it is met. Writes bench/results.json. Run after `npm run build` (npm run bench does).
//
// srq runs as users start it: bin/srq.js as a program, so the build commands start from the V8
// startup snapshot when `npm run build` made one (bench reports the cold builds with and without
// it, SRQ_SNAPSHOT=0). The scale rows too: each build writes its own peak RSS (SRQ_BENCH_PEAK).
//
// BENCH_RUNS (default 7) sets the repetitions; BENCH_QUICK=1 skips the 1,400-principle case;
// CHROMIUM names the browser when it is not on PATH as chromium/chromium-browser/google-chrome.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { writeScaleCase, writeEvidenceCase, distinctWords } = require('./generate');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'srq.js');
const EXAMPLE = path.join(ROOT, 'answers', 'example-cloud.yaml');
const RUNS = Number(process.env.BENCH_RUNS || 7);
const QUICK = process.env.BENCH_QUICK === '1';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'srq-bench-'));
const PASS = `bench-${process.pid}-${Date.now()}`;
const env = { ...process.env, SRQ_KEY_PASSPHRASE: PASS, NO_COLOR: '1' };
delete env.NODE_OPTIONS;

/** The statement of the example as it was before issue 15 (unsigned, 14 pages), in bytes. */
const BYTES_BEFORE = { bytes: 158445, pages: 14 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** CPU seconds (user + system) of this process's waited-for children so far (Linux), or NaN. */
function childCpu() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** One whole process: wall and CPU seconds; throws if it fails. */
function timeProcess(cmd, args, opts = {}) {
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, cwd: tmp, encoding: 'utf8', ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = childCpu() - cpu0;
  if (r.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return { wall, cpu, stdout: r.stdout };
}

// bin/srq.js as a program, as `srq` and `npx srq` start it (a shell launcher: see its first lines),
// on its own: median wall and CPU of `runs` runs after one unmeasured run (sideBySide, below).
const srq = (args, o = {}) => sideBySide({ one: { cmd: BIN, args, ...o } }).one;
const noSnapshot = { env: { ...env, SRQ_SNAPSHOT: '0' } };

/** The first of these browsers on PATH (or $CHROMIUM), or undefined. */
function findChromium() {
  const names = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'];
  for (const n of names.filter(Boolean)) {
    const r = spawnSync(n, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return { cmd: n, version: r.stdout.trim() };
  }
  return undefined;
}

/** Headless Chromium's arguments to print an HTML file to PDF, each run with a new profile (a cold start). */
function chromiumRun(chromium, html, out, runs) {
  let n = 0;
  const fresh = () => {
    const profile = path.join(tmp, `chromium-profile-${n++}`);
    return [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      `file://${html}`,
    ];
  };
  // NOTE: Chromium's helper processes go on shutting down for up to a second after the browser
  // exits: the next command measured would share the CPU with them.
  const settle = () => {
    const profile = path.join(tmp, `chromium-profile-${n - 1}`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && processesWith(profile)) spawnSync('sleep', ['0.02']);
  };
  return { cmd: chromium.cmd, fresh, settle, ...(runs ? { runs } : {}) };
}

/** Whether any process has `text` in its command line (Linux /proc; false elsewhere). */
function processesWith(text) {
  let pids = [];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return false;
  }
  return pids.some((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(text);
    } catch {
      return false;
    }
  });
}

/**
 * Whole processes measured side by side: after one unmeasured run of each (file-system and code
 * caches), round after round, each command once a round, so that a figure and its baseline come
 * from the same minutes. A command with fewer runs than the others (`runs`) takes the middle
 * rounds. Returns each one's median wall and CPU seconds, by name.
 */
function sideBySide(measures) {
  const entries = Object.entries(measures);
  const once = ({ cmd, args, fresh, settle, runs: _runs, ...opts }) => {
    const t = timeProcess(cmd, fresh ? fresh() : args, opts);
    settle?.();
    return t;
  };
  for (const [, m] of entries) once(m);
  const rounds = Math.max(...entries.map(([, m]) => m.runs ?? RUNS));
  const xs = Object.fromEntries(entries.map(([k]) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [k, m] of entries) {
      const runs = m.runs ?? RUNS;
      const first = Math.floor((rounds - runs) / 2);
      if (r >= first && r < first + runs) xs[k].push(once(m));
    }
  }
  return Object.fromEntries(
    entries.map(([k]) => [
      k,
      { wall: median(xs[k].map((x) => x.wall)), cpu: median(xs[k].map((x) => x.cpu)) },
    ]),
  );
}

function commandExists(name) {
  const r = spawnSync(process.execPath, [BIN, name, '--help'], { env, cwd: tmp, encoding: 'utf8' });
  // NOTE: an unknown command's --help prints the program's help, also with status 0.
  return r.status === 0 && r.stdout.startsWith(`Usage: srq ${name} `);
}

const results = {
  machine: {
    cpus: os.cpus().length,
    node: process.version,
    load: os.loadavg().map((x) => Number(x.toFixed(2))),
  },
  runs: RUNS,
};
const notes = [];
const chromium = findChromium();
results.chromium = chromium?.version ?? null;
if (!chromium)
  notes.push('Chromium not installed: its comparisons are skipped (apt-get install chromium).');

// The cold whole-process figures, measured side by side: first what they need (a key, the
// HTML export Chromium prints, the fill workbook), then every command once per round, round
// after round, so that each baseline (`node -e 0`, Chromium) is measured in the same minutes as
// what it is the baseline of. NOTE: the machine's speed moves by up to a third between minutes;
// with each baseline measured once, before the rest, a ratio moved with it (a cold signed build
// 4.5x node in one run, 5.2x in the next, on the same code).
const key = path.join(tmp, 'bench.p12');
timeProcess(process.execPath, [BIN, 'keygen', '--name', 'srq bench DEMO', '-o', key]);
const signed = path.join(tmp, 'bench.pdf');
const exampleHtml = path.join(tmp, 'example.html');
timeProcess(process.execPath, [BIN, 'export', EXAMPLE, '--format', 'html', '-o', exampleHtml]);
const xlsx = path.join(tmp, 'example.xlsx');
let fillArgs;
if (commandExists('fill')) {
  // NOTE: the fill command comes from another branch; its workbook is generated by
  // bench/fill-case.js when that exists (the lead wires it), else the figure is skipped.
  const fillCase = path.join(__dirname, 'fill-case.js');
  if (fs.existsSync(fillCase)) {
    fillArgs = require(fillCase).writeFillCase(tmp, { questions: 300, bin: BIN }).args;
  } else notes.push('srq fill exists but bench/fill-case.js (its 300-question workbook) does not.');
} else notes.push('srq fill is not on this branch: the 300-question fill figure is skipped.');
const signArgs = ['build', EXAMPLE, '-o', signed, '--sign', '--key', key, '--force'];
const unsignedArgs = ['build', EXAMPLE, '-o', path.join(tmp, 'cold-unsigned.pdf'), '--force'];
Object.assign(
  results,
  sideBySide({
    nodeEmpty: { cmd: process.execPath, args: ['-e', '0'] },
    help: { cmd: BIN, args: ['--help'] },
    coldValidate: { cmd: BIN, args: ['validate', EXAMPLE] },
    coldBuildSign: { cmd: BIN, args: signArgs },
    // The same with no cache of shaped words (a statement whose words no earlier run has shaped).
    coldBuildSignNoShapeCache: {
      cmd: BIN,
      args: signArgs,
      env: { ...env, SRQ_SHAPE_CACHE: '0' },
    },
    // The same build unsigned: the difference is what signing costs (issue 11's speed condition).
    coldBuild: { cmd: BIN, args: unsignedArgs },
    // Both again without the startup snapshot (the normal path, as `node bin/srq.js` runs).
    coldBuildSignNoSnapshot: { cmd: BIN, args: signArgs, ...noSnapshot },
    coldBuildNoSnapshot: { cmd: BIN, args: unsignedArgs, ...noSnapshot },
    exportXlsx: { cmd: BIN, args: ['export', EXAMPLE, '--format', 'xlsx', '-o', xlsx] },
    ...(fillArgs ? { fill300: { cmd: BIN, args: fillArgs } } : {}),
    ...(chromium
      ? { chromiumExample: chromiumRun(chromium, exampleHtml, path.join(tmp, 'chromium.pdf')) }
      : {}),
  }),
);
const snapshotTrace = spawnSync(BIN, ['build', EXAMPLE, '-o', path.join(tmp, 'trace.pdf')], {
  env: { ...env, SRQ_SNAPSHOT_TRACE: '1' },
  cwd: tmp,
  encoding: 'utf8',
});
results.snapshot = /started from the startup snapshot/.test(snapshotTrace.stderr);
if (!results.snapshot) notes.push('no startup snapshot in dist/ (or it is not used): see README.');
const unsigned = path.join(tmp, 'unsigned.pdf');
const built = timeProcess(process.execPath, [BIN, 'build', EXAMPLE, '-o', unsigned]);
const pagesOf = (stdout) => Number(/\((\d+) pages/.exec(stdout)?.[1]);
// The same pages as pdfkit writes them (a classic cross-reference table, no object streams):
// the "before" of the bytes figure, measured now so that both sides have the same pages.
const classic = path.join(tmp, 'classic.pdf');
const builtClassic = timeProcess(process.execPath, [BIN, 'build', EXAMPLE, '-o', classic], {
  env: { ...env, SRQ_OBJECT_STREAMS: '0' },
});
results.statementBytes = {
  bytes: fs.statSync(unsigned).size,
  pages: pagesOf(built.stdout),
  before: fs.statSync(classic).size,
  beforePages: pagesOf(builtClassic.stdout),
};

// Warm build of the statement in one process, after warm-up.
// NOTE: from a bundle made with the CLI's own esbuild options (scripts/bundle.js --bench-library),
// the code srq runs; and, for information, from tsc's modules in dist/, which tests load (each
// module's exports reached through an object: slower once warm, steady state 27-31 against
// 23-27 ms in three runs alternating).
const benchLibrary = spawnSync(
  process.execPath,
  [path.join(ROOT, 'scripts', 'bundle.js'), '--bench-library'],
  { cwd: ROOT, encoding: 'utf8' },
);
if (benchLibrary.status !== 0) throw new Error(`bench bundle failed: ${benchLibrary.stderr}`);
const warmRun = (modules) => {
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, 'warm.js'), EXAMPLE, String(Math.max(RUNS, 20))],
    { env: { ...env, WARM_MODULES: modules }, cwd: tmp, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`warm run failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
results.warmBuild = warmRun('bundle');
results.warmBuildTsc = warmRun('tsc');

// Scale: generated catalogues of 14, 140 and 1,400 principles with a realistic vocabulary,
// each built by the real CLI in a cold process, from the startup snapshot as users start it (its
// peak RSS written by the CLI itself at exit, SRQ_BENCH_PEAK: a preload would keep it off the blob).
results.scale = [];
for (const n of QUICK ? [14, 140] : [14, 140, 1400]) {
  const dir = path.join(tmp, `scale-${n}`);
  fs.mkdirSync(dir);
  writeScaleCase(dir, n);
  const answers = path.join(dir, 'answers.yaml');
  const words = distinctWords(
    fs.readFileSync(answers, 'utf8') + fs.readFileSync(path.join(dir, 'catalogue.yaml'), 'utf8'),
  );
  const out = path.join(dir, 'out.pdf');
  const peakFile = path.join(dir, 'peak.json');
  const runs = n >= 1400 ? 3 : 5;
  const html = path.join(dir, 'answers.html');
  const compare = chromium && n !== 140;
  if (compare) {
    timeProcess(process.execPath, [BIN, 'export', answers, '--format', 'html', '-o', html]);
  }
  // srq and Chromium side by side (Chromium once, in the middle, for the 1,400-principle case).
  const { t, browser } = sideBySide({
    t: {
      cmd: BIN,
      args: ['build', answers, '-o', out],
      runs,
      env: { ...env, SRQ_BENCH_PEAK: peakFile },
    },
    ...(compare
      ? { browser: chromiumRun(chromium, html, path.join(dir, 'chromium.pdf'), n >= 1400 ? 1 : 3) }
      : {}),
  });
  const peakRssMB = JSON.parse(fs.readFileSync(peakFile, 'utf8')).peakRssMB;
  const row = { principles: n, words, ...t, peakRssMB, bytes: fs.statSync(out).size };
  // NOTE: the page tree sits in a compressed object stream, so the count is what srq reports.
  row.pages = pagesOf(timeProcess(process.execPath, [BIN, 'build', answers, '-o', out]).stdout);
  if (browser) row.chromium = browser;
  results.scale.push(row);
}

// Validating big answers files (issue 14): a 5 MB file of 4,250 principles with realistic text,
// and 150,000 evidence items (4.8 MB). Target: under 2 s of CPU time each.
results.bigValidate = [];
{
  const dir = path.join(tmp, 'validate-5mb');
  fs.mkdirSync(dir);
  writeScaleCase(dir, 4250);
  const file = path.join(dir, 'answers.yaml');
  results.bigValidate.push({
    what: `validate a ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MiB answers file (4,250 principles)`,
    ...srq(['validate', file], { runs: 3 }),
  });
  const dir2 = path.join(tmp, 'validate-150k');
  fs.mkdirSync(dir2);
  writeEvidenceCase(dir2, EXAMPLE, 150000);
  const file2 = path.join(dir2, 'answers.yaml');
  results.bigValidate.push({
    what: `validate 150,000 evidence items (${(fs.statSync(file2).size / 1024 / 1024).toFixed(1)} MiB)`,
    ...srq(['validate', file2], { runs: 3 }),
  });
}

// The table: figure, baseline, ratio, target, verdict.
const f = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const s = (t) => `${f(t.wall)} s (CPU ${f(t.cpu, 2)} s)`;
const rows = [];
const row = (what, value, ratio, target, ok) =>
  rows.push(
    `| ${what} | ${value} | ${ratio} | ${target} | ${ok === undefined ? '' : ok ? 'met' : 'MISSED'} |`,
  );
const n0 = results.nodeEmpty.wall;
row('node -e 0 (baseline)', s(results.nodeEmpty), '', '', undefined);
if (chromium)
  row('Chromium prints the example HTML (baseline)', s(results.chromiumExample), '', '', undefined);
const b = results.coldBuildSign.wall;
row(
  'cold build --sign (example)',
  s(results.coldBuildSign),
  `${f(b / n0, 1)}× node`,
  '≤ 5× node',
  b / n0 <= 5,
);
if (chromium) {
  const r = b / results.chromiumExample.wall;
  row('cold build --sign vs Chromium', '', `${f(r, 2)}× Chromium`, '≤ 0.5×', r <= 0.5);
}
const u = results.coldBuild.wall;
row(
  'cold build, unsigned (example)',
  s(results.coldBuild),
  `${f(u / n0, 1)}× node; signing adds ${f(b - u, 3)} s (CPU ${f(results.coldBuildSign.cpu - results.coldBuild.cpu, 2)} s)`,
  '',
  undefined,
);
for (const [what, t] of [
  ['cold build --sign, without the startup snapshot', results.coldBuildSignNoSnapshot],
  ['cold build, unsigned, without the startup snapshot', results.coldBuildNoSnapshot],
]) {
  row(what, s(t), `${f(t.wall / n0, 1)}× node`, '(SRQ_SNAPSHOT=0)', undefined);
}
const bn = results.coldBuildSignNoShapeCache.wall;
row(
  'cold build --sign, no shaped-word cache',
  s(results.coldBuildSignNoShapeCache),
  `${f(bn / n0, 1)}× node${chromium ? `, ${f(bn / results.chromiumExample.wall, 2)}× Chromium` : ''}`,
  '(first build of new text)',
  undefined,
);
const v = results.coldValidate.wall / n0;
row('cold validate (example)', s(results.coldValidate), `${f(v, 2)}× node`, '≤ 2× node', v <= 2);
const h = results.help.wall / n0;
row('--help', s(results.help), `${f(h, 2)}× node`, '≤ 1.3× node', h <= 1.3);
const w = results.warmBuild.medianMs;
row(
  'warm build, per statement (the bundled code srq runs)',
  `${f(w, 1)} ms (${results.warmBuild.pages} pages)`,
  '',
  '≤ 40 ms',
  w <= 40,
);
const wb = results.warmBuild;
row(
  `warm build, steady state (builds ${wb.steadyAfter + 1}–${wb.steadyAfter + wb.runs})`,
  `${f(wb.steadyMedianMs, 1)} ms`,
  'for information: the row above is the target’s',
  '',
  undefined,
);
const wt = results.warmBuildTsc;
row(
  'warm build from tsc’s modules (builds 6–25; steady state)',
  `${f(wt.medianMs, 1)} ms; ${f(wt.steadyMedianMs, 1)} ms`,
  'for information: the code tests load, not the bundles srq runs',
  '',
  undefined,
);
const x = results.exportXlsx.wall / n0;
row('export --format xlsx', s(results.exportXlsx), `${f(x, 2)}× node`, '≤ 3× node', x <= 3);
if (results.fill300) {
  row('fill, 300 questions', s(results.fill300), '', '≤ 1 s', results.fill300.wall <= 1);
} else row('fill, 300 questions', 'skipped (see notes)', '', '≤ 1 s', undefined);
const sb = results.statementBytes;
const bytesRatio = sb.bytes / sb.before;
row(
  'statement bytes (example, unsigned)',
  `${(sb.bytes / 1024).toFixed(1)} KB, ${sb.pages} pages`,
  `${f(bytesRatio, 2)}× classic xref (${(sb.before / 1024).toFixed(1)} KB, ${sb.beforePages} pages;` +
    ` issue 15's start: ${(BYTES_BEFORE.bytes / 1024).toFixed(1)} KB, ${BYTES_BEFORE.pages} pages)`,
  '≤ 0.7×, same pages',
  bytesRatio <= 0.7 && sb.pages === sb.beforePages,
);
for (const r of results.scale) {
  const big = r.principles === 1400;
  row(
    `${r.principles} principles (${r.words} distinct words)`,
    `${s(r)}, ${r.peakRssMB} MiB peak, ${r.pages} pages, ${(r.bytes / 1024).toFixed(0)} KB`,
    r.chromium ? `${f(r.wall / r.chromium.wall, 2)}× Chromium (${f(r.chromium.wall, 2)} s)` : '',
    big ? '≤ 0.1× Chromium, ≤ 300 MiB' : '',
    big ? (!r.chromium || r.wall / r.chromium.wall <= 0.1) && r.peakRssMB <= 300 : undefined,
  );
}
for (const r of results.bigValidate) row(r.what, s(r), '', '< 2 s CPU', r.cpu < 2);
const [s14, s140, s1400] = results.scale;
if (s1400) {
  // Linear growth: the time per added principle from 140 to 1,400 against that from 14 to 140.
  const slope = (a, z) => (z.wall - a.wall) / (z.principles - a.principles);
  const g = slope(s140, s1400) / slope(s14, s140);
  row(
    'growth: s per principle 140→1,400 ÷ 14→140',
    `${f(s1400.pages / s14.pages, 1)}× pages for 100× content`,
    f(g, 2),
    'linear (≤ 1.5)',
    g <= 1.5,
  );
}
results.table = ['| measure | value | ratio | target | |', '|---|---|---|---|---|', ...rows].join(
  '\n',
);
results.notes = notes;
console.log(results.table);
for (const n of notes) console.log(`note: ${n}`);
console.log(
  `(${RUNS} runs each, medians; load average at start ${results.machine.load.join(' ')})`,
);
fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
fs.rmSync(tmp, { recursive: true, force: true });
