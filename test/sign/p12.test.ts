import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { generateSelfSignedP12, type KeyType } from '../../src/sign/keygen';
import { WrongPassphraseError, loadSigningKey, writeP12 } from '../../src/sign/p12';
import { signPdf } from '../../src/sign/signer';
import { verifyPdf } from '../../src/sign/verify';
import { layoutAppearance } from '../../src/pdf/signature-appearance';
import { srq, tempDir } from '../helpers/cli';
import { SIGNED_AT, anchorsFor, makePdf } from './helpers';

/**
 * srq's own P12 round trip, checked against the ASN.1 itself (node-forge's parser, not srq's
 * reader): the algorithms OpenSSL 3 writes by default, and the passphrase encodings it expects.
 */
const PASS = 'Pässwörd-ключ-🔑';
const OIDS = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha256: '1.2.840.113549.2.9',
  aes256: '2.16.840.1.101.3.4.1.42',
  sha256: '2.16.840.1.101.3.4.2.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
};
type Node = forge.asn1.Asn1;
const parse = (b: Buffer): Node => forge.asn1.fromDer(b.toString('binary'));
const kids = (n: Node): Node[] => n.value as Node[];
const oidOf = (n: Node) => forge.asn1.derToOid(n.value as string);
const bytes = (n: Node) => Buffer.from(n.value as string, 'binary');

const make = (keyType: KeyType, passphrase = PASS) =>
  generateSelfSignedP12({
    name: `Key ${keyType}`,
    email: 'keys@example.com',
    passphrase,
    keyType,
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validTo: new Date('2036-01-01T00:00:00Z'),
  });

