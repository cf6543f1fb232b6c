/* eslint-disable @typescript-eslint/no-require-imports */
import fc from 'fast-check';
import type forgeType from 'node-forge';

// node-forge's own JavaScript derivation, captured before src/sign/p12 replaces it.
const forge = require('node-forge') as typeof forgeType;
type Kdf = (
  password: string,
  salt: forgeType.util.ByteStringBuffer,
  id: number,
  iter: number,
  n: number,
  md: forgeType.md.MessageDigest,
) => forgeType.util.ByteStringBuffer;
const forgeKdf = (forge.pki as unknown as { pbe: { generatePkcs12Key: Kdf } }).pbe
  .generatePkcs12Key;
type Pbkdf2 = (
  p: string,
  s: string,
  c: number,
  n: number,
  md: forgeType.md.MessageDigest,
) => string;
const forgePbkdf2 = (forge.pkcs5 as unknown as { pbkdf2: Pbkdf2 }).pbkdf2;
const { pkcs12Kdf, nativePbkdf2, loadSigningKey } =
  require('../../src/sign/p12') as typeof import('../../src/sign/p12');

const MD = {
  sha1: () => forge.md.sha1.create(),
  sha256: () => forge.md.sha256.create(),
  sha512: () => forge.md.sha512.create(),
};

test('the native PKCS#12 key derivation gives node-forge’s bytes (RFC 7292 B.2)', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.uint8Array({ maxLength: 70 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 90 }),
      fc.constantFrom('sha1' as const, 'sha256' as const, 'sha512' as const),
      (password, salt, id, iterations, length, hash) => {
        const expected = forgeKdf(
          password,
          forge.util.createBuffer(Buffer.from(salt).toString('binary')),
          id,
          iterations,
          length,
          MD[hash](),
        ).bytes();
        const got = pkcs12Kdf(password, Buffer.from(salt), { id, iterations, length, hash });
        expect(got.toString('binary')).toBe(expected);
      },
    ),
    { numRuns: 300 },
  );
});

test('the PKCS#12 key derivation with SHA-256 and a P12’s many rounds (WebAssembly) gives node-forge’s bytes', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }),
      fc.integer({ min: 60, max: 2100 }),
      fc.integer({ min: 1, max: 70 }),
      (password, salt, iterations, length) => {
        const expected = forgeKdf(
          password,
          forge.util.createBuffer(Buffer.from(salt).toString('binary')),
          3,
          iterations,
          length,
          MD.sha256(),
        ).bytes();
        const got = pkcs12Kdf(password, Buffer.from(salt), {
          id: 3,
          iterations,
          length,
          hash: 'sha256',
        });
        expect(got.toString('binary')).toBe(expected);
      },
    ),
    { numRuns: 12 },
  );
});

test('native PBKDF2 gives node-forge’s bytes for the hash objects forge passes', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 })),
      fc.uint8Array({ maxLength: 24 }),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 64 }),
      fc.constantFrom('sha1' as const, 'sha256' as const, 'sha512' as const),
      (password, salt, iterations, length, hash) => {
        const saltBytes = Buffer.from(salt).toString('binary');
        expect(nativePbkdf2(password, saltBytes, iterations, length, MD[hash]())).toBe(
          forgePbkdf2(password, saltBytes, iterations, length, MD[hash]()),
        );
      },
    ),
    { numRuns: 200 },
  );
});

test('P12 files written with 3DES and with AES both open through the native derivation', () => {
  for (const algorithm of ['3des', 'aes256'] as const) {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2028-01-01T00:00:00Z');
    const attrs = [{ name: 'commonName', value: `KDF ${algorithm}` }];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], 'pässwörd ✓', { algorithm });
    const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    expect(loadSigningKey(p12, 'pässwörd ✓').x509.subject).toBe(`CN=KDF ${algorithm}`);
    expect(() => loadSigningKey(p12, 'passwörd ✓')).toThrow(/wrong passphrase/);
  }
});
