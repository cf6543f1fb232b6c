import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, EXAMPLE, srq, tempDir } from '../helpers/cli';
import { pdfText } from '../helpers/pdf';
import { prng, SEED } from '../helpers/random';

/**
 * Issue 8, "concurrency and crashes": two builds racing to one file leave one complete PDF;
 * a build or a signing killed at any moment never leaves a partial PDF at the target path.
 */

const PASS = 'crash-test-passphrase';
const ENV = {
  PATH: process.env.PATH ?? '',
  SRQ_NOW: '2026-11-22T12:00:00Z',
  NO_COLOR: '1',
  SRQ_KEY_PASSPHRASE: PASS,
};

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
}

/** Runs the CLI; with `killAfterMs`, SIGKILLs it then (if it is still running). */
function run(args: string[], cwd: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - t0, stderr });
    });
  });
}

/** A whole PDF: header, trailer, and text that pdf.js can extract from every page. */
function expectCompletePdf(file: string, pages?: number): Buffer {
  const pdf = fs.readFileSync(file);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.subarray(-6).toString()).toMatch(/%%EOF\s*$/);
  const text = pdfText(pdf);
  if (pages !== undefined) expect(text.pages).toHaveLength(pages);
  expect(text.text).toContain('Following the NCSC Cloud Security Principles');
  return pdf;
}

const leftovers = (dir: string) =>
  fs.readdirSync(dir).filter((f) => f.startsWith('.srq-tmp-') && !f.includes('-register'));

describe('crashes and races', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('srq-crash-');
    fs.copyFileSync(EXAMPLE, path.join(dir, 'example.yaml'));
    expect(
      srq(['keygen', '--name', 'Crash TEST', '-o', 'key.p12'], { cwd: dir, env: ENV }).code,
    ).toBe(0);
    const r = await run(
      ['build', 'example.yaml', '-o', 'timing.pdf', '--sign', '--key', 'key.p12'],
      dir,
    );
    expect(r.code).toBe(0);
  });

  test('two builds to the same file at once leave one complete PDF and no temporary files', async () => {
    for (let round = 0; round < 4; round++) {
      const out = `race-${round}.pdf`;
      const [a, b] = await Promise.all([
        run(['build', 'example.yaml', '-o', out, '--buyer', 'Buyer A'], dir),
        run(['build', 'example.yaml', '-o', out, '--buyer', 'Buyer B'], dir),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const text = pdfText(expectCompletePdf(path.join(dir, out))).text;
      // Exactly one of the two whole documents, never a mix.
      expect(Number(text.includes('Buyer A')) + Number(text.includes('Buyer B'))).toBe(1);
    }
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  test.each([
    ['build', ['build', 'example.yaml', '-o', 'killed.pdf', '--force']],
    [
      'build --sign',
      ['build', 'example.yaml', '-o', 'killed.pdf', '--sign', '--key', 'key.p12', '--force'],
    ],
    ['sign', ['sign', 'timing.pdf', '--key', 'key.p12', '-o', 'killed.pdf', '--force']],
  ])(
    `SIGKILL at random moments of %s never leaves a partial PDF at the target (seed ${SEED}; SRQ_TEST_SEED replays)`,
    async (_name, args) => {
      const target = path.join(dir, 'killed.pdf');
      fs.rmSync(target, { force: true });
      // How long this command takes undisturbed here, to spread the kills over its run.
      const probe = await run(args, dir);
      expect(probe.code).toBe(0);
      const spanMs = probe.ms;
      // The output is reproducible (pinned clock): every run that gets as far as the rename
      // leaves exactly these bytes.
      const whole = fs.readFileSync(target);
      fs.rmSync(target, { force: true });
      const rand = prng(SEED + args.length);
      let killed = 0;
      let completed = 0;
      for (let round = 0; round < 12; round++) {
        const before = fs.existsSync(target) ? fs.readFileSync(target) : undefined;
        // Spread over the whole run: start-up, reading, layout, signing and the write itself.
        const r = await run(args, dir, Math.round(rand() * spanMs * 1.1));
        if (r.signal === 'SIGKILL') killed++;
        else {
          expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
          completed++;
        }
        if (!fs.existsSync(target)) {
          expect(before).toBeUndefined();
          continue;
        }
        const after = expectCompletePdf(target);
        // Killed or not: the target is the old file untouched, or the whole new one.
        const same = after.equals(whole) || Boolean(before?.equals(after));
        expect({ round, signal: r.signal, same }).toEqual({ round, signal: r.signal, same: true });
      }
      expect(killed).toBeGreaterThan(3);
      expect(killed + completed).toBe(12);
      // A killed process cannot remove its temporary file; it is never the target itself.
      for (const f of leftovers(dir)) expect(f).toMatch(/^\.srq-tmp-\d+-\d+-/);
    },
    180_000,
  );

  test('the register stays whole through the races and kills: whole lines only, every raced file recorded', () => {
    const r = srq(['register', '--json'], { cwd: dir, env: ENV });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      entries: { path: string; sha256: string }[];
      problems: unknown[];
    };
    expect(report.problems).toEqual([]);
    // One appended write per entry: no torn or interleaved line, even from a killed build.
    const lines = fs.readFileSync(path.join(dir, 'output', 'register.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(report.entries).toHaveLength(lines.length);
    // Of two builds racing to one file, the one that won is among the entries for that file.
    for (let round = 0; round < 4; round++) {
      const file = `race-${round}.pdf`;
      const sha256 = createHash('sha256')
        .update(fs.readFileSync(path.join(dir, file)))
        .digest('hex');
      expect(report.entries.filter((e) => e.path === file).map((e) => e.sha256)).toContain(sha256);
    }
  });
});
