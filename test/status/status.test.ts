import fs from 'node:fs';
import path from 'node:path';
import { recordBuild, registerPath } from '../../src/register';
import { evidenceFlags } from '../../src/status';
import type { FileStatus } from '../../src/status';
import { EXAMPLE_CUSTOMER, srq, tempDir, writeFiles } from '../helpers/cli';
import { editedAnswers, V1 } from '../helpers/yearly';

/*
 * The v1 fixture: review 2027-11-02; evidence expiring 2028-03-14 (iso27001, iso27017),
 * 2027-05-20 (cyber-essentials-plus), 2027-12-15 (pen-test-2026), 2028-06-30 (iso22301);
 * principle 4 unanswered.
 */
const complete = () =>
  editedAnswers([
    [
      ['answers', '4'],
      {
        provider: 'We govern security.',
        tiers: { unmanaged: 'provider', managed: 'provider', 'fully-managed': 'provider' },
      },
    ],
  ]);

type Report = { failing: boolean; today: string; files: FileStatus[] };

function statusIn(files: Record<string, string>, now: string, args: string[] = []) {
  const dir = tempDir('srq-status-');
  writeFiles(dir, files);
  const r = srq(['status', ...args], { cwd: dir, env: { SRQ_NOW: now } });
  return { dir, ...r };
}

