import forge from 'node-forge';
import { DIGEST_NAMES, OID } from './der';

/**
 * Reads a CMS SignedData (RFC 5652) with node-forge's ASN.1 parser: BER as other signing tools
 * write it (indefinite lengths, constructed OCTET STRINGs), every length checked against its
 * container. Throws CmsError on anything it cannot read; never returns half-read facts.
 */

export class CmsError extends Error {}

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

/** Whether a node is the context-specific tag [n] (the enum types of forge's typings differ). */
export function isContextTag(node: Asn1 | undefined, n: number): boolean {
  return Number(node?.tagClass) === Number(Class.CONTEXT_SPECIFIC) && Number(node?.type) === n;
}

/** What verification needs from one SignedData with one SignerInfo. */
export interface CmsFacts {
  /** Node hash name of the SignerInfo's digest algorithm, or the OID when unknown. */
  digestName: string;
  /** The digest algorithm named in the SignerInfo, dotted OID. */
  digestOid: string;
  /** Signed attributes, re-encoded as the DER SET the signature covers; undefined without them. */
  signedAttrs?: Buffer;
  messageDigest?: Buffer;
  contentType?: string;
  cmsSigningTime?: Date;
  /** The encapsulated content type and content (a timestamp token's TSTInfo). */
  eContentType: string;
  eContent?: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
  /** Every certificate the CMS carries, DER. */
  certificates: Buffer[];
  /** The signer's certificate (matched by issuer and serial, or subject key identifier). */
  signerCertificate?: Buffer;
  essCertHash?: { algorithm: string; hash: Buffer };
  /** An RFC 3161 signature timestamp token (unsigned attribute), DER. */
  timestampToken?: Buffer;
}

function der(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

function kids(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new CmsError(`${what} is not a sequence`);
  return node.value;
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || node.type !== Type.OID || typeof node.value !== 'string')
    throw new CmsError(`${what} is not an object identifier`);
  return forge.asn1.derToOid(node.value);
}

/** An OCTET STRING's bytes, also when BER splits it into constructed chunks. */
function octetsOf(node: Asn1 | undefined, what: string): Buffer {
  if (!node) throw new CmsError(`${what} is missing`);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map((c) => octetsOf(c, what)));
}

function timeOf(node: Asn1 | undefined): Date | undefined {
  if (!node || typeof node.value !== 'string') return undefined;
  try {
    if (node.type === Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value);
    if (node.type === Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value);
  } catch {
    return undefined;
  }
  return undefined;
}

/** Parses BER/DER from the start of `bytes`; trailing bytes (the /Contents padding) are ignored. */
export function parseAsn1(bytes: Buffer): Asn1 {
  try {
    // NOTE: @types/node-forge knows only the boolean form; forge 1.x takes these options.
    const fromDer = forge.asn1.fromDer as unknown as (
      b: forge.util.ByteStringBuffer,
      o: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean },
    ) => Asn1;
    return fromDer(forge.util.createBuffer(bytes.toString('binary')), {
      strict: true,
      parseAllBytes: false,
      decodeBitStrings: false,
    });
  } catch (err) {
    throw new CmsError(`damaged ASN.1 (${(err as Error).message})`);
  }
}

/** Issuer and serial of a certificate, DER, for matching a SignerInfo's sid. */
function issuerSerial(cert: Asn1): { issuer: Buffer; serial: Buffer; ski?: Buffer } {
  const tbs = kids(kids(cert, 'certificate')[0], 'TBSCertificate');
  const i = isContextTag(tbs[0], 0) ? 1 : 0;
  const serial = tbs[i];
  const issuer = tbs[i + 2];
  if (!serial || !issuer) throw new CmsError('certificate without issuer or serial number');
  let ski: Buffer | undefined;
  const ext = tbs.find((n) => isContextTag(n, 3));
  if (ext && Array.isArray(ext.value) && ext.value[0] && Array.isArray(ext.value[0].value)) {
    for (const e of ext.value[0].value) {
      const parts = kids(e, 'extension');
      if (oidOf(parts[0], 'extension id') === '2.5.29.14') {
        ski = octetsOf(parseAsn1(octetsOf(parts[parts.length - 1], 'extension')), 'SKI');
      }
    }
  }
  return { issuer: der(issuer), serial: der(serial), ...(ski ? { ski } : {}) };
}

