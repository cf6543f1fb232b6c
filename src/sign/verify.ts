import crypto from 'node:crypto';
import { CheckError } from '../errors';
import { CmsError, readCms, readTstInfo, type CmsFacts } from './cms-read';
import { OID } from './der';
import {
  PdfFile,
  PdfName,
  PdfRef,
  PdfString,
  PdfSyntaxError,
  isDict,
  isStream,
  readRevisions,
  valueSpan,
  type PdfDict,
  type PdfValue,
  type Revision,
} from './pdf-syntax';
import { forbiddenChanges, type RevisionChange } from './revisions';
import {
  checkChain,
  oneLine,
  type CertificateSummary,
  type ChainReport,
  type TrustAnchor,
} from './trust';

/** What `verifyPdf` found out about one signature. */
export interface SignatureReport {
  /** 1-based, in the order of the revisions they sign. */
  index: number;
  /** Object number of the signature dictionary. */
  object: number;
  /** The signature field's name (/T). */
  field: string;
  /** 1-based revision this signature covers, of `revisions` in the report. */
  revision: number;
  /** certification (DocMDP), approval (an ordinary signature), or a document timestamp. */
  kind: 'certification' | 'approval' | 'timestamp';
  /** The certification's DocMDP permission (1 no changes, 2 form fill-in and signing, 3 annotations too). */
  docMdp?: number;
  subFilter?: string;
  /** Signer's certificate subject, one line (`CN=…, O=…`). */
  signer?: string;
  issuer?: string;
  selfSigned?: boolean;
  /** SHA-256 fingerprint of the signer's certificate, colon-separated hex. */
  fingerprint?: string;
  /** Signer first; the trust anchor last when one was reached. */
  chain: CertificateSummary[];
  /** The certificate the user trusts that this signature chains to. */
  anchor?: CertificateSummary & { source: string };
  trusted: boolean;
  /** Claimed signing time (ISO): the dictionary's /M, else the CMS signing-time. Proves nothing. */
  signingTime?: string;
  /** The time the certificates were checked at (ISO): a timestamp's, else the time of checking. */
  provenTime: string;
  provenBy: 'timestamp' | 'now';
  digestAlgorithm?: string;
  /** The digest of the signed byte ranges equals the signed message-digest attribute. */
  digestMatches: boolean;
  /** The signature over the signed attributes verifies with the certificate's public key. */
  signatureValid: boolean;
  /** signing-certificate-v2 present and naming the signer's certificate (PAdES B-B). */
  signingCertificateV2: boolean;
  /** Every certificate of the chain is valid at `provenTime`. */
  certificateValid: boolean;
  byteRange: number[];
  /** The signed ranges end at the end of the file. */
  coversWholeFile: boolean;
  /** The signed ranges end exactly at the end of a revision (its %%EOF). */
  coversRevision: boolean;
  /** The signature itself checks out: digest, signature, structure, certificate. */
  intact: boolean;
  /** Changes made after this signature that it does not permit. */
  modifiedAfter: RevisionChange[];
  valid: boolean;
  /** Why it is not valid, first reason first. */
  problems: string[];
}

export interface VerifyReport {
  fileSize: number;
  /** How many revisions (incremental updates + 1) the file has. */
  revisions: number;
  signatures: SignatureReport[];
  /** Bytes after the end of the last signature's ranges. */
  appendedAfterLastSignature: number;
  /** Every change after a signature that it does not permit. */
  changes: RevisionChange[];
  /** Every signature intact, nothing changed that a signature forbids. */
  intact: boolean;
  /** Every signer chains to a trusted certificate. */
  trusted: boolean;
  valid: boolean;
  /** One short reason when not valid: "no signature", "digest mismatch", "modified after signing: …", "not trusted: …" */
  reason?: string;
}

export interface VerifyOptions {
  /** Certificates the user trusts (--trust, SRQ_TRUST). */
  anchors?: TrustAnchor[];
  /** The time of checking; default now. */
  now?: Date;
}

const DIGEST_LABELS: Record<string, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
const ACCEPTED_DIGESTS = new Set(['sha256', 'sha384', 'sha512']);
const SIGNATURE_ALGORITHMS: Record<string, string | undefined> = {
  [OID.rsaEncryption]: undefined,
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.ecPublicKey]: undefined,
  [OID.ecdsaSha256]: 'sha256',
  [OID.ecdsaSha384]: 'sha384',
  [OID.ecdsaSha512]: 'sha512',
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