describe.each(['rsa', 'ec-p256', 'ec-p384'] as const)('%s key', (keyType) => {
  const made = make(keyType);

  test('opens with its non-ASCII passphrase; the key matches the certificate', () => {
    const key = loadSigningKey(made.p12, PASS);
    expect(key.x509.subject).toContain(`CN=Key ${keyType}`);
    expect(key.privateKey.asymmetricKeyType).toBe(keyType === 'rsa' ? 'rsa' : 'ec');
    const data = Buffer.from('check');
    const sig = crypto.sign(null, data, key.privateKey);
    expect(crypto.verify(null, data, key.x509.publicKey, sig)).toBe(true);
    expect(key.chainComplete).toBe(true);
  });

  test('SHA-256 MAC whose key is the PKCS#12 KDF of the BMPString passphrase', () => {
    const pfx = kids(parse(made.p12));
    const [digestInfo, salt, iter] = kids(pfx[2]);
    expect(oidOf(kids(kids(digestInfo)[0])[0])).toBe(OIDS.sha256);
    const iterations = Buffer.from(iter.value as string, 'binary').readUIntBE(
      0,
      (iter.value as string).length,
    );
    expect(iterations).toBeGreaterThanOrEqual(2048);
    // Independent: node-forge's own JavaScript PKCS#12 KDF and HMAC.
    const authSafe = bytes(kids(kids(pfx[1])[1])[0]);
    const macKey = (
      forge.pkcs12 as unknown as {
        generateKey: (
          p: string,
          s: string,
          id: number,
          it: number,
          n: number,
          md: forge.md.MessageDigest,
        ) => forge.util.ByteStringBuffer;
      }
    ).generateKey(PASS, salt.value as string, 3, iterations, 32, forge.md.sha256.create());
    const hmac = forge.hmac.create();
    hmac.start('sha256', macKey.getBytes());
    hmac.update(authSafe.toString('binary'));
    expect(Buffer.from(hmac.digest().getBytes(), 'binary').equals(bytes(kids(digestInfo)[1]))).toBe(
      true,
    );
  });

  test('the key bag and an encrypted certificate bag use PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, UTF-8 passphrase', () => {
    const pfx = kids(parse(made.p12));
    const authSafe = kids(parse(bytes(kids(kids(pfx[1])[1])[0])));
    const certInfo = authSafe.find((ci) => oidOf(kids(ci)[0]) === OIDS.encryptedData)!;
    expect(certInfo).toBeDefined();
    const eci = kids(kids(kids(certInfo)[1])[0])[1];
    const alg = kids(eci)[1];
    expect(oidOf(kids(alg)[0])).toBe(OIDS.pbes2);
    const [kdf, scheme] = kids(kids(alg)[1]);
    expect(oidOf(kids(kdf)[0])).toBe(OIDS.pbkdf2);
    const params = kids(kids(kdf)[1]);
    expect(oidOf(kids(params[params.length - 1])[0])).toBe(OIDS.hmacSha256);
    expect(oidOf(kids(scheme)[0])).toBe(OIDS.aes256);
    // Decrypt independently with the UTF-8 passphrase: the bag holds the certificate.
    const salt = bytes(params[0]);
    const iterations = Buffer.from(params[1].value as string, 'binary').readUIntBE(
      0,
      (params[1].value as string).length,
    );
    const key = crypto.pbkdf2Sync(Buffer.from(PASS, 'utf8'), salt, iterations, 32, 'sha256');
    const d = crypto.createDecipheriv('aes-256-cbc', key, bytes(kids(scheme)[1]));
    const plain = Buffer.concat([d.update(bytes(kids(eci)[2])), d.final()]);
    const bag = kids(parse(plain))[0];
    expect(oidOf(kids(bag)[0])).toBe(OIDS.certBag);
    expect(plain.includes(new crypto.X509Certificate(made.certificatePem).raw)).toBe(true);
  });

  test('a wrong passphrase is a WrongPassphraseError, one line', () => {
    expect.assertions(3);
    try {
      loadSigningKey(made.p12, 'Passwörd-ключ-🔑', 'k.p12');
    } catch (err) {
      expect(err).toBeInstanceOf(WrongPassphraseError);
      expect((err as Error).message).toBe('k.p12: wrong passphrase (check SRQ_KEY_PASSPHRASE)');
      expect((err as Error).message).not.toContain('Passw');
    }
  });

  test('signs a PDF that verifies, with SHA-384 for P-384', async () => {
    const signed = signPdf(await makePdf({ placeholder: true, certify: true }), {
      p12: made.p12,
      passphrase: PASS,
      signingTime: SIGNED_AT,
    });
    const report = verifyPdf(signed, {
      anchors: anchorsFor(made),
      now: new Date('2026-11-24T00:00:00Z'),
    });
    expect(report.valid).toBe(true);
    expect(report.signatures[0].digestAlgorithm).toBe(
      keyType === 'ec-p384' ? 'SHA-384' : 'SHA-256',
    );
  });
});

test('a wrong passphrase on a P12 without a MAC is still a WrongPassphraseError', () => {
  const made = make('ec-p256');
  const key = loadSigningKey(made.p12, PASS);
  const p12 = writeP12({
    privateKey: key.privateKey,
    certificate: key.certificate,
    passphrase: PASS,
  });
  const pfx = parse(p12);
  (pfx.value as Node[]).pop(); // drop MacData
  const noMac = Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
  expect(loadSigningKey(noMac, PASS).certificate.equals(key.certificate)).toBe(true);
  expect(() => loadSigningKey(noMac, 'wrong')).toThrow(WrongPassphraseError);
});

test('a certificate not matching the key is refused; a missing issuer is reported', () => {
  const a = loadSigningKey(make('ec-p256').p12, PASS);
  const b = loadSigningKey(make('ec-p256').p12, PASS);
  const mixed = writeP12({
    privateKey: a.privateKey,
    certificate: b.certificate,
    passphrase: PASS,
  });
  expect(() => loadSigningKey(mixed, PASS, 'mixed.p12')).toThrow(
    /^mixed\.p12: no certificate in the file matches its private key/,
  );
});

