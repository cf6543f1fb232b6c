#!/usr/bin/env node
// `node bench/fill-case.js`: time `srq fill` on a 300-question workbook of distinct buyer questions, cold (a new
// process each run), median of BENCH_RUNS runs. Run after `npm run build`. Exports
// writeFillCase() (the workbook and the command's arguments) for bench/run.js, and benchFill();
// prints the median wall and CPU time, with the target, when run directly.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'srq.js');
const EXAMPLE = path.join(ROOT, 'answers', 'example-cloud.yaml');

/**
 * The questions: 300 distinct ones from the two outside sets (test/fill/fixtures/outside-blind8
 * and blind9, written by people who never saw the matcher, ~25% of them not about the service),
 * so no question repeats another and the matcher's caches do not flatter the figure.
 */
function questionsFor(n) {
  const { parse } = require('yaml');
  const dir = path.join(ROOT, 'test', 'fill', 'fixtures');
  const all = ['outside-blind8.yaml', 'outside-blind9.yaml'].flatMap((f) =>
    parse(fs.readFileSync(path.join(dir, f), 'utf8')).questions.map((q) => q.q),
  );
  if (n > all.length) throw new Error(`only ${all.length} distinct questions to draw from`);
  return all.slice(0, n);
}

/** A buyer-shaped workbook: a title row, a header, a section row every 25 questions. */
function writeWorkbook(file, questions) {
  const { writeWorkbook: write } = require(path.join(ROOT, 'dist', 'office', 'xlsx-write.js'));
  const rows = [
    ['Supplier security questionnaire'],
    [],
    ['Ref', 'Question', 'Guidance', 'Supplier response'],
  ];
  const texts = questionsFor(questions);
  for (let i = 0; i < questions; i++) {
    if (i % 25 === 0) rows.push([`Section ${i / 25 + 1}`]);
    rows.push([`Q${i + 1}`, texts[i], 'Be specific.', '']);
  }
  const t = new Date('2026-01-01T00:00:00Z');
  fs.writeFileSync(
    file,
    write([{ name: 'Questions', widths: [8, 60, 20, 80], rows }], {
      creator: 'bench',
      lastModifiedBy: 'bench',
      title: 'bench',
      subject: 'bench',
      company: 'bench',
      keywords: '',
      created: t,
      modified: t,
    }),
  );
}

/** Writes a `questions`-question workbook into `dir`; the srq arguments that fill it. */
function writeFillCase(dir, { questions = 300 } = {}) {
  const input = path.join(dir, 'questionnaire.xlsx');
  writeWorkbook(input, questions);
  const args = ['fill', input, '--answers', EXAMPLE, '--tier', 'managed', '--allow-blank'];
  return { args: [...args, '-o', path.join(dir, 'filled.xlsx')] };
}

function benchFill({ questions = 300, runs = Number(process.env.BENCH_RUNS || 5) } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srq-bench-fill-'));
  const args = [BIN, ...writeFillCase(dir, { questions }).args];
  const times = [];
  const cpus = [];
  for (let i = 0; i <= runs; i++) {
    const c0 = childCpu();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`srq fill exited ${r.status}: ${r.stderr}`);
    if (i > 0) {
      // The first run warms the file-system cache and writes the code cache.
      times.push(s);
      cpus.push(childCpu() - c0);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { questions, seconds: median(times), cpu: median(cpus) };
}

/** CPU seconds (user + system) of this process's waited-for children so far (Linux), or NaN. */
function childCpu() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return NaN;
  }
}

module.exports = { benchFill, writeFillCase };

if (require.main === module) {
  const r = benchFill();
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `srq fill, ${r.questions}-question workbook, cold: ${r.seconds.toFixed(3)} s wall, ${r.cpu.toFixed(2)} s CPU (median; target under 1 s; load average ${load} on ${os.cpus().length} CPUs)`,
  );
}