/** Reads a CMS ContentInfo holding SignedData with exactly one SignerInfo. */
export function readCms(bytes: Buffer): CmsFacts {
  const top = parseAsn1(bytes);
  const [ctype, wrapped] = kids(top, 'ContentInfo');
  if (oidOf(ctype, 'content type') !== OID.signedData) throw new CmsError('not a CMS SignedData');
  const signedData = kids(wrapped, 'content')[0];
  const parts = kids(signedData, 'SignedData');
  const encap = kids(parts[2], 'EncapsulatedContentInfo');
  const eContentType = oidOf(encap[0], 'eContentType');
  const eContent = encap[1] ? octetsOf(kids(encap[1], 'eContent')[0], 'eContent') : undefined;
  const certsNode = parts.find((p) => isContextTag(p, 0) && p !== parts[0]);
  const certNodes = certsNode ? kids(certsNode, 'certificates') : [];
  // NOTE: other certificate choices (attribute certificates, [1]..[3]) are skipped.
  const certs = certNodes.filter((c) => c.tagClass === Class.UNIVERSAL && c.type === Type.SEQUENCE);
  const signerInfos = kids(parts[parts.length - 1], 'SignerInfos');
  if (signerInfos.length !== 1)
    throw new CmsError(`${signerInfos.length} SignerInfos (a PDF signature has exactly one)`);
  const si = kids(signerInfos[0], 'SignerInfo');
  const [, sid, digestAlg] = si;
  const digestOid = oidOf(kids(digestAlg, 'digest algorithm')[0], 'digest algorithm');
  let i = 3;
  const facts: Partial<CmsFacts> = {
    digestOid,
    digestName: DIGEST_NAMES[digestOid] ?? digestOid,
    eContentType,
    ...(eContent ? { eContent } : {}),
  };
  const attrsNode = si[i];
  if (isContextTag(attrsNode, 0)) {
    // The signature covers the attributes as a DER SET OF (tag 0x31), not as [0] IMPLICIT.
    const asSet = forge.asn1.create(Class.UNIVERSAL, Type.SET, true, kids(attrsNode, 'attributes'));
    facts.signedAttrs = der(asSet);
    for (const attr of kids(attrsNode, 'attributes')) {
      const [type, values] = kids(attr, 'attribute');
      const kind = oidOf(type, 'attribute type');
      const first = kids(values, 'attribute values')[0];
      if (!first) continue;
      if (kind === OID.messageDigest) facts.messageDigest = octetsOf(first, 'message digest');
      else if (kind === OID.contentType) facts.contentType = oidOf(first, 'content type');
      else if (kind === OID.signingTime) facts.cmsSigningTime = timeOf(first);
      else if (kind === OID.signingCertificateV2) {
        const id = kids(kids(first, 'SigningCertificateV2')[0], 'certs')[0];
        if (id) {
          const fields = kids(id, 'ESSCertIDv2');
          const hasAlg = fields[0]?.type === Type.SEQUENCE;
          const algOid = hasAlg ? oidOf(kids(fields[0], 'hash algorithm')[0], 'hash') : OID.sha256;
          facts.essCertHash = {
            algorithm: DIGEST_NAMES[algOid] ?? algOid,
            hash: octetsOf(fields[hasAlg ? 1 : 0], 'certificate hash'),
          };
        }
      }
    }
    i++;
  }
  facts.signatureAlgorithm = oidOf(kids(si[i], 'signature algorithm')[0], 'signature algorithm');
  facts.signature = octetsOf(si[i + 1], 'signature');
  const unsigned = si[i + 2];
  if (isContextTag(unsigned, 1)) {
    for (const attr of kids(unsigned, 'unsigned attributes')) {
      const [type, values] = kids(attr, 'attribute');
      if (oidOf(type, 'attribute type') === OID.timestampToken) {
        const token = kids(values, 'timestamp token')[0];
        if (token) facts.timestampToken = der(token);
      }
    }
  }
  facts.certificates = certs.map(der);
  // The signer's certificate: issuer and serial, or [0] subjectKeyIdentifier.
  if (sid?.type === Type.SEQUENCE) {
    const [issuer, serial] = kids(sid, 'IssuerAndSerialNumber');
    const want = Buffer.concat([der(issuer), der(serial)]);
    const at = certs.findIndex((c) => {
      const p = issuerSerial(c);
      return Buffer.concat([p.issuer, p.serial]).equals(want);
    });
    if (at >= 0) facts.signerCertificate = facts.certificates[at];
  } else if (sid?.tagClass === Class.CONTEXT_SPECIFIC) {
    const want = octetsOf(sid, 'subject key identifier');
    const at = certs.findIndex((c) => issuerSerial(c).ski?.equals(want));
    if (at >= 0) facts.signerCertificate = facts.certificates[at];
  }
  return facts as CmsFacts;
}

/** TSTInfo (RFC 3161): the imprint a timestamp token vouches for and its time. */
export interface TstInfo {
  imprintAlgorithm: string;
  imprint: Buffer;
  genTime: Date;
}

export function readTstInfo(bytes: Buffer): TstInfo {
  const fields = kids(parseAsn1(bytes), 'TSTInfo');
  const imprint = kids(fields[2], 'messageImprint');
  const alg = oidOf(kids(imprint[0], 'hash algorithm')[0], 'hash algorithm');
  const genTime = timeOf(fields[4]);
  if (!genTime) throw new CmsError('timestamp without a readable genTime');
  return {
    imprintAlgorithm: DIGEST_NAMES[alg] ?? alg,
    imprint: octetsOf(imprint[1], 'hashed message'),
    genTime,
  };
}
