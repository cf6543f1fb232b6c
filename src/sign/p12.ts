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
