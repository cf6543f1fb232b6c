import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadSigningKey } from '../../src/sign/p12';
import { srq, tempDir } from '../helpers/cli';
import { signatureWidgets } from '../helpers/signature-boxes';

/**
 * P12 files between srq and OpenSSL 3 (no -legacy), NSS pk12util and Java keytool, both ways,
 * and signatures other tools validate: pdfsig with an NSS database that trusts a test root
 * (chain made with openssl), pdfsig and mutool on ECDSA P-256/P-384 signatures.
 * Needs openssl, libnss3-tools (pk12util, certutil), default-jre-headless (keytool),
 * poppler-utils (pdfsig, pdftotext) and mupdf-tools (mutool).
 * NOTE: Java 17's keytool refuses any non-ASCII passphrase for PBES2 keystores ("Password is
 * not ASCII"), its own files as well as others', so the keytool round trips use an ASCII one.
 */
const PASS = 'Pässwörd-ключ-🔑';
const ASCII = 'plain-ascii-passphrase-42';
const EXAMPLE = path.resolve(__dirname, '..', '..', 'answers', 'example-cloud.yaml');
const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
let dir: string;
const sh = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { cwd: dir, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const both = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
};
const file = (name: string) => path.join(dir, name);
const keygen = (name: string, keyType: string, passphrase = PASS) => {
  const r = srq(['keygen', '--name', name, '--key-type', keyType, '-o', `${keyType}.p12`], {
    cwd: dir,
    env: { SRQ_KEY_PASSPHRASE: passphrase },
  });
  expect(r.code).toBe(0);
};

