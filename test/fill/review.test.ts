import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parsedAnswers } from '../helpers/interview';
import { BIN, EXAMPLE, srq, tempDir } from '../helpers/cli';

/**
 * `srq fill --review` driven like a user, in a pseudo-terminal (test/helpers/pty-run.py, the
 * interview's own pty helper; node-pty is not installed): accept a low-scored suggestion, pick
 * another principle for a blank question, write a new library entry for an off-topic one. The
 * answers file is saved at once (comments kept, valid), the filled file carries the choices, and
 * the next fill answers the questions by itself: from the mapping, and the library entry even
 * without it.
 */

interface PtyStep {
  expect?: string;
  send?: string;
  timeout?: number;
}

const HELPER = path.join(__dirname, '..', 'helpers', 'pty-run.py');
const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SRQ_NOW: '2026-11-22T12:00:00Z',
    TERM: 'xterm-256color',
  };
  return e;
}

function inPty(cwd: string, steps: PtyStep[], args: string[]) {
  const script = path.join(tempDir('srq-fill-pty-'), 'script.json');
  fs.writeFileSync(script, JSON.stringify(steps));
  const res = spawnSync(python!, [HELPER, script, '--', process.execPath, BIN, ...args], {
    cwd,
    env: env(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.status !== 0) throw new Error(`pty helper failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { exit: number; output: string; failed: unknown };
}

const DOWN = '\u001b[B';

/** A minimal CSV reader for the filled file (quoted fields, CRLF). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const t = text.replace(/^\ufeff/, '');
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quoted) {
      if (c === '"' && t[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && t[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const QUESTIONS = [
  // Not sure enough (the closest is 2.3): offered for review, the closest accepted.
  'Is our information kept scrambled on your disks?',
  // Confident: not reviewed.
  'In which countries will our data be stored and processed?',
  // Nothing fits well enough: blank; the user picks 2.5.
  'Do you keep spare capacity for busy periods?',
  // Off-topic: blank; the user writes a library entry.
  'What is your professional indemnity insurance cover?',
];

(python ? test : test.skip)(
  'accept, pick another principle, write a library entry; saved at once; the next fill needs no review',
  () => {
    const dir = tempDir('srq-fill-review-');
    const answers = path.join(dir, 'answers.yaml');
    fs.copyFileSync(EXAMPLE, answers);
    const before = fs.readFileSync(answers, 'utf8');
    const csv = `Ref,Question,Response\r\n${QUESTIONS.map((q, i) => `Q${i + 1},"${q}",`).join('\r\n')}\r\n`;
    const buyer = path.join(dir, 'buyer.csv');
    fs.writeFileSync(buyer, csv);

    const run = inPty(
      dir,
      [
        { expect: '3 question\\(s\\) to review' },
        // 1: left blank, the closest (2.3) accepted (the first choice).
        { expect: 'scrambled on your disks' },
        { expect: 'What should this question get\\?' },
        { expect: '❯ Use the closest: 2\\.3 Data encryption', send: '\r' },
        // 2: blank; "Pick another principle" is the second choice, then search for 2.5.
        { expect: 'spare capacity for busy periods' },
        { expect: 'No answer chosen' },
        { expect: 'Pick another principle', send: DOWN },
        { expect: '❯ Pick another principle', send: '\r' },
        { expect: 'Answer it from', send: '2.5' },
        { expect: '❯ 2\\.5 Physical resilience', send: '\r' },
        // 3: off-topic, no suggestion: "Write a new library entry" is the second choice.
        { expect: 'professional indemnity insurance' },
        { expect: 'Write a new library entry', send: DOWN },
        { expect: '❯ Write a new library entry', send: '\r' },
        { expect: 'Library id for this answer', send: '\u0015pi-insurance\r' },
        { expect: 'A line with only', send: '' },
        {
          expect: '│',
          send: 'We hold professional indemnity insurance of £5 million per claim.\r',
        },
        { expect: '✔ │ We hold' },
        { expect: '│', send: '.\r' },
        { expect: 'Yes/No dropdown', send: '\r' },
        { expect: "Saved library entry 'pi-insurance'" },
        { expect: 'wrote output/buyer-filled\\.csv', timeout: 30 },
      ],
      ['fill', 'buyer.csv', '--answers', 'answers.yaml', '--tier', 'managed', '--review'],
    );
    expect(run.failed).toBeNull();
    expect(run.exit).toBe(0);
    expect(run.output).toContain('4 question(s): 4 answered');

    // The answers file: saved with the new entry, every original line (comments too) kept,
    // still valid, and nothing else left in the folder (the atomic save's temp file is gone).
    const after = fs.readFileSync(answers, 'utf8');
    expect(after).not.toBe(before);
    const keptLines = before.split('\n').filter((l) => !after.includes(l));
    expect(keptLines).toEqual([]);
    expect(after).toContain('# Harbourline Cloud Ltd is a fictional provider');
    const lib = parsedAnswers(answers).value!.answers.library!;
    expect(lib.map((e) => e.id)).toEqual(['pi-insurance']);
    expect(lib[0].questions).toEqual([QUESTIONS[3]]);
    expect(lib[0].answer.trim()).toBe(
      'We hold professional indemnity insurance of £5 million per claim.',
    );
    expect(fs.readdirSync(dir).sort()).toEqual(['answers.yaml', 'buyer.csv', 'output']);

    // The filled file carries the three choices.
    const filled = csvRows(fs.readFileSync(path.join(dir, 'output', 'buyer-filled.csv'), 'utf8'));
    expect(filled[1][2]).toMatch(/AES-256/); // 2.3, accepted
    expect(filled[3][2]).toMatch(/99\.95%/); // 2.5, picked
    expect(filled[4][2]).toBe('We hold professional indemnity insurance of £5 million per claim.');
    // The mapping remembers the decisions by question text.
    const map = parse(
      fs.readFileSync(path.join(dir, 'output', 'buyer-filled.map.yaml'), 'utf8'),
    ) as { remembered: Record<string, string> };
    expect(Object.values(map.remembered).sort()).toEqual([
      'library:pi-insurance',
      'principle:2.1',
      'principle:2.3',
      'principle:2.5',
    ]);

    // Next time, with the mapping: every question answered, nothing to review, exit 0.
    const again = srq(
      [
        'fill',
        'buyer.csv',
        '--answers',
        'answers.yaml',
        '--tier',
        'managed',
        '--map',
        'output/buyer-filled.map.yaml',
        '-o',
        'again.csv',
      ],
      { cwd: dir },
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('4 question(s): 4 answered, 0 need review, 0 left blank');
    const report = fs.readFileSync(path.join(dir, 'again.report.csv'), 'utf8');
    expect(report).toContain('Q3,Do you keep spare capacity for busy periods?,answered,2.5');
    expect(report).toContain(',library pi-insurance,remembered,');

    // Even without the mapping, the library entry answers its question by itself.
    const fresh = srq(
      [
        'fill',
        'buyer.csv',
        '--answers',
        'answers.yaml',
        '--tier',
        'managed',
        '-o',
        'fresh.csv',
        '--allow-blank',
      ],
      { cwd: dir },
    );
    expect(fresh.code).toBe(0);
    const freshReport = fs.readFileSync(path.join(dir, 'fresh.report.csv'), 'utf8');
    expect(freshReport).toMatch(
      /Q4,What is your professional indemnity insurance cover\?,answered,library pi-insurance,similarity,/,
    );
  },
);
