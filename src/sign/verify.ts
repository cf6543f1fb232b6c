import crypto from 'node:crypto';
import { CheckError } from '../errors';
import {
  DIGEST_NAMES,
  OID,
  bytesOf,
  certificateParts,
  children,
  decodeOid,
  readTlv,
  valueOf,
  type Tlv,
} from './der';
import {
  PdfName,
  PdfString,
  isDict,
  parseIndirectObject,
  readRevisions,
  type Revision,
} from './pdf-syntax';

/** What `verifyPdf` found out about one signature. */
export interface SignatureReport {
  /** 1-based, in file order. */
  index: number;
  /** Object number of the signature dictionary. */
  object: number;
  subFilter?: string;
  /** Signer's certificate subject, one line (`CN=…, O=…`). */
  signer?: string;
  issuer?: string;
  selfSigned?: boolean;
  /** Claimed signing time (ISO): the dictionary's /M, else the CMS signing-time attribute. */
  signingTime?: string;
  digestAlgorithm?: string;
  /** The digest of the signed byte ranges equals the signed message-digest attribute. */
  digestMatches: boolean;
  /** The signature over the signed attributes verifies with the certificate's public key. */
  signatureValid: boolean;
  /** signing-certificate-v2 present and naming the signer's certificate (PAdES B-B). */
  signingCertificateV2: boolean;
  certificateValidAtSigningTime: boolean;
  byteRange: number[];
  /** The signed ranges end at the end of the file. */
  coversWholeFile: boolean;
  /** The signed ranges end exactly at the end of a revision (its %%EOF). */
  coversRevision: boolean;
  valid: boolean;
  /** Why it is not valid, first reason first. */
  problems: string[];
}

export interface VerifyReport {
  fileSize: number;
  signatures: SignatureReport[];
  /** Bytes after the end of the last signature's ranges. */
  appendedAfterLastSignature: number;
  valid: boolean;
  /** One short reason when not valid: "no signature", "digest mismatch", "modified after signing", … */
  reason?: string;
}

