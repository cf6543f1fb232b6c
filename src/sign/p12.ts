import crypto from 'node:crypto';
import forge from 'node-forge';
import { CheckError } from '../errors';
import { hasWebAssembly, sha256Rounds } from './sha256-rounds';
import { certificateFacts } from './trust';
import { OID, contextConstructed, derNull, integer, octets, oid, seq, setOf, tlv } from './der';

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
  /** Whether the file holds the certificate's issuer (or the certificate is self-signed). */
  chainComplete: boolean;
}

const NOT_P12_HINT =
  'export the key and certificate together as .p12/.pfx, or make a test key with srq keygen';

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

/** Rounds from which SHA-256's go to WebAssembly (fewer cost less than compiling it). */
const WASM_ROUNDS = 64;

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
    // NOTE: crypto.hash (one call, no Hash object) takes the 2,048 rounds of a P12's MAC key
    // from ~9 to ~4 ms in a cold process; the same digests. SHA-256's rounds (OpenSSL 3's and
    // srq keygen's MAC) run in WebAssembly (sha256-rounds.ts): 10,000 rounds ~16 -> ~7 ms.
    if (hash === 'sha256' && iterations > WASM_ROUNDS && hasWebAssembly()) {
      a = sha256Rounds(a, iterations - 1);
    } else for (let r = 1; r < iterations; r++) a = crypto.hash(hash, a, 'buffer');
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

/** The passphrase does not open the P12 (its MAC does not verify, or its bags do not decrypt). */
export class WrongPassphraseError extends CheckError {}

type Asn1 = forge.asn1.Asn1;

const P12 = {
  data: OID.data,
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha1: '1.2.840.113549.2.7',
  hmacSha256: '1.2.840.113549.2.9',
  hmacSha384: '1.2.840.113549.2.10',
  hmacSha512: '1.2.840.113549.2.11',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  desEde3cbc: '1.2.840.113549.3.7',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeSha2Des: '1.2.840.113549.1.12.1.4',
  pbeSha128Rc2: '1.2.840.113549.1.12.1.5',
  pbeSha40Rc2: '1.2.840.113549.1.12.1.6',
} as const;

const HMAC_NAMES: Record<string, string> = {
  [P12.hmacSha1]: 'sha1',
  [P12.hmacSha256]: 'sha256',
  [P12.hmacSha384]: 'sha384',
  [P12.hmacSha512]: 'sha512',
};
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  [P12.aes128cbc]: { name: 'aes-128-cbc', keyLength: 16 },
  [P12.aes192cbc]: { name: 'aes-192-cbc', keyLength: 24 },
  [P12.aes256cbc]: { name: 'aes-256-cbc', keyLength: 32 },
  [P12.desEde3cbc]: { name: 'des-ede3-cbc', keyLength: 24 },
};

/**
 * PBKDF2 and MAC iterations srq writes. OpenSSL 3 writes 2,048; a P12 guards a signing key
 * that is copied around, so srq uses more: PBKDF2-HMAC-SHA256 at 10,000 rounds is ~5 ms
 * natively per bag, opening a key stays well inside the signing budget.
 */
export const P12_ITERATIONS = 10_000;

/** A malformed P12: the reader's own error, turned into a one-line CheckError by the caller. */
class P12Error extends Error {}