beforeAll(() => {
  dir = tempDir('srq-p12-interop-');
  for (const t of ['rsa', 'ec-p256', 'ec-p384']) keygen(`srq ${t}`, t);
  const b = srq(['build', EXAMPLE, '-o', 'statement.pdf'], { cwd: dir });
  expect(b.code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(['rsa', 'ec-p256', 'ec-p384'])(
  'srq keygen --key-type %s, non-ASCII passphrase',
  (t) => {
    test('OpenSSL 3 opens it without -legacy: SHA-256 MAC, PBES2 AES-256 key and certificate bags', () => {
      sh('openssl', ['pkcs12', '-in', `${t}.p12`, '-noout', '-passin', `pass:${PASS}`]);
      const info = both('openssl', [
        'pkcs12',
        '-info',
        '-nokeys',
        '-in',
        `${t}.p12`,
        '-passin',
        `pass:${PASS}`,
      ]).out;
      expect(info).toMatch(/MAC: sha256/);
      expect(info).toMatch(
        /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, .*PRF hmacWithSHA256/,
      );
      expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, .*PRF hmacWithSHA256/);
      const keyPem = sh('openssl', [
        'pkcs12',
        '-in',
        `${t}.p12`,
        '-nocerts',
        '-nodes',
        '-passin',
        `pass:${PASS}`,
      ]);
      expect(keyPem).toContain('BEGIN PRIVATE KEY');
      expect(
        both('openssl', ['pkcs12', '-in', `${t}.p12`, '-noout', '-passin', 'pass:wrong']).code,
      ).not.toBe(0);
    });

    test('NSS pk12util imports it', () => {
      const db = `nss-${t}`;
      fs.mkdirSync(file(db));
      sh('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
      expect(sh('pk12util', ['-i', `${t}.p12`, '-d', `sql:${db}`, '-W', PASS])).toContain(
        'PKCS12 IMPORT SUCCESSFUL',
      );
      expect(sh('certutil', ['-K', '-d', `sql:${db}`])).toContain(`srq ${t}`);
      // And srq opens what pk12util exports (NSS: 600,000 PBKDF2 rounds, AES-128 certificate bag).
      sh('pk12util', ['-o', `nss-${t}.p12`, '-n', `srq ${t}`, '-d', `sql:${db}`, '-W', PASS]);
      const key = loadSigningKey(fs.readFileSync(file(`nss-${t}.p12`)), PASS);
      expect(key.x509.subject).toBe(`CN=srq ${t}`);
      expect(() => loadSigningKey(fs.readFileSync(file(`nss-${t}.p12`)), 'wrong')).toThrow(
        /wrong passphrase/,
      );
    });

    test('signed with it: pdfsig and mutool report the signature valid', () => {
      const r = srq(['sign', 'statement.pdf', '--key', `${t}.p12`, '-o', `signed-${t}.pdf`], {
        cwd: dir,
        env: { SRQ_KEY_PASSPHRASE: PASS },
      });
      expect(r.code).toBe(0);
      const sig = both('pdfsig', [`signed-${t}.pdf`]).out;
      expect(sig).toContain('Signature Validation: Signature is Valid.');
      expect(sig).toContain(`Signing Hash Algorithm: ${t === 'ec-p384' ? 'SHA-384' : 'SHA-256'}`);
      expect(both('mutool', ['sign', '-v', `signed-${t}.pdf`]).out).toContain(
        'The document is unchanged since signing',
      );
    });
  },
);

test('keytool lists srq P12s (ASCII passphrase) and srq opens keytool P12s', () => {
  fs.mkdirSync(file('kt'));
  const r = srq(
    ['keygen', '--name', 'srq for keytool', '--key-type', 'ec-p256', '-o', 'kt/srq.p12'],
    {
      cwd: dir,
      env: { SRQ_KEY_PASSPHRASE: ASCII },
    },
  );
  expect(r.code).toBe(0);
  const list = sh('keytool', [
    '-list',
    '-storetype',
    'PKCS12',
    '-keystore',
    'kt/srq.p12',
    '-storepass',
    ASCII,
  ]);
  expect(list).toContain('PrivateKeyEntry');
  for (const [alg, extra] of [
    ['RSA', ['-keysize', '2048']],
    ['EC', ['-groupname', 'secp384r1']],
  ] as const) {
    const store = `kt/keytool-${alg}.p12`;
    sh('keytool', [
      '-genkeypair',
      '-storetype',
      'PKCS12',
      '-keystore',
      store,
      '-storepass',
      ASCII,
      '-alias',
      'signer',
      '-keyalg',
      alg,
      ...extra,
      '-dname',
      `CN=Keytool ${alg}`,
      '-validity',
      '30',
    ]);
    const key = loadSigningKey(fs.readFileSync(file(store)), ASCII);
    expect(key.x509.subject).toBe(`CN=Keytool ${alg}`);
  }
});

test('srq opens openssl pkcs12 -export files (default OpenSSL 3 algorithms), RSA and EC, non-ASCII passphrase', () => {
  for (const [name, args] of [
    ['o-rsa', ['-newkey', 'rsa:2048']],
    ['o-p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384']],
  ] as const) {
    sh('openssl', [
      'req',
      '-x509',
      ...args,
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=OpenSSL ${name}`,
      '-days',
      '30',
    ]);
    sh('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      `${name}.key`,
      '-in',
      `${name}.crt`,
      '-out',
      `${name}.p12`,
      '-passout',
      `pass:${PASS}`,
    ]);
    const key = loadSigningKey(fs.readFileSync(file(`${name}.p12`)), PASS);
    expect(key.x509.subject).toBe(`CN=OpenSSL ${name}`);
  }
});

test('pdfsig with an NSS database trusting a test root validates an openssl-made chain; srq warns of a P12 without it', () => {
  sh('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'root.key',
    '-out',
    'root.crt',
    '-subj',
    '/CN=Interop Root CA',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  sh('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=Chain Signer/O=Example\\, Ltd',
  ]);
  fs.writeFileSync(
    file('leaf.ext'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n',
  );
  sh('openssl', [
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'root.crt',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-out',
    'leaf.crt',
    '-days',
    '30',
    '-extfile',
    'leaf.ext',
  ]);
  sh('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    'leaf.key',
    '-in',
    'leaf.crt',
    '-certfile',
    'root.crt',
    '-out',
    'chain.p12',
    '-passout',
    `pass:${PASS}`,
  ]);
  sh('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    'leaf.key',
    '-in',
    'leaf.crt',
    '-out',
    'nochain.p12',
    '-passout',
    `pass:${PASS}`,
  ]);
  // openssl's certificates start now (the real clock), not at the tests' pinned SRQ_NOW.
  const now = { SRQ_NOW: new Date(Date.now() + 60_000).toISOString() };
  const signEnv = { SRQ_KEY_PASSPHRASE: PASS, ...now };
  const s = srq(['sign', 'statement.pdf', '--key', 'chain.p12', '-o', 'chain.pdf'], {
    cwd: dir,
    env: signEnv,
  });
  expect(s.code).toBe(0);
  expect(s.stderr).not.toMatch(/warning/);
  fs.mkdirSync(file('trustdb'));
  sh('certutil', ['-N', '-d', 'sql:trustdb', '--empty-password']);
  const untrusted = both('pdfsig', ['-nssdir', 'sql:trustdb', 'chain.pdf']).out;
  expect(untrusted).not.toContain('Certificate is Trusted.');
  sh('certutil', ['-A', '-d', 'sql:trustdb', '-n', 'root', '-t', 'CT,C,C', '-i', 'root.crt']);
  const out = both('pdfsig', ['-nssdir', 'sql:trustdb', 'chain.pdf']).out;
  expect(out).toContain('Signature Validation: Signature is Valid.');
  expect(out).toContain('Certificate Validation: Certificate is Trusted.');
  expect(srq(['verify', 'chain.pdf', '--trust', 'root.crt'], { cwd: dir, env: now }).code).toBe(0);
  const n = srq(['sign', 'statement.pdf', '--key', 'nochain.p12', '-o', 'nochain.pdf'], {
    cwd: dir,
    env: signEnv,
  });
  expect(n.code).toBe(0);
  expect(n.stderr).toMatch(
    /^srq: warning: nochain\.p12: the file holds no certificate of the issuer \(CN=Interop Root CA\)/,
  );
});

test('the visible signature of a 200-character subject: clean text, all inside its box', () => {
  const cn = 'Very Long Company Name, Subdivision '.repeat(6).slice(0, 200);
  const k = srq(['keygen', '--name', cn, '--email', 'long@example.com', '-o', 'long.p12'], {
    cwd: dir,
    env: { SRQ_KEY_PASSPHRASE: PASS },
  });
  expect(k.code).toBe(0);
  const s = srq(['sign', 'statement.pdf', '--key', 'long.p12', '-o', 'long.pdf'], {
    cwd: dir,
    env: { SRQ_KEY_PASSPHRASE: PASS },
  });
  expect(s.code).toBe(0);
  expect(s.stdout).toContain('new visible field');
  const pdf = fs.readFileSync(file('long.pdf')).toString('latin1');
  // The signed widget (srq sign also reserves the customer's empty field on a statement).
  const widget = signatureWidgets(fs.readFileSync(file('long.pdf'))).find((w) => w.filled)!;
  const [x0, y0, x1, y1] = widget.rect;
  const pages = widget.page;
  const bbox = sh('pdftotext', [
    '-f',
    String(pages),
    '-l',
    String(pages),
    '-bbox',
    'long.pdf',
    '-',
  ]);
  const pageH = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(bbox)![1]);
  // pdftotext measures from the top; the widget's Rect from the bottom.
  const words = [
    ...bbox.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ]
    .map((m) => ({ x0: +m[1], y0: pageH - +m[4], x1: +m[3], y1: pageH - +m[2], text: m[5] }))
    .filter((w) => w.x0 >= x0 - 1 && w.x1 <= x1 + 1 && w.y0 >= y0 - 1 && w.y1 <= y1 + 1);
  const inside = words.map((w) => w.text).join(' ');
  expect(inside).toContain('Digitally');
  expect(inside).not.toContain('\\,');
  expect(inside).not.toContain('emailAddress');
  // Every character of both copies of the name and of the e-mail is inside the box.
  const letters = (t: string) => t.replace(/\s/g, '');
  expect(letters(inside)).toContain(letters(`Digitally signed by ${cn}; long@example.com`));
  expect(letters(inside).split('long@example.com').length - 1).toBe(1);
  expect(pdf).toContain(`/Name (${cn})`);
});