const DIGEST_LABELS: Record<string, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (later parts optional) to a Date. */
export function parsePdfDate(s: string): Date | undefined {
  const m =
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(
      s.trim(),
    );
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
  const offset = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (+oh * 60 + +om) : 0;
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function derTime(buf: Buffer, t: Tlv): Date | undefined {
  const s = valueOf(buf, t).toString('latin1');
  // UTCTime YYMMDDHHMMSSZ (years 1950-2049) or GeneralizedTime YYYYMMDDHHMMSSZ.
  const full = t.tag === 0x17 ? `${+s.slice(0, 2) >= 50 ? '19' : '20'}${s}` : s;
  return parsePdfDate(full);
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

interface CmsFacts {
  digestName?: string;
  messageDigest?: Buffer;
  cmsSigningTime?: Date;
  certificate?: Buffer;
  signedAttrs?: Buffer;
  signature?: Buffer;
  signatureAlgorithm?: string;
  essCertHash?: { algorithm: string; hash: Buffer };
}

/** Pulls what verification needs out of a DER CMS ContentInfo (throws on malformed input). */
function readCms(der: Buffer): CmsFacts {
  const top = readTlv(der, 0);
  const [ctype, wrapped] = children(der, top);
  if (!ctype || decodeOid(valueOf(der, ctype)) !== OID.signedData || !wrapped)
    throw new Error('not a CMS SignedData');
  const signedData = children(der, wrapped)[0];
  const parts = children(der, signedData);
  const certs = parts.find((p) => p.tag === 0xa0);
  const signerInfos = parts[parts.length - 1];
  const signerInfo = children(der, signerInfos)[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  const si = children(der, signerInfo);
  const [, sid, digestAlg] = si;
  const facts: CmsFacts = {};
  const digestOid = decodeOid(valueOf(der, children(der, digestAlg)[0]));
  facts.digestName = DIGEST_NAMES[digestOid];
  let i = 3;
  if (si[i]?.tag === 0xa0) {
    const attrs = si[i];
    facts.signedAttrs = Buffer.concat([
      Buffer.from([0x31]),
      der.subarray(attrs.start + 1, attrs.end),
    ]);
    for (const attr of children(der, attrs)) {
      const [type, values] = children(der, attr);
      const kind = decodeOid(valueOf(der, type));
      const first = children(der, values)[0];
      if (!first) continue;
      if (kind === OID.messageDigest) facts.messageDigest = Buffer.from(valueOf(der, first));
      else if (kind === OID.signingTime) facts.cmsSigningTime = derTime(der, first);
      else if (kind === OID.signingCertificateV2) {
        const certIds = children(der, children(der, first)[0]);
        const id = certIds[0];
        if (id) {
          const fields = children(der, id);
          const hasAlg = fields[0]?.tag === 0x30;
          const algOid = hasAlg ? decodeOid(valueOf(der, children(der, fields[0])[0])) : OID.sha256;
          const hash = fields[hasAlg ? 1 : 0];
          if (hash)
            facts.essCertHash = {
              algorithm: DIGEST_NAMES[algOid] ?? algOid,
              hash: Buffer.from(valueOf(der, hash)),
            };
        }
      }
    }
    i++;
  }
  facts.signatureAlgorithm = decodeOid(valueOf(der, children(der, si[i])[0]));
  facts.signature = Buffer.from(valueOf(der, si[i + 1]));

  // The signer's certificate: the one whose issuer and serial match the SignerInfo's sid.
  const certList = certs ? children(der, certs).map((c) => Buffer.from(bytesOf(der, c))) : [];
  if (sid?.tag === 0x30) {
    const [issuer, serial] = children(der, sid);
    const want = Buffer.concat([bytesOf(der, issuer), bytesOf(der, serial)]);
    facts.certificate = certList.find((c) => {
      try {
        const p = certificateParts(c);
        return Buffer.concat([p.issuer, p.serial]).equals(want);
      } catch {
        return false;
      }
    });
  } else {
    facts.certificate = certList[0];
  }
  return facts;
}

const SIGNATURE_ALGORITHMS = new Set<string>([
  OID.rsaEncryption,
  OID.sha1WithRSA,
  OID.sha256WithRSA,
  OID.sha384WithRSA,
  OID.sha512WithRSA,
  OID.ecdsaSha256,
  OID.ecdsaSha384,
  OID.ecdsaSha512,
]);

function str(v: unknown): string | undefined {
  if (v instanceof PdfString) return v.text();
  if (v instanceof PdfName) return v.name;
  return undefined;
}

function verifyOne(
  pdf: Buffer,
  objectOffset: number,
  index: number,
  revisions: Revision[],
): SignatureReport {
  const report: SignatureReport = {
    index,
    object: 0,
    digestMatches: false,
    signatureValid: false,
    signingCertificateV2: false,
    certificateValidAtSigningTime: false,
    byteRange: [],
    coversWholeFile: false,
    coversRevision: false,
    valid: false,
    problems: [],
  };
  const fail = (p: string): SignatureReport => {
    report.problems.push(p);
    return report;
  };
  let dict;
  try {
    const obj = parseIndirectObject(pdf, objectOffset);
    report.object = obj.num;
    dict = obj.value;
  } catch {
    return fail('damaged signature dictionary');
  }
  if (!isDict(dict)) return fail('damaged signature dictionary');
  report.subFilter = str(dict.get('SubFilter'));
  const range = dict.get('ByteRange');
  if (
    !Array.isArray(range) ||
    range.length !== 4 ||
    !range.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
  ) {
    return fail('damaged signature dictionary (bad /ByteRange)');
  }
  const [a, b, c, d] = range as number[];
  report.byteRange = [a, b, c, d];
  const end = c + d;
  if (end > pdf.length || b > c)
    return fail('truncated (the file is shorter than its signature covers)');
  // The hole between the two ranges must be exactly the /Contents hex string, nothing else.
  const hole = pdf.toString('latin1', b, c);
  if (a !== 0 || !/^<[0-9A-Fa-f]*>$/.test(hole))
    return fail('the signed ranges do not cover the file (bad /ByteRange)');
  // ... and it must be this dictionary's own /Contents, not another signature's.
  const objectEnd = pdf.indexOf('endobj', objectOffset, 'latin1');
  if (b < objectOffset || (objectEnd >= 0 && c > objectEnd)) {
    return fail(
      'the signed ranges do not cover the file (/ByteRange points outside its signature)',
    );
  }
  report.coversWholeFile = end === pdf.length;
  report.coversRevision = revisions.some((r) => r.end === end) || report.coversWholeFile;

  let cms: Buffer = Buffer.from(hole.slice(1, -1), 'hex');
  let facts: CmsFacts;
  try {
    cms = cms.subarray(0, readTlv(cms, 0).end);
    facts = readCms(cms);
  } catch {
    return fail('invalid signature (the CMS signature data is damaged)');
  }
  let x509: crypto.X509Certificate | undefined;
  try {
    if (facts.certificate) x509 = new crypto.X509Certificate(facts.certificate);
  } catch {
    return fail('invalid signature (the signer certificate is damaged)');
  }
  if (!x509) return fail('invalid signature (no signer certificate)');
  report.signer = oneLine(x509.subject);
  report.issuer = oneLine(x509.issuer);
  try {
    // NOTE: not checkIssued(): OpenSSL also demands keyCertSign there, which signing-only
    // self-signed certificates lack.
    report.selfSigned = x509.subject === x509.issuer && x509.verify(x509.publicKey);
  } catch {
    report.selfSigned = false;
  }

  const m = str(dict.get('M'));
  const claimed = (m ? parsePdfDate(m) : undefined) ?? facts.cmsSigningTime;
  report.signingTime = claimed?.toISOString();
  const digestName = facts.digestName;
  if (!digestName) return fail('unsupported digest algorithm');
  report.digestAlgorithm = DIGEST_LABELS[digestName] ?? digestName;

  const digest = crypto
    .createHash(digestName)
    .update(pdf.subarray(0, b))
    .update(pdf.subarray(c, end))
    .digest();
  if (facts.signedAttrs) {
    report.digestMatches = Boolean(facts.messageDigest?.equals(digest));
  }
  if (!SIGNATURE_ALGORITHMS.has(facts.signatureAlgorithm ?? '')) {
    report.problems.push(`unsupported signature algorithm ${facts.signatureAlgorithm}`);
  } else {
    try {
      // NOTE: without signed attributes (old PKCS#7) the signature is over the content itself.
      const signed = facts.signedAttrs ?? Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, end)]);
      report.signatureValid = crypto.verify(digestName, signed, x509.publicKey, facts.signature!);
      if (!facts.signedAttrs) report.digestMatches = report.signatureValid;
    } catch {
      report.signatureValid = false;
    }
  }
  if (facts.essCertHash) {
    report.signingCertificateV2 = crypto
      .createHash(facts.essCertHash.algorithm)
      .update(facts.certificate!)
      .digest()
      .equals(facts.essCertHash.hash);
  }
  const at = claimed ?? new Date();
  report.certificateValidAtSigningTime =
    at >= new Date(x509.validFrom) && at <= new Date(x509.validTo);

  if (!report.digestMatches) report.problems.push('digest mismatch');
  if (!report.signatureValid && !report.problems.some((p) => p.startsWith('unsupported'))) {
    report.problems.push('invalid signature (it does not match the signer certificate)');
  }
  if (facts.essCertHash && !report.signingCertificateV2) {
    report.problems.push('signing-certificate-v2 attribute does not name the signer certificate');
  }
  if (!report.certificateValidAtSigningTime)
    report.problems.push('certificate not valid at signing time');
  report.valid = report.problems.length === 0;
  return report;
}