const { Class, Type } = forge.asn1;
function kids(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new P12Error(`${what} is not a sequence`);
  return node.value;
}
function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || Number(node.type) !== Number(Type.OID) || typeof node.value !== 'string')
    throw new P12Error(`${what} is not an object identifier`);
  return forge.asn1.derToOid(node.value);
}
/** An OCTET STRING's bytes, also when BER splits it into constructed chunks (NSS, Java). */
function octetsOf(node: Asn1 | undefined, what: string): Buffer {
  if (!node) throw new P12Error(`${what} is missing`);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map((c) => octetsOf(c, what)));
}
function intOf(node: Asn1 | undefined, what: string): number {
  if (!node || Number(node.type) !== Number(Type.INTEGER) || typeof node.value !== 'string')
    throw new P12Error(`${what} is not an integer`);
  const n = Buffer.from(node.value, 'binary').reduce((a, b) => a * 256 + b, 0);
  if (!Number.isSafeInteger(n)) throw new P12Error(`${what} is too large`);
  return n;
}
/** [n] EXPLICIT: the one child of a context-specific tag. */
function explicit(node: Asn1 | undefined, n: number, what: string): Asn1 {
  if (
    !node ||
    Number(node.tagClass) !== Number(Class.CONTEXT_SPECIFIC) ||
    Number(node.type) !== n ||
    !Array.isArray(node.value) ||
    !node.value[0]
  )
    throw new P12Error(`${what} is missing`);
  return node.value[0];
}
function parse(bytes: Buffer, what: string): Asn1 {
  try {
    return forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), {
      // Strict: a truncated file is damaged, never half-read as a wrong passphrase.
      strict: true,
      parseAllBytes: true,
      decodeBitStrings: false,
    } as unknown as boolean);
  } catch {
    throw new P12Error(`${what} is not valid ASN.1`);
  }
}
function der(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/** The salt and iteration count of a PKCS#12 PBE scheme (pbeWithSHAAnd3-KeyTripleDES-CBC, RC2…). */
function pbeParams(alg: Asn1): { salt: Buffer; iterations: number } {
  const params = kids(kids(alg, 'PBE')[1], 'PBE parameters');
  const salt = octetsOf(params[0], 'PBE salt');
  const iterations = intOf(params[1], 'PBE iteration count');
  if (iterations < 1 || iterations > 10_000_000)
    throw new P12Error('PBE iteration count out of range');
  return { salt, iterations };
}

/** Decrypts an EncryptedPrivateKeyInfo / EncryptedContentInfo body with its AlgorithmIdentifier. */
function decrypt(alg: Asn1, data: Buffer, passphrase: string): Buffer {
  const algOid = oidOf(kids(alg, 'encryption algorithm')[0], 'encryption algorithm');
  let decipher: crypto.Decipher | undefined;
  if (algOid === P12.pbes2) {
    const [kdf, scheme] = kids(kids(alg, 'PBES2')[1], 'PBES2 parameters');
    if (oidOf(kids(kdf, 'PBES2 KDF')[0], 'PBES2 KDF') !== P12.pbkdf2)
      throw new P12Error('only PBKDF2 is supported as the PBES2 key derivation');
    const params = kids(kids(kdf, 'PBKDF2')[1], 'PBKDF2 parameters');
    const salt = octetsOf(params[0], 'PBKDF2 salt');
    const iterations = intOf(params[1], 'PBKDF2 iteration count');
    let rest = params.slice(2);
    if (rest[0] && Number(rest[0].type) === Number(Type.INTEGER)) rest = rest.slice(1);
    const prf = rest[0] ? oidOf(kids(rest[0], 'PBKDF2 PRF')[0], 'PBKDF2 PRF') : P12.hmacSha1;
    const hash = HMAC_NAMES[prf];
    const cipherOid = oidOf(kids(scheme, 'PBES2 cipher')[0], 'PBES2 cipher');
    const cipher = CIPHERS[cipherOid];
    if (!hash || !cipher) throw new P12Error(`unsupported PBES2 algorithm (${prf}, ${cipherOid})`);
    if (iterations < 1 || iterations > 10_000_000)
      throw new P12Error('PBKDF2 iteration count out of range');
    const iv = octetsOf(kids(scheme, 'PBES2 cipher')[1], 'PBES2 IV');
    // PBES2 takes the passphrase as UTF-8 bytes (OpenSSL 3, NSS, Java).
    const key = crypto.pbkdf2Sync(
      Buffer.from(passphrase, 'utf8'),
      salt,
      iterations,
      cipher.keyLength,
      hash,
    );
    try {
      const d = crypto.createDecipheriv(cipher.name, key, iv);
      return Buffer.concat([d.update(data), d.final()]);
    } catch (err) {
      // Keys srq made before 0.1 (node-forge) with a non-ASCII passphrase: forge's own bytes.
      if (/^[\x20-\x7e]*$/.test(passphrase)) throw new DecryptError('', { cause: err });
      const legacy = Buffer.from(
        forgePbkdf2(
          passphrase,
          salt.toString('binary'),
          iterations,
          cipher.keyLength,
          forge.md[hash as 'sha256'].create(),
        ),
        'binary',
      );
      decipher = crypto.createDecipheriv(cipher.name, legacy, iv);
    }
  } else if (algOid === P12.pbeSha3Des || algOid === P12.pbeSha2Des) {
    const { salt, iterations } = pbeParams(alg);
    // PKCS#12 PBEs take the passphrase as a BMPString (UTF-16BE + two zero bytes): pkcs12Kdf.
    const pass = passphrase;
    const keyLength = algOid === P12.pbeSha3Des ? 24 : 16;
    const key = pkcs12Kdf(pass, salt, { id: 1, iterations, length: keyLength });
    const iv = pkcs12Kdf(pass, salt, { id: 2, iterations, length: 8 });
    decipher = crypto.createDecipheriv(
      'des-ede3-cbc',
      keyLength === 24 ? key : Buffer.concat([key, key.subarray(0, 8)]),
      iv,
    );
  } else if (algOid === P12.pbeSha40Rc2 || algOid === P12.pbeSha128Rc2) {
    // RC2 (old Java and Windows exports) is not in OpenSSL 3's default provider: forge's.
    const { salt, iterations } = pbeParams(alg);
    // PKCS#12 PBEs take the passphrase as a BMPString (UTF-16BE + two zero bytes): pkcs12Kdf.
    const pass = passphrase;
    const keyLength = algOid === P12.pbeSha40Rc2 ? 5 : 16;
    const key = pkcs12Kdf(pass, salt, { id: 1, iterations, length: keyLength });
    const iv = pkcs12Kdf(pass, salt, { id: 2, iterations, length: 8 });
    const rc2 = forge.rc2.createDecryptionCipher(
      forge.util.createBuffer(key.toString('binary')),
      keyLength * 8,
    );
    rc2.start(forge.util.createBuffer(iv.toString('binary')));
    rc2.update(forge.util.createBuffer(data.toString('binary')));
    if (!rc2.finish()) throw new DecryptError();
    return Buffer.from(rc2.output.getBytes(), 'binary');
  } else {
    throw new P12Error(`unsupported encryption algorithm ${algOid}`);
  }
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new DecryptError();
  }
}
/** Bad padding after decryption: with no MAC to check, the sign of a wrong passphrase. */
class DecryptError extends Error {}

