import crypto from 'node:crypto';
import forge from 'node-forge';
import { CheckError } from '../errors';

/** A signing key and its certificates, read from a PKCS#12 file. */
export interface SigningKey {
  privateKey: crypto.KeyObject;
  /** DER of the certificate matching the key. */
  certificate: Buffer;
  x509: crypto.X509Certificate;
  /** Other certificates in the file (intermediate CAs), DER. */
  chain: Buffer[];
  /** Key usage bits, or undefined when the certificate has no key usage extension (unrestricted). */
  keyUsage?: { digitalSignature: boolean; nonRepudiation: boolean };
}

const NOT_P12_HINT =
  'export the key and certificate together as .p12/.pfx, or make a test key with srq keygen';

function certDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

type ForgeBytes = forge.util.ByteStringBuffer | string;
// eslint-disable-next-line @typescript-eslint/max-params -- node-forge's generatePkcs12Key, replaced
type Pkcs12Kdf = (
  password: string | null | undefined,
  salt: ForgeBytes,
  id: number,
  iter: number,
  n: number,
  md?: forge.md.MessageDigest,
) => forge.util.ByteStringBuffer;

/**
 * The PKCS#12 key derivation of RFC 7292 appendix B.2 (the MAC key of every P12, and the key
 * of older 3DES-encrypted ones), hashing with Node's native crypto. NOTE: node-forge does it
 * in JavaScript: 2,048 rounds of its own SHA-1 took ~70 ms of a cold `build --sign`.
 */
export function pkcs12Kdf(
  password: string | null | undefined,
  salt: Buffer,
  options: { id: number; iterations: number; length: number; hash?: string },
): Buffer {
  const { id, iterations, length } = options;
  const hash = options.hash ?? 'sha1';
  if (!(iterations >= 1)) throw new Error('PKCS#12 key derivation needs at least 1 iteration');
  const u = crypto.createHash(hash).digest().length;
  const v = u > 32 ? 128 : 64; // the hash's block size: 64 for SHA-1/SHA-256, 128 for SHA-384/512
  const pass = Buffer.alloc(password == null ? 0 : password.length * 2 + 2);
  for (let i = 0; password != null && i < password.length; i++)
    pass.writeUInt16BE(password.charCodeAt(i), i * 2);
  const repeat = (src: Buffer): Buffer => {
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
    return out;
  };
  const block = Buffer.concat([repeat(salt), repeat(pass)]);
  const diversifier = Buffer.alloc(v, id);
  const parts: Buffer[] = [];
  for (let done = 0; done < length; done += u) {
    let a = crypto.createHash(hash).update(diversifier).update(block).digest();
    for (let r = 1; r < iterations; r++) a = crypto.createHash(hash).update(a).digest();
    parts.push(a);
    // I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v bytes.
    for (let j = 0; j < block.length; j += v) {
      let carry = 1;
      for (let l = v - 1; l >= 0; l--) {
        carry += block[j + l] + a[l % u];
        block[j + l] = carry & 0xff;
        carry >>= 8;
      }
    }
  }
  return Buffer.concat(parts).subarray(0, length);
}

const NATIVE_HASHES = new Set(['sha1', 'sha256', 'sha384', 'sha512']);
const forgeKdf = (forge.pki as unknown as { pbe: { generatePkcs12Key: Pkcs12Kdf } }).pbe
  .generatePkcs12Key;
// eslint-disable-next-line @typescript-eslint/max-params -- node-forge's signature (Pkcs12Kdf)
const nativeKdf: Pkcs12Kdf = (password, salt, id, iter, n, md) => {
  const hash = md?.algorithm ?? 'sha1';
  if (!NATIVE_HASHES.has(hash)) return forgeKdf(password, salt, id, iter, n, md);
  const bytes = typeof salt === 'string' ? salt : salt.bytes();
  const key = pkcs12Kdf(password, Buffer.from(bytes, 'binary'), {
    id,
    iterations: iter,
    length: n,
    hash,
  });
  return forge.util.createBuffer(key.toString('binary'));
};
(forge.pki as unknown as { pbe: { generatePkcs12Key: Pkcs12Kdf } }).pbe.generatePkcs12Key =
  nativeKdf;
