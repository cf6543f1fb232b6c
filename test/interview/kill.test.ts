import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { lockPath } from '../../src/lock';
import { EXAMPLE, parsedAnswers, REPO, tempDir } from '../helpers/interview';

/**
 * SIGKILL the interview at random moments while it saves answer after answer: the file must
 * always parse, validate, and hold every answer reported saved before the kill.
 */

/** Runs the compiled provider interview on a file with answers made up on the spot, holding the
 * lock like the CLI does, and prints "saved <what>" after every save. */
const TARGET = String.raw`
const path = require('node:path');
const dist = process.env.SRQ_DIST;
const { runInterview } = require(dist + '/interview/provider.js');
const { acquireLock } = require(dist + '/lock.js');
const file = path.resolve(process.argv[1]);
const lock = acquireLock(file);
if (lock.tookOver) process.stdout.write('lock ' + lock.tookOver + '\n');
let current = '';
const prompts = {
  say(t) {
    const m = /^── .* ──\n(\S+) /m.exec(t);
    if (m) current = m[1];
  },
  select(o) {
    const values = o.choices.map((c) => c.value);
    if (o.message === 'What now?') {
      return Promise.resolve(['whole', 'answer', 'continue', 'keep'].find((v) => values.includes(v)));
    }
    if (o.message.includes('last principle')) return Promise.resolve('');
    return Promise.resolve(o.default ?? values[0]);
  },
  text: () => Promise.resolve(('Statement for ' + current + ', written before the kill.\n').repeat(20)),
  input: (o) => Promise.resolve(o.message.startsWith('What must the customer') ? 'Customer part of ' + current + '.' : ''),
  checkbox: (o) => Promise.resolve(o.choices.slice(0, 2).map((c) => c.value)),
  confirm: () => Promise.resolve(false),
  search: () => Promise.reject(new Error('no search')),
};
const onSave = (w) => process.stdout.write('saved ' + w + '\n');
runInterview({ file, shown: file, deps: { prompts, now: () => new Date('2027-10-30'), onSave } })
  .then(() => {
    lock.release();
    process.stdout.write('finished\n');
  })
  .catch((err) => {
    process.stderr.write(String(err && err.stack));
    process.exitCode = 1;
  });
`;

/** Runs the target and SIGKILLs it a few milliseconds after its `afterSaves`-th saved answer. */
function runUntilKilled(
  file: string,
  afterSaves: number,
): Promise<{ saved: string[]; out: string; finished: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', TARGET, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SRQ_DIST: path.join(REPO, 'dist') },
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && (out.match(/^saved answers\./gm) ?? []).length >= afterSaves) {
        // Lands anywhere in the next save: while rendering, writing the temporary file or renaming.
        timer = setTimeout(() => child.kill('SIGKILL'), Math.random() * 6);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      if (err) throw new Error(err);
      // Only whole lines were certainly written after the save returned.
      const lines = out.split('\n').slice(0, -1);
      resolve({
        saved: lines
          .filter((l) => l.startsWith('saved answers.'))
          .map((l) => l.slice('saved answers.'.length)),
        out,
        finished: lines.includes('finished'),
      });
    });
  });
}

test('SIGKILL at random points never leaves a broken file or loses a saved answer', async () => {
  const dir = tempDir('srq-kill-');
  const file = path.join(dir, 'answers.yaml');
  // The example's details, no answers yet: the interview goes straight to the principles.
  const example = fs.readFileSync(EXAMPLE, 'utf8');
  fs.writeFileSync(file, `${example.slice(0, example.indexOf('\nanswers:') + 1)}answers: {}\n`);
  const fresh = fs.readFileSync(file, 'utf8');
  let everSaved = new Set<string>();
  let saves = 0;
  let kills = 0;
  let takeovers = 0;
  // NOTE: how many saves land before a kill depends on the machine's load; a run that gets to
  // the end starts again from an empty file, so the number of kills never depends on timing.
  for (let runs = 0; runs < 80 && kills < 12; runs++) {
    const { saved, out, finished } = await runUntilKilled(file, 1 + Math.floor(Math.random() * 3));
    if (out.includes('took over a stale lock')) takeovers++;
    saved.forEach((id) => everSaved.add(id));
    saves += saved.length;
    const text = fs.readFileSync(file, 'utf8');
    const data = parse(text) as { answers?: Record<string, { provider: string }> };
    // Parses, validates (unanswered principles are only warnings), and holds every saved answer.
    parsedAnswers(file);
    for (const id of everSaved) {
      expect(data.answers?.[id]?.provider).toContain(
        `Statement for ${id}, written before the kill.`,
      );
    }
    expect(text.startsWith(example.slice(0, example.indexOf('\nanswers:')))).toBe(true);
    if (finished) {
      fs.writeFileSync(file, fresh);
      everSaved = new Set<string>();
      continue;
    }
    kills++;
  }
  expect(kills).toBe(12);
  expect(takeovers).toBeGreaterThan(0);
  expect(saves).toBeGreaterThan(12);
  // Killed runs leave a stale lock, and may leave a temporary file; neither is the answers file.
  fs.rmSync(lockPath(file), { force: true });
}, 120_000);
