import crypto from 'node:crypto';
import {
  OID,
  certificateParts,
  contextConstructed,
  derNull,
  integer,
  octets,
  oid,
  seq,
  setOf,
  tlv,
} from './der';

/**
 * A detached CMS SignedData in the PAdES baseline B-B profile (ETSI EN 319 142-1): SHA-256,
 * signed attributes content-type, message-digest and signing-certificate-v2; no signing-time
 * attribute (PAdES puts the claimed time in the signature dictionary's /M instead).
 *
 * NOTE: built by hand because node-forge's pkcs7 accepts only the attributes it knows, and
 * @signpdf/signer-p12 adds no signing-certificate-v2 (pdf-notes.md).
 */
export function createCadesSignature(options: {
  /** SHA-256 of the bytes the signature covers (the PDF's ByteRange). */
  contentDigest: Buffer;
  certificate: Buffer;
  /** Further certificates to embed (intermediate CAs). */
  chain?: Buffer[];
  privateKey: crypto.KeyObject;
  /**
   * Encapsulated content (a timestamp token's TSTInfo); `contentDigest` is then its digest.
   * Default: detached, id-data.
   */
  content?: { type: string; bytes: Buffer };
  /** The digest algorithm of `contentDigest` and of the signature; default cmsDigestFor(key). */
  digest?: 'sha256' | 'sha384';
}): Buffer {
  const { contentDigest, certificate, chain = [], privateKey, content } = options;
  const digest = options.digest ?? cmsDigestFor(privateKey);
  const { issuer, serial } = certificateParts(certificate);
  const digestAlg = seq(oid(digest === 'sha384' ? OID.sha384 : OID.sha256), derNull());

  const attribute = (type: string, value: Buffer) => seq(oid(type), setOf(value));
  // ESSCertIDv2: hashAlgorithm is left out because SHA-256 is its DEFAULT (DER omits defaults).
  const essCertIdV2 = seq(
    octets(crypto.createHash('sha256').update(certificate).digest()),
    // IssuerSerial: GeneralNames with the issuer as directoryName [4].
    seq(seq(contextConstructed(4, issuer)), serial),
  );
  const attributes = [
    attribute(OID.contentType, oid(content?.type ?? OID.data)),
    attribute(OID.messageDigest, octets(contentDigest)),
    attribute(OID.signingCertificateV2, seq(seq(essCertIdV2))),
  ];
  const signedAttrs = setOf(...attributes);
  // The signature covers the attributes as a SET (tag 0x31); in SignerInfo they are [0] IMPLICIT.
  const signature = crypto.sign(digest, signedAttrs, privateKey);
  const signedAttrsImplicit = Buffer.concat([Buffer.from([0xa0]), signedAttrs.subarray(1)]);

  const signerInfo = seq(
    integer(1),
    seq(issuer, serial),
    digestAlg,
    signedAttrsImplicit,
    // ECDSA keys sign as ecdsa-with-SHA256/384 (no parameters), RSA keys as rsaEncryption.
    privateKey.asymmetricKeyType === 'ec'
      ? seq(oid(digest === 'sha384' ? OID.ecdsaSha384 : OID.ecdsaSha256))
      : seq(oid(OID.rsaEncryption), derNull()),
    octets(signature),
  );
  const signedData = seq(
    integer(1),
    setOf(digestAlg),
    // Detached: the encapsulated content type is id-data with no content.
    content
      ? seq(oid(content.type), contextConstructed(0, octets(content.bytes)))
      : seq(oid(OID.data)),
    // certificates [0] IMPLICIT SET OF Certificate; the signer's first.
    tlv(0xa0, certificate, ...chain),
    setOf(signerInfo),
  );
  return seq(oid(OID.signedData), contextConstructed(0, signedData));
}

/** The digest a key signs with: SHA-384 for ECDSA P-384 (its security level), else SHA-256. */
export function cmsDigestFor(key: crypto.KeyObject): 'sha256' | 'sha384' {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
    ? 'sha384'
    : 'sha256';
}
