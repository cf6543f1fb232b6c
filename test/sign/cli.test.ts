import fs from 'node:fs';
import path from 'node:path';
import { srq, tempDir, type CliResult } from '../helpers/cli';
import { makePdf } from './helpers';

/** The real CLI (`node bin/srq.js`), built by `npm test`'s pretest. Keys are made here, never committed. */
const SECRET = 'Tr0ub4dor&3 leak-check passphrase';
const env = { SRQ_KEY_PASSPHRASE: SECRET };

let dir: string;
const outputs: CliResult[] = [];
const run = (args: string[], options: { env?: Record<string, string> } = {}): CliResult => {
  // The passphrase only ever travels in the environment.
  expect(args.join(' ')).not.toContain(SECRET);
  const r = srq(args, { cwd: dir, env: options.env ?? env });
  outputs.push(r);
  return r;
};

beforeAll(async () => {
  dir = tempDir('srq-sign-cli-');
  fs.writeFileSync(path.join(dir, 'statement.pdf'), await makePdf({ placeholder: true }));
  fs.writeFileSync(path.join(dir, 'plain.pdf'), await makePdf());
  const k = run([
    'keygen',
    '--name',
    'Alex Morgan',
    '--email',
    'alex@example.com',
    '-o',
    'provider.p12',
  ]);
  expect(k.code).toBe(0);
  const c = run(['keygen', '--name', 'Sam Patel', '--ca', '--days', '30', '-o', 'customer.p12']);
  expect(c.code).toBe(0);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('srq keygen', () => {
  test('writes a 0600 P12 and prints the fingerprint and validity', () => {
    const stat = fs.statSync(path.join(dir, 'provider.p12'));
    expect(stat.mode & 0o777).toBe(0o600);
    const out = outputs[0].stdout;
    expect(out).toMatch(/SHA-256:\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(out).toContain('CN=Alex Morgan');
    expect(out).toMatch(/valid:\s+2026-11-22T11:59:00.000Z to 2027-11-22T/);
  });

  test('refuses to overwrite', () => {
    const before = fs.readFileSync(path.join(dir, 'provider.p12'));
    const r = run(['keygen', '--name', 'X', '-o', 'provider.p12']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/already exists/);
    expect(fs.readFileSync(path.join(dir, 'provider.p12')).equals(before)).toBe(true);
  });

  test('without SRQ_KEY_PASSPHRASE and without a terminal: usage error, no file', () => {
    const r = run(['keygen', '--name', 'X', '-o', 'nokey.p12'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set SRQ_KEY_PASSPHRASE/);
    expect(fs.existsSync(path.join(dir, 'nokey.p12'))).toBe(false);
  });
});

describe('srq sign and srq verify', () => {
  test('sign the reserved field, then verify: exit 0', () => {
    const s = run(['sign', 'statement.pdf', '--key', 'provider.p12']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('Signed statement-signed.pdf');
    // Intact but from a certificate nobody said to trust: exit 1, saying how to trust it.
    const u = run(['verify', 'statement-signed.pdf']);
    expect(u.code).toBe(1);
    expect(u.stderr.trim()).toMatch(
      /^srq: statement-signed.pdf: not valid: not trusted: the certificate of CN=Alex Morgan, emailAddress=alex@example.com \(SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\) is not one you trust \(the file is intact, .*run: srq verify statement-signed.pdf --trust </,
    );
    const v = run(['verify', 'statement-signed.pdf', '--trust', 'provider-cert.pem']);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('1. CN=Alex Morgan, emailAddress=alex@example.com: valid');
    expect(v.stdout).toMatch(
      /trusted: +yes, by CN=Alex Morgan, emailAddress=alex@example.com from provider-cert.pem/,
    );
    // The same through SRQ_TRUST (a folder).
    fs.mkdirSync(path.join(dir, 'trusted'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'provider-cert.pem'), path.join(dir, 'trusted', 'p.pem'));
    const e = run(['verify', 'statement-signed.pdf'], { env: { ...env, SRQ_TRUST: 'trusted' } });
    expect(e.code).toBe(0);
  });

  test('countersign: two valid signatures, --json', () => {
    const s = run([
      'sign',
      'statement-signed.pdf',
      '--key',
      'customer.p12',
      '-o',
      'counter.pdf',
      '--reason',
      'Countersigned',
    ]);
    expect(s.code).toBe(0);
    const v = run([
      'verify',
      'counter.pdf',
      '--json',
      '--trust',
      'provider-cert.pem',
      '--trust',
      'customer-cert.pem',
    ]);
    expect(v.code).toBe(0);
    const report = JSON.parse(v.stdout) as {
      valid: boolean;
      signatures: { signer: string; valid: boolean }[];
    };
    expect(report.valid).toBe(true);
    expect(report.signatures.map((x) => [x.signer, x.valid])).toEqual([
      ['CN=Alex Morgan, emailAddress=alex@example.com', true],
      ['CN=Sam Patel', true],
    ]);
  });

  test('a PDF with no field gets one; --signing-time gives the same bytes twice', () => {
    for (const out of ['a.pdf', 'b.pdf']) {
      const r = run([
        'sign',
        'plain.pdf',
        '--key',
        'provider.p12',
        '-o',
        out,
        '--signing-time',
        '2026-11-23T10:00:00Z',
      ]);
      expect(r.code).toBe(0);
    }
    expect(
      fs.readFileSync(path.join(dir, 'a.pdf')).equals(fs.readFileSync(path.join(dir, 'b.pdf'))),
    ).toBe(true);
    expect(run(['verify', 'a.pdf', '--trust', 'provider-cert.pem']).code).toBe(0);
  });

  test('refuses to overwrite the output without --force', () => {
    const r = run(['sign', 'statement.pdf', '--key', 'provider.p12']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/already exists \(use --force/);
  });

  test('wrong passphrase: one line, exit 1, no output file', () => {
    const r = run(['sign', 'statement.pdf', '--key', 'provider.p12', '-o', 'wrong.pdf'], {
      env: { SRQ_KEY_PASSPHRASE: 'not the passphrase' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('srq: provider.p12: wrong passphrase (check SRQ_KEY_PASSPHRASE)');
    expect(fs.existsSync(path.join(dir, 'wrong.pdf'))).toBe(false);
  });

  test('a corrupt key file: exit 1', () => {
    fs.writeFileSync(path.join(dir, 'corrupt.p12'), 'definitely not PKCS#12');
    const r = run(['sign', 'statement.pdf', '--key', 'corrupt.p12', '-o', 'corrupt.pdf']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a PKCS#12/);
    expect(fs.existsSync(path.join(dir, 'corrupt.pdf'))).toBe(false);
  });

  test('signing-time outside the certificate: refused unless --allow-expired', () => {
    const late = [
      'sign',
      'statement.pdf',
      '--key',
      'customer.p12',
      '-o',
      'late.pdf',
      '--signing-time',
      '2027-06-01T00:00:00Z',
    ];
    const r = run(late);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/certificate expired/);
    expect(run([...late, '--allow-expired']).code).toBe(0);
    // The claimed time proves nothing: checked when the certificate has expired, it fails.
    const v = run(['verify', 'late.pdf', '--trust', 'customer-cert.pem'], {
      env: { ...env, SRQ_NOW: '2027-06-01T00:00:00Z' },
    });
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(
      /not valid: the certificate of CN=Sam Patel is not valid at 2027-06-01T00:00:00.000Z/,
    );
  });

  test('no passphrase and no terminal: exit 2 naming SRQ_KEY_PASSPHRASE', () => {
    const r = run(['sign', 'statement.pdf', '--key', 'provider.p12', '-o', 'x.pdf'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set SRQ_KEY_PASSPHRASE/);
  });

  test('verify: tampered, unsigned, not a PDF, missing', () => {
    const signed = fs.readFileSync(path.join(dir, 'statement-signed.pdf'));
    const tampered = Buffer.from(signed);
    tampered[60] = tampered[60] ^ 1;
    fs.writeFileSync(path.join(dir, 'tampered.pdf'), tampered);
    fs.writeFileSync(path.join(dir, 'text.pdf'), 'just text');
    fs.writeFileSync(
      path.join(dir, 'appended.pdf'),
      Buffer.concat([signed, Buffer.from('% more\n')]),
    );

    const t = run(['verify', 'tampered.pdf', '--trust', 'provider-cert.pem']);
    expect([t.code, t.stderr.trim()]).toEqual([
      1,
      'srq: tampered.pdf: not valid: digest mismatch (the file was changed after it was signed; ask the signer for the signed original)',
    ]);
    const a = run(['verify', 'appended.pdf', '--trust', 'provider-cert.pem']);
    expect([a.code, a.stderr.trim()]).toEqual([
      1,
      'srq: appended.pdf: not valid: modified after signing: 7 bytes after the last %%EOF (byte ' +
        signed.length +
        ') that no cross-reference lists (it was changed after it was signed: an update was added after the last signature that the signer did not permit; ask the signer for the signed original)',
    ]);
    const u = run(['verify', 'plain.pdf']);
    expect([u.code, u.stderr.trim()]).toEqual([
      1,
      'srq: plain.pdf: not valid: no signature (sign it with srq sign)',
    ]);
    const n = run(['verify', 'text.pdf']);
    expect([n.code, n.stderr.trim()]).toEqual([
      1,
      'srq: text.pdf: not a PDF file (no %PDF- header; check that this is the PDF you meant)',
    ]);
    const m = run(['verify', 'missing.pdf']);
    expect(m.code).toBe(3);
    expect(m.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the passphrase never leaks', () => {
  test('not in any output, error message or file', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const r of outputs) {
      expect(r.stdout).not.toContain(SECRET);
      expect(r.stderr).not.toContain(SECRET);
    }
    const needles = [
      Buffer.from(SECRET, 'utf8'),
      Buffer.from(SECRET, 'utf16le'),
      Buffer.from(SECRET, 'utf16le').swap16(),
    ];
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (fs.statSync(path.join(dir, f)).isDirectory()) continue;
      const bytes = fs.readFileSync(path.join(dir, f));
      for (const n of needles) expect(bytes.includes(n)).toBe(false);
    }
  });
});