interface Bag {
  type: string;
  value: Asn1;
  localKeyId?: Buffer;
}

function safeContents(bytes: Buffer): Bag[] {
  return kids(parse(bytes, 'SafeContents'), 'SafeContents').map((bag) => {
    const [type, value, attrs] = kids(bag, 'SafeBag');
    let localKeyId: Buffer | undefined;
    for (const attr of attrs && Array.isArray(attrs.value) ? attrs.value : []) {
      const [t, set] = kids(attr, 'bag attribute');
      if (oidOf(t, 'bag attribute') === P12.localKeyId)
        localKeyId = octetsOf(kids(set, 'localKeyId')[0], 'localKeyId');
    }
    return { type: oidOf(type, 'bag type'), value: explicit(value, 0, 'bag value'), localKeyId };
  });
}

/** Verifies a P12's MAC (RFC 7292 §5.1); false when the passphrase does not give it. */
function macMatches(macData: Asn1, authSafe: Buffer, passphrase: string): boolean {
  const [digestInfo, salt, iter] = kids(macData, 'MacData');
  const [alg, digest] = kids(digestInfo, 'MAC digest');
  const algOid = oidOf(kids(alg, 'MAC algorithm')[0], 'MAC algorithm');
  const hash = DIGEST_FOR_MAC[algOid];
  if (!hash) throw new P12Error(`unsupported MAC algorithm ${algOid}`);
  const iterations = iter ? intOf(iter, 'MAC iteration count') : 1;
  if (iterations < 1 || iterations > 10_000_000)
    throw new P12Error('MAC iteration count out of range');
  const expected = octetsOf(digest, 'MAC');
  const macKeyLength = crypto.createHash(hash).digest().length;
  const saltBytes = octetsOf(salt, 'MAC salt');
  const key = pkcs12Kdf(passphrase, saltBytes, { id: 3, iterations, length: macKeyLength, hash });
  const actual = crypto.createHmac(hash, key).update(authSafe).digest();
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
const DIGEST_FOR_MAC: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

interface P12Contents {
  keys: { key: crypto.KeyObject; localKeyId?: Buffer }[];
  certs: { der: Buffer; localKeyId?: Buffer }[];
}

/** Reads every key and certificate of a P12; throws P12Error, WrongPassphrase or DecryptError. */
function readP12(p12: Buffer, passphrase: string, wrong: () => Error): P12Contents {
  const pfx = kids(parse(p12, 'PFX'), 'PFX');
  if (intOf(pfx[0], 'PFX version') !== 3) throw new P12Error('not a version 3 PFX');
  const [ctype, content] = kids(pfx[1], 'authSafe');
  if (oidOf(ctype, 'authSafe type') !== P12.data)
    throw new P12Error('public-key integrity mode is not supported');
  const authSafe = octetsOf(explicit(content, 0, 'authSafe content'), 'authSafe');
  if (pfx[2] && !macMatches(pfx[2], authSafe, passphrase)) throw wrong();
  const bags: Bag[] = [];
  for (const info of kids(parse(authSafe, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const [t, c] = kids(info, 'ContentInfo');
    const type = oidOf(t, 'ContentInfo type');
    if (type === P12.data) {
      bags.push(...safeContents(octetsOf(explicit(c, 0, 'data'), 'data')));
    } else if (type === P12.encryptedData) {
      const ed = kids(explicit(c, 0, 'encryptedData'), 'EncryptedData');
      const [, alg, enc] = kids(ed[1], 'EncryptedContentInfo');
      // encryptedContent [0] IMPLICIT OCTET STRING: primitive (DER) or constructed (BER).
      if (!enc || Number(enc.tagClass) !== Number(Class.CONTEXT_SPECIFIC))
        throw new P12Error('encrypted content is missing');
      const data =
        typeof enc.value === 'string'
          ? Buffer.from(enc.value, 'binary')
          : octetsOf({ ...enc, value: enc.value }, 'encrypted content');
      bags.push(...safeContents(decrypt(alg, data, passphrase)));
    } else {
      throw new P12Error('public-key encrypted (enveloped) bags are not supported');
    }
  }
  const out: P12Contents = { keys: [], certs: [] };
  const addKey = (pkcs8: Buffer, localKeyId?: Buffer) => {
    try {
      out.keys.push({
        key: crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
        localKeyId,
      });
    } catch {
      throw new P12Error('the private key cannot be read');
    }
  };
  for (const bag of bags) {
    if (bag.type === P12.keyBag) addKey(der(bag.value), bag.localKeyId);
    else if (bag.type === P12.shroudedKeyBag) {
      const [alg, enc] = kids(bag.value, 'EncryptedPrivateKeyInfo');
      addKey(decrypt(alg, octetsOf(enc, 'encrypted key'), passphrase), bag.localKeyId);
    } else if (bag.type === P12.certBag) {
      const [certType, value] = kids(bag.value, 'CertBag');
      if (oidOf(certType, 'certificate type') !== P12.x509Certificate) continue;
      out.certs.push({
        der: octetsOf(explicit(value, 0, 'certificate'), 'certificate'),
        localKeyId: bag.localKeyId,
      });
    }
  }
  return out;
}

const spki = (key: crypto.KeyObject): Buffer =>
  (key.type === 'public' ? key : crypto.createPublicKey(key)).export({
    type: 'spki',
    format: 'der',
  });

/** Key types srq signs with: RSA, and ECDSA on P-256 and P-384 (CMS ecdsa-with-SHA256/384). */
export function keyTypeOf(key: crypto.KeyObject): 'rsa' | 'ec-p256' | 'ec-p384' | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ec-p256';
    if (curve === 'secp384r1') return 'ec-p384';
  }
  return undefined;
}

/**
 * Opens a P12 with its passphrase: srq's own, OpenSSL 3's (PBES2/AES, SHA-256 MAC), keytool's,
 * NSS pk12util's and older 3DES/RC2 files. The MAC is checked first, so a wrong passphrase is a
 * WrongPassphraseError. Errors are one-line CheckErrors naming `label`; never the passphrase.
 */
export function loadSigningKey(
  p12: Buffer,
  passphrase: string,
  label = 'the key file',
): SigningKey {
  const wrong = () =>
    new WrongPassphraseError(`${label}: wrong passphrase (check SRQ_KEY_PASSPHRASE)`);
  let contents: P12Contents;
  try {
    contents = readP12(p12, passphrase, wrong);
  } catch (err) {
    if (err instanceof WrongPassphraseError) throw err;
    if (err instanceof DecryptError) throw wrong();
    throw new CheckError(
      `${label}: not a PKCS#12 (.p12) key file, or it is damaged (${NOT_P12_HINT})`,
      [],
      { cause: err },
    );
  }
  if (contents.keys.length === 0)
    throw new CheckError(
      `${label}: the file holds no private key (export the certificate together with its private key)`,
    );
  const privateKey = contents.keys[0].key;
  if (!keyTypeOf(privateKey))
    throw new CheckError(
      `${label}: the private key is ${privateKey.asymmetricKeyType}${privateKey.asymmetricKeyDetails?.namedCurve ? ` (${privateKey.asymmetricKeyDetails.namedCurve})` : ''}; srq signs with RSA, ECDSA P-256 or ECDSA P-384 keys`,
    );
  const pub = spki(privateKey);
  const certs = contents.certs.map((c) => {
    try {
      return { ...c, x509: new crypto.X509Certificate(c.der) };
    } catch {
      throw new CheckError(`${label}: a certificate in the file cannot be read (${NOT_P12_HINT})`);
    }
  });
  const own = certs.find((c) => spki(c.x509.publicKey).equals(pub));
  if (!own)
    throw new CheckError(
      `${label}: no certificate in the file matches its private key (export the key with its own certificate)`,
    );
  const chain = certs.filter((c) => c !== own);
  const ku = keyUsageOf(own.der);
  // Complete when the certificate is self-signed or a certificate in the file issued it.
  const issues = (issuer: crypto.X509Certificate) => {
    try {
      return own.x509.issuer === issuer.subject && own.x509.verify(issuer.publicKey);
    } catch {
      return false;
    }
  };
  const chainComplete = issues(own.x509) || chain.some((c) => issues(c.x509));
  return {
    privateKey,
    certificate: own.der,
    x509: own.x509,
    chain: chain.map((c) => c.der),
    keyUsage: ku,
    chainComplete,
  };
}

/** The keyUsage extension's signing bits, or undefined when the certificate has none. */
function keyUsageOf(certDer: Buffer): SigningKey['keyUsage'] {
  try {
    const ku = certificateFacts(certDer).keyUsage;
    return ku
      ? { digitalSignature: ku.digitalSignature, nonRepudiation: ku.nonRepudiation }
      : undefined;
  } catch {
    throw new P12Error('a certificate in the file cannot be read');
  }
}

/** A BMPString: UTF-16BE, as PKCS#12 writes friendly names. */
function bmpString(s: string): Buffer {
  const b = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), i * 2);
  return tlv(0x1e, b);
}

/** PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, as OpenSSL 3 writes by default. */
function pbes2Encrypt(
  plain: Buffer,
  passphrase: string,
  iterations: number,
): { algorithm: Buffer; data: Buffer } {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(16);
  // UTF-8, as OpenSSL 3, NSS and Java all derive the PBES2 key from a non-ASCII passphrase.
  const key = crypto.pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  const algorithm = seq(
    oid(P12.pbes2),
    seq(
      seq(
        oid(P12.pbkdf2),
        seq(octets(salt), integer(iterations), seq(oid(P12.hmacSha256), derNull())),
      ),
      seq(oid(P12.aes256cbc), octets(iv)),
    ),
  );
  return { algorithm, data: Buffer.concat([cipher.update(plain), cipher.final()]) };
}

/**
 * Writes a P12 that OpenSSL 3 (no -legacy), NSS pk12util and Java keytool open: the key in a
 * PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) shrouded key bag, the certificates in a PBES2-encrypted
 * bag, a SHA-256 HMAC over it all (PKCS#12 KDF, passphrase as BMPString).
 */
export function writeP12(options: {
  privateKey: crypto.KeyObject;
  certificate: Buffer;
  chain?: Buffer[];
  passphrase: string;
  friendlyName?: string;
  iterations?: number;
}): Buffer {
  const { privateKey, certificate, chain = [], passphrase } = options;
  const iterations = options.iterations ?? P12_ITERATIONS;
  const localKeyId = crypto.createHash('sha1').update(certificate).digest();
  const attrs = setOf(
    ...(options.friendlyName
      ? [seq(oid(P12.friendlyName), setOf(bmpString(options.friendlyName)))]
      : []),
    seq(oid(P12.localKeyId), setOf(octets(localKeyId))),
  );
  const certBag = (der: Buffer, own: boolean) =>
    seq(
      oid(P12.certBag),
      contextConstructed(0, seq(oid(P12.x509Certificate), contextConstructed(0, octets(der)))),
      ...(own ? [attrs] : []),
    );
  const certs = pbes2Encrypt(
    seq(certBag(certificate, true), ...chain.map((c) => certBag(c, false))),
    passphrase,
    iterations,
  );
  const certInfo = seq(
    oid(P12.encryptedData),
    contextConstructed(
      0,
      seq(integer(0), seq(oid(P12.data), certs.algorithm, tlv(0x80, certs.data))),
    ),
  );
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const key = pbes2Encrypt(pkcs8, passphrase, iterations);
  const keyBags = seq(
    seq(
      oid(P12.shroudedKeyBag),
      contextConstructed(0, seq(key.algorithm, octets(key.data))),
      attrs,
    ),
  );
  const keyInfo = seq(oid(P12.data), contextConstructed(0, octets(keyBags)));
  const authSafe = seq(certInfo, keyInfo);
  const macSalt = crypto.randomBytes(16);
  const macKey = pkcs12Kdf(passphrase, macSalt, { id: 3, iterations, length: 32, hash: 'sha256' });
  const mac = crypto.createHmac('sha256', macKey).update(authSafe).digest();
  return seq(
    integer(3),
    seq(oid(P12.data), contextConstructed(0, octets(authSafe))),
    seq(seq(seq(oid(OID.sha256), derNull()), octets(mac)), octets(macSalt), integer(iterations)),
  );
}

/** Warnings about a key that can sign but that others may not be able to check. */
export function keyWarnings(key: SigningKey, label: string): string[] {
  if (key.chainComplete) return [];
  const issuer = key.x509.issuer.split('\n').join(', ');
  return [
    `${label}: the file holds no certificate of the issuer (${issuer}); verifiers need that chain to trust the signature (export the P12 with its chain, e.g. openssl pkcs12 -export -certfile ca-certificates.pem)`,
  ];
}