(forge.pkcs12 as unknown as { generateKey: Pkcs12Kdf }).generateKey = nativeKdf;

// eslint-disable-next-line @typescript-eslint/max-params -- node-forge's pkcs5.pbkdf2, replaced
type Pbkdf2 = (
  password: string,
  salt: string,
  iterations: number,
  length: number,
  md?: forge.md.MessageDigest | string | null,
  callback?: unknown,
) => string;
const forgePbkdf2 = (forge.pkcs5 as unknown as { pbkdf2: Pbkdf2 }).pbkdf2;
/** Strings forge treats as bytes: every code unit below 256. */
const isBytes = (s: string): boolean => ![...s].some((c) => c.charCodeAt(0) > 0xff);
/**
 * PBKDF2 for the PBES2-encrypted key bag of a modern P12. NOTE: node-forge uses Node's native
 * PBKDF2 only when given a hash name, but its PBES2 code passes a hash object, so every P12 was
 * opened with 2,048 rounds of HMAC in JavaScript. Same bytes: forge reads strings as bytes.
 */
// eslint-disable-next-line @typescript-eslint/max-params -- node-forge's signature (Pbkdf2)
export const nativePbkdf2: Pbkdf2 = (password, salt, iterations, length, md, callback) => {
  const hash = typeof md === 'object' && md ? md.algorithm : (md ?? 'sha1');
  if (callback !== undefined || !NATIVE_HASHES.has(hash) || !isBytes(password) || !isBytes(salt)) {
    return forgePbkdf2(password, salt, iterations, length, md, callback);
  }
  return crypto
    .pbkdf2Sync(
      Buffer.from(password, 'binary'),
      Buffer.from(salt, 'binary'),
      iterations,
      length,
      hash,
    )
    .toString('binary');
};
(forge.pkcs5 as unknown as { pbkdf2: Pbkdf2 }).pbkdf2 = nativePbkdf2;

/**
 * Opens a P12 with its passphrase. Errors are one-line CheckErrors naming `label` (the file);
 * they never include the passphrase.
 */
export function loadSigningKey(
  p12: Buffer,
  passphrase: string,
  label = 'the key file',
): SigningKey {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  } catch {
    throw new CheckError(
      `${label}: not a PKCS#12 (.p12) key file, or it is damaged (${NOT_P12_HINT})`,
    );
  }
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (err) {
    const msg = (err as Error).message ?? '';
    if (/password|MAC could not be verified|decrypt/i.test(msg)) {
      throw new CheckError(`${label}: wrong passphrase (check SRQ_KEY_PASSPHRASE)`);
    }
    throw new CheckError(
      `${label}: not a PKCS#12 (.p12) key file, or it is damaged (${NOT_P12_HINT})`,
    );
  }
  const keyBags = [
    ...(pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
      forge.pki.oids.pkcs8ShroudedKeyBag
    ] ?? []),
    ...(pfx.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (keyBags.length === 0)
    throw new CheckError(
      `${label}: the file holds no private key (export the certificate together with its private key)`,
    );
  const key = keyBags[0].key as forge.pki.rsa.PrivateKey | undefined | null;
  if (!key)
    throw new CheckError(
      `${label}: the private key is not an RSA key (only RSA is supported; use an RSA signing key)`,
    );
  const certs = certBags.map((b) => b.cert).filter((c): c is forge.pki.Certificate => Boolean(c));
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(key.n) && pub.e?.equals(key.e);
  });
  if (!own)
    throw new CheckError(
      `${label}: no certificate in the file matches its private key (export the key with its own certificate)`,
    );
  const ku: { digitalSignature?: boolean; nonRepudiation?: boolean } | undefined =
    own.getExtension('keyUsage');
  const certificate = certDer(own);
  return {
    privateKey: crypto.createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificate,
    x509: new crypto.X509Certificate(certificate),
    chain: certs.filter((c) => c !== own).map(certDer),
    keyUsage: ku
      ? {
          digitalSignature: Boolean(ku.digitalSignature),
          nonRepudiation: Boolean(ku.nonRepudiation),
        }
      : undefined,
  };
}