/**
 * Checks every signature of a PDF: the digest over its byte ranges against the signed
 * message-digest, the signature against the embedded certificate, the certificate's validity at
 * the claimed signing time, and which bytes each signature covers. Throws a CheckError when the
 * file is not a PDF at all.
 */
export function verifyPdf(pdf: Buffer): VerifyReport {
  if (pdf.toString('latin1', 0, 5) !== '%PDF-')
    throw new CheckError('not a PDF file (no %PDF- header)');
  let revisions: Revision[] = [];
  try {
    revisions = readRevisions(pdf);
  } catch {
    // NOTE: a damaged cross-reference does not stop signature checks; coverage then only
    // compares against the end of the file.
  }
  const text = pdf.toString('latin1');
  const signatures: SignatureReport[] = [];
  // NOTE: signature dictionaries are never inside compressed object streams (their /Contents
  // must be a hole in the file's bytes), so scanning the raw file finds every one of them.
  const re = /\/ByteRange\s*\[\s*\d+\s+\d/g;
  for (let hit = re.exec(text); hit; hit = re.exec(text)) {
    const objKeyword = text.lastIndexOf(' obj', hit.index);
    const header = /(\d+)\s+(\d+)\s*$/.exec(text.slice(Math.max(0, objKeyword - 24), objKeyword));
    if (objKeyword < 0 || !header) continue;
    const objStart = objKeyword - header[0].length;
    signatures.push(verifyOne(pdf, objStart, signatures.length + 1, revisions));
  }
  const ends = signatures.map((s) =>
    s.byteRange.length === 4 ? s.byteRange[2] + s.byteRange[3] : 0,
  );
  const lastEnd = Math.max(0, ...ends);
  const appended = signatures.length ? Math.max(0, pdf.length - lastEnd) : 0;
  const report: VerifyReport = {
    fileSize: pdf.length,
    signatures,
    appendedAfterLastSignature: appended,
    valid: false,
  };
  const failed = signatures.find((s) => !s.valid);
  if (!signatures.length) {
    const eof = text.lastIndexOf('%%EOF');
    if (eof < 0 || text.slice(eof + 5).trim() !== '')
      throw new CheckError(
        'the file is truncated or damaged (it does not end with %%EOF; get a complete copy of it)',
      );
    report.reason = 'no signature';
  } else if (failed) report.reason = failed.problems[0];
  else if (appended > 0) report.reason = 'modified after signing';
  report.valid = report.reason === undefined;
  return report;
}
