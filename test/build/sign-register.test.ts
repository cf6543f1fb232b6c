import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, ROOT, srq, tempDir, writeFiles } from '../helpers/cli';
import { pdfText, squash } from '../helpers/pdf';
import { testKey, PASSPHRASE } from '../sign/helpers';

/** build --sign, the register, overwrite protection and --changes-since, through the real CLI. */
describe('srq build: signing, register, overwrite protection, changes appendix', () => {
  const dir = tempDir();
  const env = { SRQ_KEY_PASSPHRASE: PASSPHRASE };
  const SIGNING = ['--signing-time', '2026-11-22T12:00:00Z'];

  beforeAll(() => {
    const key = testKey({ name: 'Harbourline Compliance TEST' });
    writeFiles(dir, { 'key.p12': key.p12, 'key-cert.pem': key.certificatePem });
    fs.copyFileSync(EXAMPLE, path.join(dir, 'example.yaml'));
  });

  test('build --sign writes a PDF that verifies, with the signer on the sign-off page', () => {
    const r = srq(
      ['build', 'example.yaml', '-o', 'signed.pdf', '--sign', '--key', 'key.p12', ...SIGNING],
      { cwd: dir, env },
    );
    expect(r.stderr).not.toMatch(/srq: (?!warning)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote signed\.pdf \(\d+ pages, \d+ KB\), signed by CN=Harbourline Compliance TEST/m,
    );
    const v = srq(['verify', 'signed.pdf', '--json', '--trust', 'key-cert.pem'], { cwd: dir });
    expect(v.code).toBe(0);
    const report = JSON.parse(v.stdout) as {
      valid: boolean;
      signatures: { subject: string; subFilter?: string }[];
    };
    expect(report.valid).toBe(true);
    expect(report.signatures).toHaveLength(1);
    const pdf = fs.readFileSync(path.join(dir, 'signed.pdf'));
    expect(pdf.toString('latin1')).toMatch(
      /\/Reason \(Approved statement of Harbourline Cloud Ltd, version 3\.0\)/,
    );
    const last = squash(pdfText(pdf).pages.at(-1)!);
    expect(last).toMatch(/Sign-off/);
    expect(last).toMatch(/Digitally signed by Harbourline Compliance TEST/);
  });

  test('the same key and signing time give byte-identical signed PDFs', () => {
    const args = ['build', 'example.yaml', '--sign', '--key', 'key.p12', ...SIGNING];
    expect(srq([...args, '-o', 'a.pdf'], { cwd: dir, env }).code).toBe(0);
    expect(srq([...args, '-o', 'b.pdf'], { cwd: dir, env }).code).toBe(0);
    expect(
      fs.readFileSync(path.join(dir, 'a.pdf')).equals(fs.readFileSync(path.join(dir, 'b.pdf'))),
    ).toBe(true);
  });

  test('every build is in the register with the right hashes and signer', () => {
    const lines = fs
      .readFileSync(path.join(dir, 'output', 'register.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = lines.find((e) => e.file === '../signed.pdf')!;
    expect(entry).toBeDefined();
    const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    expect(entry.sha256).toBe(sha(path.join(dir, 'signed.pdf')));
    expect(entry.answersSha256).toBe(sha(path.join(dir, 'example.yaml')));
    expect(entry).toMatchObject({
      version: '3.0',
      template: 'statement',
      tiers: ['unmanaged', 'managed', 'fully-managed'],
    });
    expect(entry.signerSubject).toMatch(/^CN=Harbourline Compliance TEST\b/);
    const listed = srq(['register'], { cwd: dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/signed\.pdf/);
  });

  test('srq sign of a registered build records the signed file; verify names the register entry', () => {
    expect(
      srq(['build', 'example.yaml', '-o', 'later.pdf', '--buyer', 'Kelvinside Council'], {
        cwd: dir,
      }).code,
    ).toBe(0);
    const s = srq(['sign', 'later.pdf', '--key', 'key.p12', ...SIGNING], { cwd: dir, env });
    expect(s.code).toBe(0);
    const v = srq(['verify', 'later-signed.pdf', '--trust', 'key-cert.pem'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(
      /^Register: issued 2026-11-22 as later-signed\.pdf \(version 3\.0, statement, for Kelvinside Council\)$/m,
    );
    const unknown = srq(['verify', 'signed.pdf', '--trust', 'key-cert.pem'], { cwd: dir });
    expect(unknown.stdout).toMatch(/Register: issued/);
    fs.copyFileSync(path.join(dir, 'later-signed.pdf'), path.join(dir, 'copy.pdf'));
    fs.appendFileSync(path.join(dir, 'copy.pdf'), '\n');
    const changed = srq(['verify', 'copy.pdf', '--trust', 'key-cert.pem'], { cwd: dir });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/Register: this exact file is not in output\/register\.jsonl/);
  });

  test('a signed PDF is never overwritten without --force; an unsigned one is', () => {
    const before = fs.readFileSync(path.join(dir, 'signed.pdf'));
    const r = srq(['build', 'example.yaml', '-o', 'signed.pdf'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^srq: signed\.pdf: a signed PDF already exists there \(choose another path with -o, or --force to replace it\)$/m,
    );
    expect(fs.readFileSync(path.join(dir, 'signed.pdf')).equals(before)).toBe(true);
    expect(srq(['build', 'example.yaml', '-o', 'plain.pdf'], { cwd: dir }).code).toBe(0);
    expect(srq(['build', 'example.yaml', '-o', 'plain.pdf'], { cwd: dir }).code).toBe(0);
    expect(srq(['build', 'example.yaml', '-o', 'signed.pdf', '--force'], { cwd: dir }).code).toBe(
      0,
    );
  });

  test('a wrong passphrase fails before building and leaves no file', () => {
    const r = srq(['build', 'example.yaml', '-o', 'wrong.pdf', '--sign', '--key', 'key.p12'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: 'not it' },
    });
    expect(r.code).toBe(1);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('srq:')),
    ).toHaveLength(1);
    expect(r.stderr).not.toContain('not it');
    expect(fs.existsSync(path.join(dir, 'wrong.pdf'))).toBe(false);
  });

  test('--draft with --sign is refused', () => {
    const r = srq(['build', 'example.yaml', '--draft', '--sign', '--key', 'key.p12'], {
      cwd: dir,
      env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a draft cannot be signed/);
  });

  test('--sign without a passphrase and without a terminal is a usage error', () => {
    const r = srq(['build', 'example.yaml', '-o', 'nopass.pdf', '--sign', '--key', 'key.p12'], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set SRQ_KEY_PASSPHRASE/);
    expect(fs.existsSync(path.join(dir, 'nopass.pdf'))).toBe(false);
  });

  test('--changes-since adds a "Changes since version" section built from the diff', () => {
    const yearly = path.join(ROOT, 'test', 'fixtures', 'yearly');
    const r = srq(
      [
        'build',
        path.join(yearly, 'v2.yaml'),
        '--changes-since',
        path.join(yearly, 'v1.yaml'),
        '-o',
        'v2.pdf',
        '--draft',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const text = squash(pdfText(fs.readFileSync(path.join(dir, 'v2.pdf'))).text);
    expect(text).toMatch(/Changes since version 3\.0/);
    expect(text).toMatch(/WireGuard/);
    expect(text).toMatch(/Backup and recovery service/);
    const plain = squash(pdfText(fs.readFileSync(path.join(dir, 'plain.pdf'))).text);
    expect(plain).not.toMatch(/Changes since version/);
  });
});

test('npm start (srq example) builds a signed example with a DEMO certificate in a git-ignored folder', () => {
  const dir = tempDir();
  const r = srq(['example'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/made a demo certificate in \.demo-key\/demo\.p12 \(CN=srq DEMO signer/);
  expect(r.stdout).toMatch(
    /npx srq verify output\/example-statement-signed\.pdf --trust \.demo-key\/demo-cert\.pem/,
  );
  expect((fs.statSync(path.join(dir, '.demo-key', 'demo.p12')).mode & 0o777).toString(8)).toBe(
    '600',
  );
  expect(srq(['verify', 'output/example-statement-signed.pdf'], { cwd: dir }).code).toBe(1);
  expect(
    srq(['verify', 'output/example-statement-signed.pdf', '--trust', '.demo-key/demo-cert.pem'], {
      cwd: dir,
    }).code,
  ).toBe(0);
  // A second run reuses the key and remakes the demo output.
  const again = srq(['example'], { cwd: dir });
  expect(again.code).toBe(0);
  expect(again.stdout).not.toMatch(/made a demo certificate/);
  expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.demo-key\/$/m);
});
