import crypto from 'node:crypto';
import {
  OID,
  children,
  contextConstructed,
  derNull,
  integer,
  octets,
  oid,
  readTlv,
  seq,
  setOf,
  tlv,
} from './der';
import { writeP12 } from './p12';

/** The key types `srq keygen --key-type` makes. */
export const KEY_TYPES = ['rsa', 'ec-p256', 'ec-p384'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface KeygenOptions {
  /** Certificate common name. */
  name: string;
  email?: string;
  /** CA flags (basicConstraints cA, keyCertSign) so a trust store can accept the certificate. */
  ca?: boolean;
  /** Validity from `now`; default 365 days. */
  days?: number;
  passphrase: string;
  now?: Date;
  /** RSA modulus size; default 2048. */
  bits?: number;
  /** Key type: RSA (default), or ECDSA on P-256 or P-384. */
  keyType?: KeyType;
  /** Overrides for tests and special cases: explicit validity and key usage. */
  validFrom?: Date;
  validTo?: Date;
  keyUsage?: { digitalSignature: boolean; nonRepudiation: boolean };
}

export interface KeygenResult {
  p12: Buffer;
  subject: string;
  /** SHA-256 of the certificate, colon-separated hex (as browsers show it). */
  fingerprint: string;
  validFrom: Date;
  validTo: Date;
  /** The certificate alone (no key), PEM: what others put in their trust list. */
  certificatePem: string;
}

const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
};

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const year = d.getUTCFullYear();
  return year < 2050 && year >= 1950
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'latin1'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'latin1'));
}

/** A DER BIT STRING of key usage bits (bit 0 = digitalSignature), trailing zero bits dropped. */
function keyUsageBits(bits: boolean[]): Buffer {
  let value = 0;
  bits.forEach((on, i) => {
    if (on) value |= 0x80 >> i;
  });
  if (value === 0) return tlv(0x03, Buffer.from([0]));
  let unused = 0;
  while (!(value & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, value]));
}

const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [Buffer.from([0x01, 0x01, 0xff])] : []), octets(value));

/**
 * A self-signed X.509 v3 certificate and its key (RSA, or ECDSA P-256/P-384 made natively) in
 * a passphrase-protected PKCS#12 that OpenSSL 3, NSS and keytool open (see writeP12). Key usage
 * digitalSignature + nonRepudiation; with `ca`, also a CA so it can be trusted.
 */
export function generateSelfSignedP12(options: KeygenOptions): KeygenResult {
  const keyType = options.keyType ?? 'rsa';
  const { privateKey, publicKey } =
    keyType === 'rsa'
      ? crypto.generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 })
      : crypto.generateKeyPairSync('ec', {
          namedCurve: keyType === 'ec-p384' ? 'secp384r1' : 'prime256v1',
        });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // The subject key identifier: SHA-1 of the public key's BIT STRING contents (RFC 5280 4.2.1.2).
  const spkiParts = forgeFreeChildren(spki);
  const ski = crypto.createHash('sha1').update(spkiParts.subjectPublicKey).digest();
  // A positive serial with no leading zero byte: DER keeps all 16 bytes.
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const now = options.now ?? new Date();
  const from = options.validFrom ?? new Date(now.getTime() - 60_000);
  const to = options.validTo ?? new Date(now.getTime() + (options.days ?? 365) * 86_400_000);
  // CN as UTF8String (non-ASCII names read right in every viewer), e-mail as IA5String (RFC 5280).
  const name = seq(
    setOf(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(options.name, 'utf8')))),
    ...(options.email
      ? [setOf(seq(oid('1.2.840.113549.1.9.1'), tlv(0x16, Buffer.from(options.email, 'latin1'))))]
      : []),
  );
  const usage = options.keyUsage ?? { digitalSignature: true, nonRepudiation: true };
  const ca = Boolean(options.ca);
  const extensions = [
    extension(EXT.basicConstraints, true, seq(...(ca ? [Buffer.from([0x01, 0x01, 0xff])] : []))),
    extension(
      EXT.keyUsage,
      true,
      keyUsageBits([usage.digitalSignature, usage.nonRepudiation, false, false, false, ca, ca]),
    ),
    extension(EXT.subjectKeyIdentifier, false, octets(ski)),
    extension(EXT.authorityKeyIdentifier, false, seq(tlv(0x80, ski))),
    ...(options.email
      ? [extension(EXT.subjectAltName, false, seq(tlv(0x81, Buffer.from(options.email, 'latin1'))))]
      : []),
  ];
  const hash = keyType === 'ec-p384' ? 'sha384' : 'sha256';
  const algorithm =
    keyType === 'rsa'
      ? seq(oid(OID.sha256WithRSA), derNull())
      : seq(oid(keyType === 'ec-p384' ? OID.ecdsaSha384 : OID.ecdsaSha256));
  const tbs = seq(
    contextConstructed(0, integer(2)),
    tlv(0x02, serial),
    algorithm,
    name,
    seq(time(from), time(to)),
    name,
    spki,
    contextConstructed(3, seq(...extensions)),
  );
  const signature = crypto.sign(hash, tbs, privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
  const p12 = writeP12({
    privateKey,
    certificate: der,
    passphrase: options.passphrase,
    friendlyName: options.name,
  });
  const x509 = new crypto.X509Certificate(der);
  return {
    p12,
    subject: x509.subject.split('\n').join(', '),
    fingerprint: x509.fingerprint256,
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
    certificatePem: x509.toString(),
  };
}

/** The subjectPublicKey BIT STRING's contents (after its unused-bits byte) of an SPKI. */
function forgeFreeChildren(spki: Buffer): { subjectPublicKey: Buffer } {
  const outer = readTlv(spki, 0);
  const [, bits] = children(spki, outer);
  return { subjectPublicKey: spki.subarray(bits.valueStart + 1, bits.end) };
}