function str(v: unknown): string | undefined {
  if (v instanceof PdfString) return v.text();
  if (v instanceof PdfName) return v.name;
  return undefined;
}

/** A signature field found through the AcroForm: its name, widget object and /V. */
interface FoundSignature {
  field: string;
  fieldObject: number;
  ref?: PdfRef;
  dict: PdfDict;
}

/** Terminal signature fields with a value, walking /Fields and /Kids (FT inherited). */
function signatureFields(file: PdfFile): FoundSignature[] {
  const root = file.resolve(file.trailer.get('Root'));
  if (!isDict(root)) throw new PdfSyntaxError('the trailer has no document catalog');
  const acro = file.resolve(root.get('AcroForm'));
  if (!isDict(acro)) return [];
  const out: FoundSignature[] = [];
  const seen = new Set<number>();
  const walk = (
    v: PdfValue | undefined,
    { prefix, ft, depth }: { prefix: string; ft: string | undefined; depth: number },
  ) => {
    if (depth > 32) throw new PdfSyntaxError('form field tree too deep');
    if (v instanceof PdfRef) {
      if (seen.has(v.num)) return;
      seen.add(v.num);
    }
    const field = file.resolve(v);
    if (!isDict(field) || isStream(field)) return;
    const t = str(field.get('T'));
    const full = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
    const type = str(field.get('FT')) ?? ft;
    const kids = file.resolve(field.get('Kids'));
    if (
      Array.isArray(kids) &&
      kids.some((k) => isDict(file.resolve(k)) && file.dict(k, 'field').has('T'))
    ) {
      for (const k of kids) walk(k, { prefix: full, ft: type, depth: depth + 1 });
      return;
    }
    if (type !== 'Sig') return;
    const value = field.get('V');
    const dict = file.resolve(value);
    if (!isDict(dict) || isStream(dict)) return;
    out.push({
      field: full,
      fieldObject: v instanceof PdfRef ? v.num : 0,
      ...(value instanceof PdfRef ? { ref: value } : {}),
      dict,
    });
  };
  const fields = file.resolve(acro.get('Fields'));
  for (const f of Array.isArray(fields) ? fields : [])
    walk(f, { prefix: '', ft: undefined, depth: 0 });
  return out;
}

function isUnfilledPlaceholder(dict: PdfDict): boolean {
  const range = dict.get('ByteRange');
  const contents = dict.get('Contents');
  return (
    Array.isArray(range) &&
    !range.every((n) => typeof n === 'number') &&
    (contents === undefined ||
      (contents instanceof PdfString && !contents.bytes.some((b) => b !== 0)))
  );
}

/** DocMDP P of a signature dictionary's /Reference, if it certifies. */
function docMdpOf(file: PdfFile, dict: PdfDict): number | undefined {
  const refs = file.resolve(dict.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = file.resolve(r);
    if (!isDict(ref) || str(ref.get('TransformMethod')) !== 'DocMDP') continue;
    const params = file.resolve(ref.get('TransformParams'));
    const p = isDict(params) ? params.get('P') : undefined;
    return typeof p === 'number' && [1, 2, 3].includes(p) ? p : 2;
  }
  return undefined;
}

interface CryptoCheck {
  facts?: CmsFacts;
  x509?: crypto.X509Certificate;
  pool: crypto.X509Certificate[];
  digestMatches: boolean;
  signatureValid: boolean;
  problems: string[];
  /** A document timestamp's or signature timestamp's time, when the token checks out. */
  tstTime?: Date;
}

