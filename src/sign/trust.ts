import crypto from 'node:crypto';
import forge from 'node-forge';
import { CmsError, isContextTag, parseAsn1 } from './cms-read';

/**
 * Whom a signature can be traced to: the chain from the signer's certificate through the
 * certificates the signature carries to a certificate the user trusts (an anchor), with every
 * issuer's signature, basicConstraints, key usage and validity checked at the proven time.
 */

/** A certificate the user trusts, and where it came from (a file, for the report). */
export interface TrustAnchor {
  der: Buffer;
  x509: crypto.X509Certificate;
  source: string;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** SHA-256 of the DER, colon-separated hex. */
  fingerprint: string;
  validFrom: string;
  validTo: string;
}

export interface ChainReport {
  /** Signer first, anchor (if reached) last. */
  chain: CertificateSummary[];
  /** The trusted certificate the chain ends in, or undefined: "not trusted". */
  anchor?: CertificateSummary & { source: string };
  /** Why the chain is not acceptable (beyond "not trusted"), first reason first. */
  problems: string[];
}

const SHA1_SIGNATURES = new Set([
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  '1.2.840.10045.4.1', // ecdsa-with-SHA1
  '1.2.840.10040.4.3', // dsa-with-sha1
  '1.3.14.3.2.29',
]);

/** Certificate facts Node's X509Certificate does not give: key usage bits, signature algorithm. */
export interface CertificateFacts {
  signatureAlgorithm: string;
  keyUsage?: { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean };
}

export function certificateFacts(der: Buffer): CertificateFacts {
  const cert = parseAsn1(der);
  const parts = cert.value as forge.asn1.Asn1[];
  const algNode = (parts[1]?.value as forge.asn1.Asn1[] | undefined)?.[0];
  if (!algNode || typeof algNode.value !== 'string')
    throw new CmsError('certificate without a signature algorithm');
  const facts: CertificateFacts = { signatureAlgorithm: forge.asn1.derToOid(algNode.value) };
  const tbs = parts[0]?.value as forge.asn1.Asn1[];
  const ext = tbs?.find((n) => isContextTag(n, 3));
  const list = (ext?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value;
  if (Array.isArray(list)) {
    for (const e of list) {
      const f = e.value as forge.asn1.Asn1[];
      if (typeof f[0]?.value !== 'string') continue;
      if (forge.asn1.derToOid(f[0].value) !== '2.5.29.15') continue;
      const octets = f[f.length - 1].value;
      if (typeof octets !== 'string') continue;
      const bits = parseAsn1(Buffer.from(octets, 'binary')).value;
      const b = typeof bits === 'string' ? bits.charCodeAt(1) || 0 : 0;
      facts.keyUsage = {
        digitalSignature: Boolean(b & 0x80),
        nonRepudiation: Boolean(b & 0x40),
        keyCertSign: Boolean(b & 0x04),
      };
    }
  }
  return facts;
}

export function summarise(x: crypto.X509Certificate): CertificateSummary {
  return {
    subject: oneLine(x.subject),
    issuer: oneLine(x.issuer),
    fingerprint: x.fingerprint256,
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
  };
}

/** `CN=…, O=…` on one line, as Node prints a distinguished name across lines. */
export function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

function issuedBy(cert: crypto.X509Certificate, issuer: crypto.X509Certificate): boolean {
  if (cert.issuer !== issuer.subject) return false;
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Certificates in PEM (any number) or one DER certificate. Throws on anything else. */
export function parseCertificates(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const out: Buffer[] = [];
    for (const m of text.matchAll(
      /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g,
    ))
      out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    for (const d of out) new crypto.X509Certificate(d);
    return out;
  }
  new crypto.X509Certificate(bytes);
  return [bytes];
}

/**
 * Builds and checks the chain of `signer` at `at` (the proven time). `pool` are the other
 * certificates the signature carries; they are never trusted by themselves.
 */
export function checkChain(options: {
  signer: crypto.X509Certificate;
  pool: crypto.X509Certificate[];
  anchors: TrustAnchor[];
  at: Date;
  /** What the signer's certificate must allow: a signature, or a timestamp. */
  purpose: 'signature' | 'timestamp';
}): ChainReport {
  const { signer, pool, anchors, at } = options;
  const chain: crypto.X509Certificate[] = [signer];
  const problems: string[] = [];
  let anchor: TrustAnchor | undefined;
  for (let cur = signer; chain.length <= 10;) {
    anchor = anchors.find((a) => a.x509.fingerprint256 === cur.fingerprint256);
    if (anchor) break;
    const next =
      anchors.map((a) => a.x509).find((c) => issuedBy(cur, c)) ??
      pool.find((c) => c.fingerprint256 !== cur.fingerprint256 && issuedBy(cur, c));
    if (!next) break;
    chain.push(next);
    cur = next;
  }
  chain.forEach((c, i) => {
    const facts = certificateFacts(Buffer.from(c.raw));
    const name = oneLine(c.subject);
    if (i === 0) {
      const ku = facts.keyUsage;
      if (options.purpose === 'signature' && ku && !ku.digitalSignature && !ku.nonRepudiation)
        problems.push(`the certificate of ${name} is not for signing (key usage)`);
      if (options.purpose === 'timestamp' && !(c.keyUsage ?? []).includes('1.3.6.1.5.5.7.3.8'))
        problems.push(`the certificate of ${name} is not a timestamping certificate`);
    } else {
      if (!c.ca)
        problems.push(
          `${name} is not a CA (basicConstraints) but issued ${oneLine(chain[i - 1].subject)}`,
        );
      if (facts.keyUsage && !facts.keyUsage.keyCertSign)
        problems.push(`${name} may not issue certificates (key usage lacks keyCertSign)`);
    }
    // The anchor's own self-signature proves nothing; every other signature must not be SHA-1.
    const isAnchor = anchor && i === chain.length - 1 && c.issuer === c.subject;
    if (!isAnchor && SHA1_SIGNATURES.has(facts.signatureAlgorithm))
      problems.push(`the certificate of ${name} is signed with SHA-1, which is not acceptable`);
    if (at < new Date(c.validFrom) || at > new Date(c.validTo))
      problems.push(
        `the certificate of ${name} is not valid at ${at.toISOString()} (valid ${new Date(c.validFrom).toISOString()} to ${new Date(c.validTo).toISOString()})`,
      );
  });
  return {
    chain: chain.map(summarise),
    ...(anchor ? { anchor: { ...summarise(anchor.x509), source: anchor.source } } : {}),
    problems,
  };
}