describe('srq status', () => {
  test('nothing due: exit 0, with one row per file', () => {
    const ok = complete().replace('expires: 2027-05-20', 'expires: 2028-05-20');
    const r = statusIn({ 'answers/cloud.yaml': ok }, '2026-11-22T12:00:00Z');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'FILE',
      'PROVIDER',
      'SERVICE',
      'VERSION',
      'ISSUED',
      'REVIEW',
      'EVIDENCE',
      'UNANSWERED',
      'ANSWERS',
      'SIGNED',
    ]);
    expect(lines[1].split(/\s{2,}/)).toEqual([
      'answers/cloud.yaml',
      'Harbourline Cloud Ltd',
      'Harbourline Hosting Platform',
      '3.0',
      '2026-11-02',
      '2027-11-02',
      'ok',
      '0',
      '—',
      'no',
    ]);
    expect(r.stdout).toMatch(/1 answers file\(s\) on 2026-11-22: nothing overdue or expired\n$/);
  });

  test('evidence expiring before the review date and unanswered principles are flagged, exit 0', () => {
    const r = statusIn(
      { 'answers/cloud.yaml': fs.readFileSync(V1, 'utf8') },
      '2026-11-22T12:00:00Z',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'answers/cloud.yaml: evidence cyber-essentials-plus (Cyber Essentials Plus certificate) expires on 2027-05-20, before the review date 2027-11-02\n',
    );
    expect(r.stdout).toContain(
      'answers/cloud.yaml: 1 unanswered principle(s): 4 (answer them with srq interview answers/cloud.yaml)\n',
    );
    expect(r.stdout).toMatch(/1 before review\s+1\s+—\s+no\n/);
  });

  test('evidence expiring within 60 days is flagged; on its expiry day it is still valid', () => {
    const r = statusIn({ 'answers/cloud.yaml': complete() }, '2027-05-20T09:00:00Z');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'evidence cyber-essentials-plus (Cyber Essentials Plus certificate) expires on 2027-05-20, in 0 days (plan its renewal)',
    );
    expect(r.stdout).not.toContain('pen-test-2026 (');
  });

  test('expired evidence: exit 1', () => {
    const r = statusIn({ 'answers/cloud.yaml': complete() }, '2027-05-21T00:00:00Z');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'answers/cloud.yaml: evidence cyber-essentials-plus (Cyber Essentials Plus certificate) expired on 2027-05-20 (renew it and update its expires date, or remove it)',
    );
    expect(r.stdout).toMatch(/1 EXPIRED/);
    expect(r.stdout).toMatch(/1 need\(s\) action now/);
  });

  test('overdue review: exit 1, with the fix', () => {
    const noExpiry = complete().replace(/expires: 20\d\d-\d\d-\d\d/g, 'expires: 2030-01-01');
    const r = statusIn({ 'answers/cloud.yaml': noExpiry }, '2027-11-03T08:00:00Z');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2027-11-02 OVERDUE');
    expect(r.stdout).toContain(
      'answers/cloud.yaml: review overdue by 1 days (due 2027-11-02; run srq review answers/cloud.yaml)',
    );
    const dayBefore = statusIn({ 'answers/cloud.yaml': noExpiry }, '2027-11-02T23:00:00Z');
    expect(dayBefore.code).toBe(0);
    expect(dayBefore.stdout).toContain('2027-11-02 (in 0 days)');
  });

  test('an invalid file makes status fail and says how to see why; customer files are counted', () => {
    const r = statusIn(
      {
        'answers/a.yaml': complete(),
        'answers/b.yaml': 'framework: ncsc-2023\nprovider: [\n',
        'answers/customer.yaml': fs
          .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
          .replace(/^provider: .*$/m, 'provider: a.yaml'),
      },
      '2026-11-22T12:00:00Z',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^answers\/b\.yaml\s+INVALID$/m);
    expect(r.stdout).toMatch(/^answers\/b\.yaml:\d+:\d+: /m);
    expect(r.stdout).toContain(
      'answers/b.yaml: invalid answers file (run srq validate answers/b.yaml)',
    );
    expect(r.stdout).toMatch(
      /2 answers file\(s\) and 1 customer file\(s\) on 2026-11-22: 1 need\(s\) action now .*\n$/,
    );
  });

  test("customer files are checked: their unanswered parts and the provider's evidence for their tier", () => {
    const r = statusIn(
      {
        'answers/a.yaml': complete(),
        'answers/customer.yaml': fs
          .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
          .replace(/^provider: .*$/m, 'provider: a.yaml')
          .replace(/^ {2}"5\.2":\n(?: {4}.*\n)+\n/m, ''),
      },
      '2027-06-01T12:00:00Z',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^answers\/customer\.yaml\s+Harbourline Cloud Ltd .* 1 EXPIRED\s+1\s+—\s*$/m,
    );
    expect(r.stdout).toContain(
      "answers/customer.yaml: the provider's evidence cyber-essentials-plus (Cyber Essentials Plus certificate) for tier managed expired on 2027-05-20 (ask Harbourline Cloud Ltd for the renewed one)",
    );
    expect(r.stdout).toContain(
      'answers/customer.yaml: 1 unanswered principle(s): 5.2 (answer them with srq customer answers/a.yaml --tier managed -o answers/customer.yaml)',
    );
  });

  test('a signed build of this version in the register shows as signed; an older version does not', () => {
    const dir = tempDir('srq-status-');
    writeFiles(dir, { 'answers/cloud.yaml': complete() });
    const answersFile = path.join(dir, 'answers', 'cloud.yaml');
    const build = (version: string, signerSubject?: string) =>
      recordBuild({
        outputDir: path.join(dir, 'output'),
        pdfPath: path.join(dir, 'output', `v${version}.pdf`),
        pdfBytes: Buffer.from(version),
        answersFile,
        version,
        template: 'statement',
        tiers: [],
        time: new Date('2026-11-20T10:00:00Z'),
        ...(signerSubject ? { signerSubject } : {}),
      });
    build('2.0', 'CN=Old Signer');
    build('3.0');
    const json = () => {
      const r = srq(['status', '--json'], { cwd: dir });
      return JSON.parse(r.stdout) as Report;
    };
    expect(json().files[0]).toMatchObject({ builds: 1, signed: false });
    expect(srq(['status'], { cwd: dir }).stdout).toMatch(/\s0\s+—\s+unsigned\n/);
    build('3.0', 'CN=Catriona Baird');
    expect(json().files[0]).toMatchObject({
      builds: 2,
      signed: true,
      signedBy: 'CN=Catriona Baird',
    });
    expect(srq(['status'], { cwd: dir }).stdout).toMatch(/\s0\s+—\s+yes\n/);
    // A register kept elsewhere: paths in it are relative to its folder, so the folder moves whole.
    fs.renameSync(path.join(dir, 'output'), path.join(dir, 'archive'));
    expect(fs.existsSync(registerPath(path.join(dir, 'archive')))).toBe(true);
    expect(json().files[0].signed).toBe(false);
    const moved = JSON.parse(
      srq(['status', '--json', '--register', 'archive/register.jsonl'], { cwd: dir }).stdout,
    ) as Report;
    expect(moved.files[0].signed).toBe(true);
  });

  test('--json: the same facts, machine-readable, same exit code', () => {
    const r = statusIn(
      { 'answers/cloud.yaml': fs.readFileSync(V1, 'utf8') },
      '2027-12-01T00:00:00Z',
      ['--json'],
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as Report;
    expect(j.today).toBe('2027-12-01');
    expect(j.failing).toBe(true);
    expect(j.files[0]).toMatchObject({
      file: 'answers/cloud.yaml',
      kind: 'provider',
      version: '3.0',
      review: '2027-11-02',
      reviewInDays: -29,
      reviewOverdue: true,
      unanswered: ['4'],
      signed: false,
      failing: true,
    });
    expect(j.files[0].evidence).toEqual([
      {
        id: 'cyber-essentials-plus',
        name: 'Cyber Essentials Plus certificate',
        expires: '2027-05-20',
        state: 'expired',
        days: -195,
      },
      {
        id: 'pen-test-2026',
        name: 'Independent penetration test of the platform and customer portal (2026)',
        expires: '2027-12-15',
        state: 'expiring',
        days: 14,
      },
    ]);
  });

  test('a folder argument, a single file, an empty folder (exit 2) and a missing one (exit 3)', () => {
    const dir = tempDir('srq-status-');
    writeFiles(dir, { 'elsewhere/x.yaml': complete(), 'empty/readme.txt': 'nothing' });
    expect(srq(['status', 'elsewhere'], { cwd: dir }).code).toBe(0);
    expect(srq(['status', 'elsewhere/x.yaml'], { cwd: dir }).stdout).toMatch(
      /^elsewhere\/x\.yaml\s/m,
    );
    const empty = srq(['status', 'empty'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(
      'srq: empty: no answers files (*.yaml) in this folder (give the folder that holds them: srq status <dir>)\n',
    );
    const missing = srq(['status'], { cwd: dir });
    expect(missing.code).toBe(3);
    // It says what it looked for.
    expect(missing.stderr).toMatch(
      /^srq: no answers\/ folder here \(.*\): srq status looks for answers files \(\*\.yaml\) in answers\//,
    );
  });
});

describe('evidenceFlags', () => {
  test('boundaries: 60 days ahead is expiring, 61 is not; before-review only when not sooner', () => {
    const ev = (expires: string) => [{ id: 'e', name: 'E', expires }];
    expect(evidenceFlags(ev('2027-01-21'), '2026-11-22', '2027-11-22')[0].state).toBe('expiring');
    expect(evidenceFlags(ev('2027-01-22'), '2026-11-22', '2027-11-22')[0].state).toBe(
      'before-review',
    );
    expect(evidenceFlags(ev('2027-11-22'), '2026-11-22', '2027-11-22')).toEqual([]);
    expect(evidenceFlags([{ id: 'x', name: 'X' }], '2026-11-22', '2027-11-22')).toEqual([]);
  });
});