test('the appearance wraps a 200-character name at 8 pt or more, every line inside the box', () => {
  const font = {
    ascender: 928,
    descender: -236,
    widthOfString: (t: string, s: number) => t.length * s * 0.6,
  };
  const cn = 'Very Long Company Name, Subdivision '.repeat(6).slice(0, 200);
  const lines = [cn, 'Signed 2026-11-22 12:00 UTC', `Digitally signed by ${cn}; a@example.com`];
  const out = layoutAppearance({ width: 420, height: 83, lines, font });
  expect(out.fits).toBe(true);
  expect(out.size).toBeGreaterThanOrEqual(8);
  for (const l of out.lines) expect(font.widthOfString(l, out.size)).toBeLessThanOrEqual(420 - 8);
  // No character lost or added by wrapping (only the spaces at the breaks).
  expect(out.lines.join('').replace(/ /g, '')).toBe(lines.join('').replace(/ /g, ''));
});

describe('CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('srq-p12-cli-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('keygen --key-type ec-p384 and a short passphrase warning', () => {
    const r = srq(['keygen', '--name', 'Short Pass', '--key-type', 'ec-p384', '-o', 'ec.p12'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: 'short' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ECDSA P-384');
    expect(r.stderr).toMatch(/^srq: warning: the passphrase has fewer than 12 characters/);
    const key = loadSigningKey(fs.readFileSync(path.join(dir, 'ec.p12')), 'short');
    expect(key.privateKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    const long = srq(['keygen', '--name', 'Long Pass', '-o', 'rsa.p12'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: PASS },
    });
    expect(long.code).toBe(0);
    expect(long.stderr).not.toMatch(/warning/);
  });

  test('keygen --key-type dsa is a usage error', () => {
    const r = srq(['keygen', '--name', 'X', '--key-type', 'dsa', '-o', 'x.p12'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: PASS },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'srq: --key-type must be one of rsa, ec-p256, ec-p384 (got "dsa")',
    );
    expect(fs.existsSync(path.join(dir, 'x.p12'))).toBe(false);
  });

  test('sign on an unsigned statement certifies it (DocMDP P=2); a wrong passphrase exits 1 in one line', async () => {
    fs.writeFileSync(path.join(dir, 'plain.pdf'), await makePdf());
    const k = srq(['keygen', '--name', 'Cert Signer', '--key-type', 'ec-p256', '-o', 'c.p12'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: PASS },
    });
    expect(k.code).toBe(0);
    const wrong = srq(['sign', 'plain.pdf', '--key', 'c.p12', '-o', 'w.pdf'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: 'not it at all' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('srq: c.p12: wrong passphrase (check SRQ_KEY_PASSPHRASE)\n');
    const r = srq(['sign', 'plain.pdf', '--key', 'c.p12', '-o', 'signed.pdf'], {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: PASS },
    });
    expect(r.code).toBe(0);
    // Independent parse: the raw bytes of the update (no srq reader).
    const text = fs.readFileSync(path.join(dir, 'signed.pdf')).toString('latin1');
    const perms = /\/Perms\s*<<\s*\/DocMDP\s+(\d+) 0 R\s*>>/.exec(text);
    expect(perms).not.toBeNull();
    const sigObj = new RegExp(`\\n${perms![1]} 0 obj\\s*<<([\\s\\S]*?)\\nendobj`).exec(text)![1];
    expect(sigObj).toMatch(/\/Type \/Sig/);
    expect(sigObj).toMatch(/\/TransformMethod \/DocMDP/);
    expect(sigObj).toMatch(/\/TransformParams\s*<<[^>]*\/P 2\b/);
    expect(sigObj).toMatch(/\/Name \(Cert Signer\)/);
    const v = srq(['verify', 'signed.pdf', '--trust', 'c-cert.pem'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/kind:\s+certification \(DocMDP P=2/);
  });
});
