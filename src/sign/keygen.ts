import crypto from 'node:crypto';
import forge from 'node-forge';

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

/**
 * A self-signed X.509 certificate (SHA-256) and its RSA key in a passphrase-protected PKCS#12.
 * Key usage digitalSignature + nonRepudiation; with `ca`, also a CA so it can be trusted.
 */
export function generateSelfSignedP12(options: KeygenOptions): KeygenResult {
  // NOTE: Node's native generator; node-forge's pure-JS one takes seconds.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const rsaKey = key;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(rsaKey.n, rsaKey.e);
  // A positive serial: clear the top bit so DER needs no sign byte.
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = options.now ?? new Date();
  const from = options.validFrom ?? new Date(now.getTime() - 60_000);
  const to = options.validTo ?? new Date(now.getTime() + (options.days ?? 365) * 86_400_000);
  cert.validity.notBefore = from;
  cert.validity.notAfter = to;
  // CN as UTF8String (non-ASCII names read right in every viewer), e-mail as IA5String (RFC 5280).
  const attrs: forge.pki.CertificateField[] = [
    {
      name: 'commonName',
      value: options.name,
      valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
    },
  ];
  if (options.email)
    attrs.push({
      name: 'emailAddress',
      value: options.email,
      valueTagClass: forge.asn1.Type.IA5STRING as unknown as forge.asn1.Class,
    });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const usage = options.keyUsage ?? { digitalSignature: true, nonRepudiation: true };
  const extensions: object[] = [
    { name: 'basicConstraints', cA: Boolean(options.ca), critical: true },
    {
      name: 'keyUsage',
      critical: true,
      ...usage,
      keyCertSign: Boolean(options.ca),
      cRLSign: Boolean(options.ca),
    },
    { name: 'subjectKeyIdentifier' },
  ];
  if (options.email)
    extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: options.email }] });
  cert.setExtensions(extensions);
  cert.sign(key, forge.md.sha256.create());

  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], options.passphrase, {
    algorithm: 'aes256',
    friendlyName: options.name,
    generateLocalKeyId: true,
  });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
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
