import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '../../src/catalogue';
import { parsedAnswers, REPO, tempDir } from '../helpers/interview';

/**
 * The real `srq interview` in a pseudo-terminal (Python's pty module; node-pty is not installed):
 * type a short interview, press Ctrl+C halfway, run it again to resume, finish, build the PDF.
 */

interface PtyStep {
  expect?: string;
  send?: string;
  timeout?: number;
}

const HELPER = path.join(REPO, 'test/helpers/pty-run.py');
const SRQ = path.join(REPO, 'bin/srq.js');
const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
const tops = loadCatalogue('ncsc-2023').items.filter((i) => !i.parent);

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    SRQ_NOW: '2027-10-30T10:00:00Z',
    TERM: 'xterm-256color',
  };
  // No editor: statements are typed line by line.
  delete e.VISUAL;
  delete e.EDITOR;
  delete e.NO_COLOR;
  delete e.SRQ_EDITOR;
  // Not run by npm (jest may be): the binary as a user runs it after installing.
  for (const k of Object.keys(e)) if (k.startsWith('npm_')) delete e[k];
  return e;
}

function inPty(
  cwd: string,
  steps: PtyStep[],
  args: string[],
  o: { command?: string[]; env?: NodeJS.ProcessEnv } = {},
): { exit: number; output: string; failed: unknown } {
  const script = path.join(tempDir('srq-pty-script-'), 'script.json');
  fs.writeFileSync(script, JSON.stringify(steps));
  const command = o.command ?? [process.execPath, SRQ];
  const res = spawnSync(python!, [HELPER, script, '--', ...command, ...args], {
    cwd,
    env: o.env ?? env(),
    encoding: 'utf8',
    timeout: 280_000,
  });
  if (res.status !== 0) throw new Error(`pty helper failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { exit: number; output: string; failed: unknown };
}

const enter = (expect: string): PtyStep => ({ expect, send: '\r' });
const type = (expect: string, text: string): PtyStep => ({ expect, send: `${text}\r` });

function principle(id: string): PtyStep[] {
  return [
    enter('What now\\?'),
    { expect: 'ends it\\.' },
    type('\\? │', `Zephyrine control statement for principle ${id}.`),
    { expect: '✔ │ Zephyrine' },
    type('\\? │', '.'),
    enter('One-sentence summary'),
    enter('Assurance'),
    enter('Who is responsible'),
  ];
}

(python ? test : test.skip)(
  'types an interview in a terminal, Ctrl+C halfway, resumes, finishes, builds a PDF with the typed text',
  () => {
    const dir = tempDir('srq-pty-');
    const header: PtyStep[] = [
      enter('Which framework'),
      type('Provider \\(company\\) name', 'Quillon Cloud Ltd'),
      enter('Team responsible'),
      enter('Contact e-mail'),
      enter('Contact phone'),
      enter('Postal address'),
      type('Service name', 'Quillon Hosting'),
      enter('One-sentence description'),
      type('Tier name', 'Managed'),
      enter('Tier id'),
      enter('What the tier covers'),
      enter('Tiers:'),
      enter('Title:'),
      enter('Version:'),
      enter('Issue date:'),
      enter('Next review date:'),
      enter('Classification'),
      type('Signatory name', 'Morgan Lee'),
      type('Signatory role', 'Head of Security'),
      type('Add an evidence item', 'n'),
    ];
    const half = tops.slice(0, 7).flatMap((t) => principle(t.id));
    const first = inPty(
      dir,
      [
        ...header,
        ...half,
        { expect: 'What now\\?', send: '\u0003' },
        { expect: 'to carry on, run' },
      ],
      ['interview', 'quillon.yaml'],
    );
    expect(first.failed).toBeNull();
    expect(first.exit).toBe(130);
    expect(first.output).toContain('── 5 of 14 · 29% ──');
    expect(first.output).toContain(
      'Stopped. Every completed answer is saved in quillon.yaml; to carry on, run: srq interview quillon.yaml',
    );
    const saved = parsedAnswers(path.join(dir, 'quillon.yaml'));
    expect(Object.keys(saved.value!.answers.answers).sort()).toEqual(
      tops
        .slice(0, 7)
        .map((t) => t.id)
        .sort(),
    );
    expect(fs.existsSync(path.join(dir, 'quillon.yaml.lock'))).toBe(false);

    const rest = tops.slice(7).flatMap((t) => principle(t.id));
    const second = inPty(
      dir,
      [
        { expect: `Resuming at ${tops[7].id} ` },
        ...rest,
        { expect: 'every principle is answered' },
      ],
      ['interview', 'quillon.yaml'],
    );
    expect(second.failed).toBeNull();
    expect(second.exit).toBe(0);
    const done = parsedAnswers(path.join(dir, 'quillon.yaml'));
    expect(done.warnings).toEqual([]);
    expect(done.value!.answers.answers['14'].provider).toBe(
      'Zephyrine control statement for principle 14.',
    );

    const build = spawnSync(process.execPath, [SRQ, 'build', 'quillon.yaml', '-o', 'quillon.pdf'], {
      cwd: dir,
      env: env(),
      encoding: 'utf8',
    });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const text = spawnSync(
      process.execPath,
      [
        '-e',
        "new (require('pdf-parse').PDFParse)({ data: require('fs').readFileSync('quillon.pdf') }).getText().then((r) => process.stdout.write(r.text))",
      ],
      { cwd: dir, encoding: 'utf8', env: { ...env(), NODE_PATH: path.join(REPO, 'node_modules') } },
    ).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Quillon Cloud Ltd');
    expect(text).toContain('Zephyrine control statement for principle 3.');
    expect(text).toContain('Zephyrine control statement for principle 14.');
  },
  180_000,
);

const npx = ['npx', 'npm'].every((c) => spawnSync(c, ['--version']).status === 0);

(python && npx ? test : test.skip)(
  'npx srq interview on a complete file, no EDITOR: no vi; change a detail and one line of an answer',
  () => {
    const dir = tempDir('srq-pty-npx-');
    const file = path.join(dir, 'example-cloud.yaml');
    fs.copyFileSync(path.join(REPO, 'answers/example-cloud.yaml'), file);
    const down = (n: number) => '\u001b[B'.repeat(n);
    const up = (n: number) => '\u001b[A'.repeat(n);
    const res = inPty(
      REPO,
      [
        // The cursor starts on "Finish"; four up is "Change a detail".
        // npx may look the name up in the registry first (its spinner): slow on a busy network.
        { expect: 'What would you like to do\\?', send: up(4), timeout: 150 },
        { expect: '❯ Change a detail', send: '\r' },
        { expect: 'Change which detail\\?', send: `${down(1)}\r` }, // Provider
        // The old name is in the line, ready to edit: remove "Ltd", type "Limited".
        { expect: 'Provider \\(company\\) name', send: '\u007f\u007f\u007fLimited\r' },
        enter('Team responsible'),
        enter('Contact e-mail'),
        enter('Contact phone'),
        enter('Postal address'),
        { expect: 'Change which detail\\?', send: '\r' }, // Done
        { expect: 'What would you like to do\\?', send: up(3) },
        { expect: '❯ Change an answer', send: '\r' },
        { expect: 'Which answer\\?', send: '3 Separation' },
        { expect: '❯ 3 Separation between customers', send: '\r' },
        { expect: 'Which part do you want to change\\?', send: `${down(1)}\r` }, // statement
        // Line by line (no editor): change line 1, starting from the old line.
        { expect: 'Keep this text, or change it\\?', send: `${down(1)}\r` },
        { expect: 'Which line\\?', send: '\r' },
        { expect: 'Line 1:', send: '\u0005 Checked yearly.\r' },
        { expect: 'Change more, or done\\?', send: '\r' },
        { expect: 'Which part do you want to change\\?', send: '\r' }, // Done
        { expect: 'What would you like to do\\?', send: '\r' }, // Finish
        { expect: 'every principle is answered', timeout: 30 },
      ],
      ['srq', 'interview', file],
      // `npx srq` as the README says; env() has no EDITOR, so npm injects EDITOR=vi.
      { command: ['npx'] },
    );
    expect(res.failed).toBeNull();
    expect(res.exit).toBe(0);
    expect(res.output).not.toMatch(/opens vi|VIM|~\s*\n~/);
    const a = parsedAnswers(file).value!.answers;
    expect(a.provider.name).toBe('Harbourline Cloud Limited');
    const before = parsedAnswers(path.join(REPO, 'answers/example-cloud.yaml')).value!.answers;
    const [first, ...others] = before.answers['3'].provider.split('\n');
    expect(a.answers['3'].provider).toBe([`${first} Checked yearly.`, ...others].join('\n'));
    expect(a.document.version).toBe('3.0');
    // The hint names the command as it was typed.
    expect(res.output).toContain(`Check it with \`npx srq validate ${file}\``);
  },
  300_000,
);

