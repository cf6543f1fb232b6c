import fs from 'node:fs';
import path from 'node:path';
import { fitColumns, shorten } from '../../src/cli/register';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';

/** Default names that never overwrite a final document; the register as a user reads it. */

const BASE = 'harbourline-cloud-ltd-harbourline-hosting-platform';

describe('default file names', () => {
  const dir = tempDir();
  fs.copyFileSync(EXAMPLE, path.join(dir, 'a.yaml'));

  test('a draft has its own name and is recorded as a draft; the final is untouched', () => {
    const final = srq(['build', 'a.yaml'], { cwd: dir });
    expect(final.code).toBe(0);
    const draft = srq(['build', 'a.yaml', '--draft'], { cwd: dir });
    expect(draft.code).toBe(0);
    expect(draft.stdout).toMatch(new RegExp(`^wrote output/${BASE}-statement-v3-0-draft\\.pdf `));
    expect(fs.existsSync(path.join(dir, `output/${BASE}-statement-v3-0.pdf`))).toBe(true);
    const lines = fs
      .readFileSync(path.join(dir, 'output/register.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; draft?: boolean });
    expect(lines.map((l) => [l.file, l.draft])).toEqual([
      [`${BASE}-statement-v3-0.pdf`, undefined],
      [`${BASE}-statement-v3-0-draft.pdf`, true],
    ]);
    const reg = srq(['register'], { cwd: dir });
    expect(reg.stdout).toMatch(/statement DRAFT/);
    expect(reg.stdout.split('\n').filter((l) => l.includes('DRAFT'))).toHaveLength(1);
  });

  test('exports spell the version as builds do, and a --max-words export has its own name', () => {
    const full = srq(['export', 'a.yaml', '--format', 'csv'], { cwd: dir });
    expect(full.stdout).toMatch(new RegExp(`^wrote output/${BASE}-v3-0\\.csv `));
    const cut = srq(['export', 'a.yaml', '--format', 'csv', '--max-words', '40'], { cwd: dir });
    expect(cut.code).toBe(0);
    expect(cut.stdout).toMatch(new RegExp(`^wrote output/${BASE}-v3-0-max40words\\.csv `));
    expect(fs.readFileSync(path.join(dir, `output/${BASE}-v3-0.csv`))).not.toEqual(
      fs.readFileSync(path.join(dir, `output/${BASE}-v3-0-max40words.csv`)),
    );
  });

  test('a version written v1.1 names the file -v1-1, not -vv1-1', () => {
    const d = tempDir();
    writeFiles(d, {
      'b.yaml': fs
        .readFileSync(EXAMPLE, 'utf8')
        .replace(/version: "3\.0"/, 'version: "v1.1"')
        .replace(/\n {2}history:\n(?: {4}.*\n)+/, '\n'),
    });
    const r = srq(['build', 'b.yaml'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote output/${BASE}-statement-v1-1\\.pdf `));
  });
});

describe('srq register fits the terminal', () => {
  const head = ['TIME', 'FILE', 'VERSION', 'TEMPLATE', 'TIERS', 'FOR', 'SIGNED BY', 'SHA', 'STATE'];
  const row = [
    '2027-10-25T09:12:40Z',
    `output/${BASE}-statement-v3-1.pdf`,
    '3.1',
    'statement',
    'managed',
    'Acme Borough Council / T-42',
    'CN=Catriona Baird, O=Harbourline Cloud Ltd',
    '3f1c0e9a7b2d4c11',
    'ok',
  ];
  const width = (rows: string[][]) =>
    Math.max(
      ...[head, ...rows].map(
        (r) =>
          r
            .map((c, i) => c.padEnd(Math.max(head[i].length, ...rows.map((x) => x[i].length))))
            .join('  ')
            .trimEnd().length,
      ),
    );
  const shrinkable = [
    { column: 1, keep: 'end' as const },
    { column: 5, keep: 'start' as const },
    { column: 6, keep: 'start' as const },
  ];

  test('an 80-column terminal: paths shortened with "…", keeping the file name', () => {
    const fitted = fitColumns(head, [row], { columns: 120, shrinkable });
    expect(width(fitted)).toBeLessThanOrEqual(120);
    expect(fitted[0][1]).toMatch(/^….*\.pdf$/);
    expect(row[1].endsWith(fitted[0][1].slice(1))).toBe(true);
    expect(fitted[0][0]).toBe(row[0]);
    expect(fitted[0][7]).toBe(row[7]);
  });

  test('piped: every cell whole (the CLI passes no width)', () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'a.yaml'));
    srq(['build', 'a.yaml', '--buyer', 'Acme Borough Council', '--reference', 'T-42'], {
      cwd: dir,
    });
    const r = srq(['register'], { cwd: dir });
    expect(r.stdout).toContain(`output/${BASE}-statement-v3-0.pdf`);
    expect(r.stdout).not.toContain('…');
  });

  test('shorten keeps the start or the end', () => {
    expect(shorten('abcdefghij', 5, 'end')).toBe('…ghij');
    expect(shorten('abcdefghij', 5, 'start')).toBe('abcd…');
    expect(shorten('abc', 5, 'end')).toBe('abc');
  });
});

describe('the clock: --today for users, SRQ_NOW only a test hook', () => {
  test('--today sets the day status counts from', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'answers'));
    fs.copyFileSync(EXAMPLE, path.join(dir, 'answers/a.yaml'));
    const early = srq(['status', '--json', '--today', '2027-01-10'], { cwd: dir });
    const late = srq(['status', '--today', '2028-01-10', '--json'], { cwd: dir });
    const parse = (s: string) =>
      JSON.parse(s) as { today: string; files: { reviewOverdue: boolean }[] };
    expect(parse(early.stdout).today).toBe('2027-01-10');
    expect(parse(early.stdout).files[0].reviewOverdue).toBe(false);
    expect(parse(late.stdout).today).toBe('2028-01-10');
    expect(parse(late.stdout).files[0].reviewOverdue).toBe(true);
  });

  test('a bad --today is a usage error; a bad SRQ_NOW is ignored, never exit 70', () => {
    const bad = srq(['status', '--today', '2027-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'srq: --today 2027-02-30: not a calendar day (write it as YYYY-MM-DD, e.g. --today 2027-10-30)\n',
    );
    const dir = tempDir();
    const r = srq(['--version'], { cwd: dir, env: { SRQ_NOW: 'yesterday' } });
    expect(r.code).toBe(0);
    const st = srq(['status', EXAMPLE, '--json'], { cwd: dir, env: { SRQ_NOW: 'yesterday' } });
    expect(st.code).not.toBe(70);
    expect(st.stderr).not.toContain('internal error');
  });
});