/** Verifies a CMS over `content` (the signed ranges): digest, signature, certificate choice. */
function checkCms(cms: Buffer, content: Buffer[], timestamp: boolean): CryptoCheck {
  const check: CryptoCheck = {
    pool: [],
    digestMatches: false,
    signatureValid: false,
    problems: [],
  };
  let facts: CmsFacts;
  try {
    facts = readCms(cms);
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    check.problems.push(`invalid signature (the CMS signature data is damaged: ${err.message})`);
    return check;
  }
  check.facts = facts;
  for (const c of facts.certificates) {
    try {
      check.pool.push(new crypto.X509Certificate(c));
    } catch {
      // An unreadable extra certificate is simply not used for the chain.
    }
  }
  try {
    if (facts.signerCertificate) check.x509 = new crypto.X509Certificate(facts.signerCertificate);
  } catch {
    check.problems.push('invalid signature (the signer certificate is damaged)');
    return check;
  }
  if (!check.x509) {
    check.problems.push('invalid signature (no signer certificate)');
    return check;
  }
  const digestName = facts.digestName;
  if (!ACCEPTED_DIGESTS.has(digestName)) {
    check.problems.push(
      digestName === 'sha1'
        ? 'the signature uses SHA-1, which is not acceptable (ask for a copy signed with SHA-256)'
        : `unsupported digest algorithm ${digestName}`,
    );
    return check;
  }
  const hash = (parts: Buffer[], name = digestName) => {
    const h = crypto.createHash(name);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  if (timestamp) {
    // RFC 3161: the signed content is a TSTInfo whose imprint is the digest of the ranges.
    if (facts.eContentType !== OID.tstInfo || !facts.eContent) {
      check.problems.push('invalid document timestamp (no TSTInfo)');
      return check;
    }
    try {
      const tst = readTstInfo(facts.eContent);
      if (!ACCEPTED_DIGESTS.has(tst.imprintAlgorithm))
        check.problems.push(`the timestamp uses ${tst.imprintAlgorithm}, which is not acceptable`);
      else if (hash(content, tst.imprintAlgorithm).equals(tst.imprint)) {
        check.digestMatches = true;
        check.tstTime = tst.genTime;
      }
    } catch (err) {
      if (!(err instanceof CmsError)) throw err;
      check.problems.push(`invalid document timestamp (${err.message})`);
      return check;
    }
    content = [facts.eContent];
  }
  const digest = hash(content);
  if (facts.signedAttrs) {
    const digestOk = Boolean(facts.messageDigest?.equals(digest));
    check.digestMatches = timestamp ? check.digestMatches && digestOk : digestOk;
  }
  const algorithm = facts.signatureAlgorithm;
  if (!(algorithm in SIGNATURE_ALGORITHMS)) {
    check.problems.push(
      algorithm === OID.sha1WithRSA
        ? 'the signature uses SHA-1, which is not acceptable (ask for a copy signed with SHA-256)'
        : `unsupported signature algorithm ${algorithm}`,
    );
    return check;
  }
  const signedHash = SIGNATURE_ALGORITHMS[algorithm] ?? digestName;
  try {
    // NOTE: without signed attributes (old PKCS#7) the signature is over the content itself.
    const signed = facts.signedAttrs ?? Buffer.concat(content);
    check.signatureValid = crypto.verify(signedHash, signed, check.x509.publicKey, facts.signature);
    if (!facts.signedAttrs && !timestamp) check.digestMatches = check.signatureValid;
  } catch {
    check.signatureValid = false;
  }
  if (!check.digestMatches) check.problems.push('digest mismatch');
  if (!check.signatureValid)
    check.problems.push('invalid signature (it does not match the signer certificate)');
  if (
    facts.signedAttrs &&
    facts.contentType !== undefined &&
    facts.contentType !== facts.eContentType
  )
    check.problems.push('invalid signature (its content-type attribute does not match)');
  return check;
}

/**
 * Checks every signature of a PDF, revision by revision: each signature's digest over its byte
 * ranges and its CMS signature; that it is a signature field of the document's AcroForm and
 * covers exactly one revision, its /Contents being the only unsigned bytes; every later update,
 * object by object, against what the signature permits (src/sign/revisions.ts); and the signer's
 * certificate chain against the trusted certificates at the proven time. Throws a CheckError
 * when the file is not a PDF or its structure cannot be read.
 */
export function verifyPdf(pdf: Buffer, options: VerifyOptions = {}): VerifyReport {
  if (pdf.toString('latin1', 0, 5) !== '%PDF-')
    throw new CheckError('not a PDF file (no %PDF- header)');
  const now = options.now ?? new Date();
  const anchors = options.anchors ?? [];
  let revisions: Revision[];
  let views: PdfFile[];
  let found: FoundSignature[];
  try {
    revisions = readRevisions(pdf);
    views = revisions.map((_, i) => new PdfFile(pdf, revisions.slice(0, i + 1)));
    found = signatureFields(views[views.length - 1]);
  } catch (err) {
    if (!(err instanceof PdfSyntaxError)) throw err;
    throw new CheckError(
      `the file is truncated or damaged (${err.message}; get a complete copy of it, or re-save it with a PDF tool)`,
      [],
      { cause: err },
    );
  }
  const fileProblems: string[] = [];
  // Bytes after the last %%EOF that no cross-reference lists: viewers may still show them, and
  // no signature covers them.
  const tail = pdf.subarray(revisions[revisions.length - 1].end);
  if (tail.length) {
    fileProblems.push(
      `modified after signing: ${tail.length} bytes after the last %%EOF (byte ${revisions[revisions.length - 1].end}) that no cross-reference lists`,
    );
  }
  for (let i = 1; i < revisions.length; i++) {
    if (revisions[i].xrefOffset < revisions[i - 1].end || revisions[i].end <= revisions[i - 1].end)
      fileProblems.push(
        `modified after signing: the cross-reference at byte ${revisions[i].xrefOffset} overlaps an earlier revision`,
      );
  }

  const signatures: SignatureReport[] = [];
  /** What the chain check needs later, kept out of the report. */
  const held = new Map<
    SignatureReport,
    { tstTime?: Date; pool: crypto.X509Certificate[]; x509?: crypto.X509Certificate }
  >();
  const seenDicts = new Set<number>();
  for (const f of found) {
    // A field reserved by `build --sign` and not filled yet (placeholder /ByteRange, zero /Contents).
    if (isUnfilledPlaceholder(f.dict)) continue;
    signatures.push(checkSignature(f));
  }

  function checkSignature(f: FoundSignature): SignatureReport {
    const report: SignatureReport = {
      index: 0,
      object: f.ref?.num ?? f.fieldObject,
      field: f.field,
      revision: 0,
      kind: 'approval',
      chain: [],
      trusted: false,
      provenTime: now.toISOString(),
      provenBy: 'now',
      digestMatches: false,
      signatureValid: false,
      signingCertificateV2: false,
      certificateValid: false,
      byteRange: [],
      coversWholeFile: false,
      coversRevision: false,
      intact: false,
      modifiedAfter: [],
      valid: false,
      problems: [],
    };
    const fail = (p: string): SignatureReport => {
      report.problems.push(p);
      return report;
    };
    const { dict } = f;
    report.subFilter = str(dict.get('SubFilter'));
    if (report.subFilter === 'ETSI.RFC3161' || str(dict.get('Type')) === 'DocTimeStamp')
      report.kind = 'timestamp';
    if (f.ref) {
      if (seenDicts.has(f.ref.num))
        return fail(`the signature (object ${f.ref.num}) is the value of two fields`);
      seenDicts.add(f.ref.num);
    }
    const m = str(dict.get('M'));
    const claimed = m ? parsePdfDate(m) : undefined;
    if (claimed) report.signingTime = claimed.toISOString();
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
    report.coversWholeFile = end === pdf.length;
    const rev = revisions.findIndex((r) => r.end === end);
    report.revision = rev + 1;
    report.coversRevision = rev >= 0;
    if (a !== 0 || rev < 0)
      return fail(
        'the signed ranges do not cover the file (bad /ByteRange: they must run from the start of the file to the end of a revision)',
      );
    // The hole must be exactly this dictionary's own /Contents, as the revision it signs has it.
    const view = views[rev];
    let signedDict: PdfValue = dict;
    if (f.ref) {
      const entry = view.entry(f.ref.num);
      if (entry?.kind !== 'offset' || entry.offset >= b)
        return fail(
          'the signed ranges do not cover the file (/ByteRange points outside its signature)',
        );
      signedDict = view.object(f.ref);
    }
    const span = isDict(signedDict) ? valueSpan(signedDict, 'Contents') : undefined;
    if (!span || span[0] !== b || span[1] !== c)
      return fail(
        'the signed ranges do not cover the file (/ByteRange points outside its signature)',
      );
    const contents = isDict(signedDict) ? signedDict.get('Contents') : undefined;
    if (
      !(contents instanceof PdfString) ||
      !contents.hex ||
      !/[^0]/.test(contents.bytes.toString('hex'))
    )
      return fail('invalid signature (/Contents is empty)');
    if (report.kind !== 'timestamp') {
      const mdp = docMdpOf(view, dict);
      if (mdp !== undefined) {
        report.kind = 'certification';
        report.docMdp = mdp;
      }
    }

    const check = checkCms(
      contents.bytes,
      [pdf.subarray(0, b), pdf.subarray(c, end)],
      report.kind === 'timestamp',
    );
    report.digestMatches = check.digestMatches;
    report.signatureValid = check.signatureValid;
    report.problems.push(...check.problems);
    const facts = check.facts;
    if (facts) {
      report.digestAlgorithm = DIGEST_LABELS[facts.digestName] ?? facts.digestName;
      if (!report.signingTime && facts.cmsSigningTime)
        report.signingTime = facts.cmsSigningTime.toISOString();
    }
    const x509 = check.x509;
    if (x509) {
      report.signer = oneLine(x509.subject);
      report.issuer = oneLine(x509.issuer);
      report.fingerprint = x509.fingerprint256;
      try {
        report.selfSigned = x509.subject === x509.issuer && x509.verify(x509.publicKey);
      } catch {
        report.selfSigned = false;
      }
      if (facts?.essCertHash) {
        report.signingCertificateV2 = crypto
          .createHash(facts.essCertHash.algorithm)
          .update(x509.raw)
          .digest()
          .equals(facts.essCertHash.hash);
        if (!report.signingCertificateV2)
          report.problems.push(
            'signing-certificate-v2 attribute does not name the signer certificate',
          );
      }
      // A signature timestamp (unsigned attribute) proves when this signature existed.
      if (facts?.timestampToken && report.kind !== 'timestamp') {
        const tsa = checkCms(facts.timestampToken, [facts.signature], true);
        const chain =
          tsa.x509 &&
          checkChain({ signer: tsa.x509, pool: tsa.pool, anchors, at: now, purpose: 'timestamp' });
        if (tsa.tstTime && !tsa.problems.length && chain?.anchor && !chain.problems.length) {
          report.provenTime = tsa.tstTime.toISOString();
          report.provenBy = 'timestamp';
        }
      }
      held.set(report, { tstTime: check.tstTime, pool: check.pool, x509 });
    }
    return report;
  }

  // Order by the revision each signs; a document timestamp proves the time of earlier ones.
  signatures.sort((x, y) => x.revision - y.revision || x.object - y.object);
  signatures.forEach((s, i) => (s.index = i + 1));
  const hidden = (s: SignatureReport) => held.get(s) ?? { pool: [] };
  const chainOf = (s: SignatureReport, at: Date): ChainReport | undefined => {
    const h = hidden(s);
    return h.x509
      ? checkChain({
          signer: h.x509,
          pool: h.pool,
          anchors,
          at,
          purpose: s.kind === 'timestamp' ? 'timestamp' : 'signature',
        })
      : undefined;
  };
  // Timestamps first (their time is now or a later timestamp's), newest first.
  for (const s of [...signatures].reverse()) {
    const later = signatures.filter(
      (t) =>
        t.kind === 'timestamp' &&
        t.revision > s.revision &&
        t.trusted &&
        hidden(t).tstTime &&
        t.problems.length === 0,
    );
    const proof = later
      .map((t) => hidden(t).tstTime ?? now)
      .sort((x, y) => x.getTime() - y.getTime())[0];
    if (proof && s.provenBy === 'now') {
      s.provenTime = proof.toISOString();
      s.provenBy = 'timestamp';
    }
    const chain = chainOf(s, new Date(s.provenTime));
    if (chain) {
      s.chain = chain.chain;
      if (chain.anchor) s.anchor = chain.anchor;
      s.trusted = Boolean(chain.anchor) && chain.problems.length === 0;
      s.certificateValid = !chain.problems.some((p) => p.includes('is not valid at'));
      s.problems.push(...chain.problems);
    }
  }

  // Later revisions, one by one, against what the signatures before them permit.
  const bySignedRevision = new Map<number, SignatureReport>();
  for (const s of signatures) {
    if (!s.coversRevision) continue;
    const rev = s.revision - 1;
    if (bySignedRevision.has(rev)) s.problems.push(`two signatures claim revision ${s.revision}`);
    else bySignedRevision.set(rev, s);
  }
  const first = signatures.find((s) => s.coversRevision);
  const certification = signatures.find((s) => s.kind === 'certification');
  for (const s of signatures) {
    if (s.kind === 'certification' && s !== first)
      s.problems.push('only the first signature of a document may certify it');
  }
  const changes: RevisionChange[] = [];
  if (first) {
    for (let k = first.revision; k < revisions.length; k++) {
      const signer = bySignedRevision.get(k);
      let found2: RevisionChange[];
      try {
        found2 = forbiddenChanges(views, k, {
          signing: signer
            ? { signature: signer.object, docTimestamp: signer.kind === 'timestamp' }
            : undefined,
          policy: certification?.docMdp !== undefined ? { docMdp: certification.docMdp } : {},
        });
      } catch (err) {
        if (!(err instanceof PdfSyntaxError)) throw err;
        found2 = [
          { revision: k, object: 0, what: `revision ${k + 1} cannot be read (${err.message})` },
        ];
      }
      changes.push(...found2);
      for (const s of signatures) if (s.revision - 1 < k) s.modifiedAfter.push(...found2);
    }
  }
  for (const s of signatures) {
    s.intact =
      !s.problems.some((p) => !p.startsWith('the certificate of') && !p.includes('not valid at')) &&
      s.digestMatches &&
      s.signatureValid;
    if (s.modifiedAfter.length) {
      const c0 = s.modifiedAfter[0];
      s.problems.unshift(
        `modified after signing: ${c0.what} in revision ${c0.revision + 1}${s.modifiedAfter.length > 1 ? ` (and ${s.modifiedAfter.length - 1} more change${s.modifiedAfter.length > 2 ? 's' : ''})` : ''}`,
      );
    }
    s.problems.unshift(...fileProblems);
    if (s.intact && !s.trusted && !s.problems.length) {
      s.problems.push(
        `not trusted: the certificate of ${s.signer} (SHA-256 ${s.fingerprint}) is not one you trust${s.chain.length > 1 ? ` and does not chain to one` : ''}`,
      );
    } else if (!s.trusted && !s.problems.some((p) => p.startsWith('not trusted'))) {
      s.problems.push(
        `not trusted: ${s.signer ?? 'the signer'} does not chain to a certificate you trust`,
      );
    }
    s.valid = s.problems.length === 0;
  }

  // Signature dictionaries that are in no field: a viewer may show them, srq counts them not.
  const known = new Set(signatures.map((s) => s.byteRange.join(' ')));
  const text = pdf.toString('latin1');
  const orphans: number[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    if (!known.has([m[1], m[2], m[3], m[4]].map(Number).join(' '))) orphans.push(m.index ?? 0);
  }

  const lastEnd = Math.max(
    0,
    ...signatures.map((s) => (s.byteRange.length === 4 ? s.byteRange[2] + s.byteRange[3] : 0)),
  );
  const report: VerifyReport = {
    fileSize: pdf.length,
    revisions: revisions.length,
    signatures,
    appendedAfterLastSignature: signatures.length ? Math.max(0, pdf.length - lastEnd) : 0,
    changes,
    intact: false,
    trusted: signatures.length > 0 && signatures.every((s) => s.trusted),
    valid: false,
  };
  const failed = signatures.find((s) => !s.valid && !s.problems[0].startsWith('not trusted'));
  const untrusted = signatures.find((s) => !s.valid);
  if (!signatures.length) {
    report.reason = orphans.length
      ? `no signature (a signature dictionary at byte ${orphans[0]} is in no signature field of the document)`
      : 'no signature';
  } else if (orphans.length) {
    report.reason = `a signature dictionary at byte ${orphans[0]} is in no signature field of the document (a hidden or stripped signature)`;
  } else if (failed) report.reason = failed.problems[0];
  else if (fileProblems.length) report.reason = fileProblems[0];
  else if (untrusted) report.reason = untrusted.problems[0];
  report.intact = signatures.length > 0 && !orphans.length && !failed && !fileProblems.length;
  report.valid = report.reason === undefined;
  return report;
}