(python ? test : test.skip)(
  'srq interview with no file in an empty folder: makes answers/, no lock-file or -o talk; the new file names its schema',
  () => {
    const dir = tempDir('srq-pty-empty-');
    const res = inPty(
      dir,
      [
        enter('Which framework'),
        type('Provider \\(company\\) name', 'Quillon Cloud Ltd'),
        { expect: 'Team responsible', send: '\u0003' },
        { expect: 'to carry on, run' },
      ],
      ['interview'],
    );
    expect(res.failed).toBeNull();
    expect(res.exit).toBe(130);
    expect(res.output).toContain('creating the folder answers for answers/answers.yaml');
    expect(res.output).not.toMatch(/lock|-o\b/);
    const text = fs.readFileSync(path.join(dir, 'answers/answers.yaml'), 'utf8');
    const schema = path.relative(
      path.join(dir, 'answers'),
      path.join(REPO, 'schema/answers.schema.json'),
    );
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schema}`);
    expect(fs.existsSync(path.join(dir, 'answers', schema))).toBe(true);
  },
  60_000,
);

(python ? test : test.skip)(
  'an editor is set but TMPDIR is missing: a one-line note, then the statement is typed line by line',
  () => {
    const dir = tempDir('srq-pty-tmpdir-');
    const file = path.join(dir, 'example-cloud.yaml');
    fs.copyFileSync(path.join(REPO, 'answers/example-cloud.yaml'), file);
    const before = fs.readFileSync(file, 'utf8');
    const down = (n: number) => '\u001b[B'.repeat(n);
    const up = (n: number) => '\u001b[A'.repeat(n);
    const res = inPty(
      dir,
      [
        { expect: 'What would you like to do\\?', send: up(3), timeout: 60 },
        { expect: '❯ Change an answer', send: '\r' },
        { expect: 'Which answer\\?', send: '3 Separation' },
        { expect: '❯ 3 Separation between customers', send: '\r' },
        { expect: 'Which part do you want to change\\?', send: `${down(1)}\r` }, // statement
        { expect: 'Keep this text, or change it\\?', send: '\r' }, // keep
        { expect: 'Which part do you want to change\\?', send: '\r' }, // Done
        { expect: 'What would you like to do\\?', send: '\r' }, // Finish
        { expect: 'every principle is answered', timeout: 30 },
      ],
      ['interview', file],
      { env: { ...env(), SRQ_EDITOR: '/bin/true', TMPDIR: path.join(dir, 'no-such-folder') } },
    );
    expect(res.failed).toBeNull();
    expect(res.exit).toBe(0);
    const notes = res.output.split(/\r?\n/).filter((l) => /temporary folder/.test(l));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/no-such-folder.*type the text instead/);
    expect(res.output).not.toMatch(/mkdtemp|ENOENT|Error/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  },
  120_000,
);
