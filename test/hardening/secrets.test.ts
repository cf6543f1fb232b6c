import fs from 'node:fs';
import path from 'node:path';
import { loadSigningKey } from '../../src/sign/p12';
import { EXAMPLE, srq, tempDir, type CliResult } from '../helpers/cli';

/**
 * Issue 8, "secrets": no passphrase or key material in argv, logs, errors, temporary files or
 * the register — including with --debug and on every failure path. (test/sign/cli.test.ts
 * checks the ordinary outputs; this goes through the corners.)
 */

const SECRET = 'sEcReT-ϖ-9f3c horse battery staple';
const WRONG = 'wrong-0d1e horse battery';

/** Every file below `dir`, recursively. */
function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? allFiles(p) : [p];
  });
}

describe('secrets never leak', () => {
  const dir = tempDir('srq-secrets-');
  // The processes' own temporary folder, so anything they put in "/tmp" is inspected too.
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const env = { SRQ_KEY_PASSPHRASE: SECRET, TMPDIR: tmp };
  const results: CliResult[] = [];
  const cli = (args: string[], extra: Record<string, string> = {}) => {
    const r = srq(args, { cwd: dir, env: { ...env, ...extra } });
    results.push(r);
    return r;
  };
  let keyDer: Buffer[] = [];

  beforeAll(() => {
    fs.copyFileSync(EXAMPLE, path.join(dir, 'example.yaml'));
    expect(cli(['keygen', '--name', 'Secrets TEST', '-o', 'key.p12', '--debug']).code).toBe(0);
    // The private key's own numbers, to look for in everything written afterwards.
    const p12 = fs.readFileSync(path.join(dir, 'key.p12'));
    // NOTE: node-forge cannot decrypt a PBES2 certificate bag (OpenSSL 3's format), so the key
    // comes from srq's reader, as a JWK: its private numbers.
    const jwk = loadSigningKey(p12, SECRET).privateKey.export({ format: 'jwk' });
    keyDer = [jwk.d!, jwk.p!, jwk.q!].map((b64) => Buffer.from(b64, 'base64url'));
    for (const args of [
      ['build', 'example.yaml', '-o', 'out/signed.pdf', '--sign', '--key', 'key.p12', '--debug'],
      ['sign', 'out/signed.pdf', '--key', 'key.p12', '-o', 'out/counter.pdf', '--debug'],
      ['verify', 'out/counter.pdf', '--json', '--debug', '--trust', 'key-cert.pem'],
      ['register', '--json', '--debug'],
    ]) {
      fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
      expect({ args, code: cli(args).code }).toEqual({ args, code: 0 });
    }
    // Failure paths, with --debug so stack traces are printed too.
    const failing: [string[], Record<string, string>][] = [
      [
        ['build', 'example.yaml', '-o', 'out/x.pdf', '--sign', '--key', 'key.p12', '--debug'],
        { SRQ_KEY_PASSPHRASE: WRONG },
      ],
      [
        ['sign', 'out/signed.pdf', '--key', 'key.p12', '-o', 'out/y.pdf', '--debug'],
        { SRQ_KEY_PASSPHRASE: WRONG },
      ],
      [['sign', 'example.yaml', '--key', 'key.p12', '-o', 'out/z.pdf', '--debug'], {}],
      [['sign', 'out/signed.pdf', '--key', 'example.yaml', '-o', 'out/z.pdf', '--debug'], {}],
      [['keygen', '--name', 'Again', '-o', 'key.p12', '--debug'], {}],
    ];
    for (const [args, extra] of failing) {
      const r = cli(args, extra);
      expect({ args, code: r.code }).toEqual({ args, code: expect.any(Number) as number });
      expect(r.code).not.toBe(0);
    }
  }, 120_000);

  test('a passphrase cannot be given on the command line', () => {
    for (const args of [
      ['sign', 'out/signed.pdf', '--key', 'key.p12', '--passphrase', SECRET],
      ['keygen', '--name', 'X', '-o', 'k2.p12', '--passphrase', SECRET],
      ['build', 'example.yaml', '--sign', '--key', 'key.p12', `--passphrase=${SECRET}`],
    ]) {
      const r = srq(args, { cwd: dir, env: { TMPDIR: tmp } });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(/unknown option '--passphrase/);
      // Commander echoes the unknown option's name only, never its value.
      expect(r.stderr).not.toContain(SECRET);
    }
    expect(fs.existsSync(path.join(dir, 'k2.p12'))).toBe(false);
  });

  test('not in stdout or stderr of any command, even with --debug and on failures', () => {
    expect(results.length).toBeGreaterThanOrEqual(10);
    for (const r of results) {
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain(WRONG);
      expect(r.stdout + r.stderr).not.toMatch(/PRIVATE KEY/);
    }
    // The failures did fail, and said why without the secret.
    expect(results.some((r) => /wrong passphrase/.test(r.stderr))).toBe(true);
  });

  test('not in any file written (PDFs, register, temporary folder), in any encoding', () => {
    const files = allFiles(dir).filter((f) => path.basename(f) !== 'example.yaml');
    expect(files.map((f) => path.relative(dir, f)).sort()).toEqual(
      expect.arrayContaining(['key.p12', 'out/signed.pdf', 'out/counter.pdf']),
    );
    const needles = [SECRET, WRONG].flatMap((s) => [
      Buffer.from(s, 'utf8'),
      Buffer.from(s, 'utf16le'),
      Buffer.from(s, 'utf16le').swap16(),
      Buffer.from(s, 'latin1'),
    ]);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const n of needles) expect({ f, leak: bytes.includes(n) }).toEqual({ f, leak: false });
      if (path.basename(f) === 'key.p12') continue;
      // No private key anywhere but the (encrypted) P12: neither PEM nor its raw numbers.
      expect({ f, pem: bytes.includes('PRIVATE KEY') }).toEqual({ f, pem: false });
      for (const k of keyDer) expect({ f, key: bytes.includes(k) }).toEqual({ f, key: false });
    }
    // Nothing was left behind in the temporary folder.
    expect(allFiles(tmp)).toEqual([]);
  });

  test('no piece of the P12 is written anywhere else (but the certificate a signed PDF carries)', () => {
    const p12 = fs.readFileSync(path.join(dir, 'key.p12'));
    const certDer = loadSigningKey(p12, SECRET).certificate;
    // Every 48-byte stretch of the P12 (encrypted key bag, salts, MAC) that is not certificate.
    const pieces: Buffer[] = [];
    for (let at = 0; at + 48 <= p12.length; at += 16) {
      const piece = p12.subarray(at, at + 48);
      if (!certDer.includes(piece)) pieces.push(piece);
    }
    expect(pieces.length).toBeGreaterThan(20);
    for (const f of allFiles(dir).filter((x) => path.basename(x) !== 'key.p12')) {
      const bytes = fs.readFileSync(f);
      const found = pieces.filter((piece) => bytes.includes(piece)).length;
      expect({ f, found }).toEqual({ f, found: 0 });
    }
  });

  test('the register records the signer subject, not the key', () => {
    const register = fs.readFileSync(path.join(dir, 'output', 'register.jsonl'), 'utf8');
    expect(register).toMatch(/CN=Secrets TEST/);
    expect(register).not.toContain(SECRET);
    expect(register).not.toMatch(/key\.p12/);
  });
});
