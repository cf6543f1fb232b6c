import crypto from 'node:crypto';
import { CheckError } from '../errors';
import { cmsDigestFor, createCadesSignature } from './cms';
import { loadSigningKey, type SigningKey } from './p12';
import { BYTE_RANGE_PLACEHOLDER, SIGNING_TIME_PLACEHOLDER } from '../pdf/signature-field';
import { PdfFile, PdfString, PdfSyntaxError, isDict } from './pdf-syntax';

export type SignOptions = SignKeyOptions & {
  /** Claimed signing time, written to /M; default now. Fixing it gives reproducible bytes. */
  signingTime?: Date;
  /** Sign even when the certificate is expired or not yet valid at the signing time. */
  allowExpired?: boolean;
  /** How errors name the key file (default "the key file"). */
  keyLabel?: string;
};

/** The key: a P12 and its passphrase, or one already opened (opening a P12 costs ~50 ms). */
type SignKeyOptions = { p12: Buffer; passphrase: string } | { key: SigningKey };

/** Where the unfilled signature of a PDF is: the last reserved /ByteRange and its /Contents. */
export interface PlaceholderLocation {
  byteRangeAt: number;
  signingTimeAt: number;
  /** Offset of "<" and just past ">" of /Contents. */
  contentsStart: number;
  contentsEnd: number;
}

/** Finds the last unfilled placeholder, or undefined when the PDF has none. */
export function findPlaceholder(pdf: Buffer): PlaceholderLocation | undefined {
  const byteRangeAt = pdf.lastIndexOf(BYTE_RANGE_PLACEHOLDER, undefined, 'latin1');
  if (byteRangeAt < 0) return undefined;
  const objStart = pdf.lastIndexOf(' obj', byteRangeAt, 'latin1');
  const signingTimeAt = pdf.lastIndexOf(SIGNING_TIME_PLACEHOLDER, byteRangeAt, 'latin1');
  const contentsKey = pdf.indexOf('/Contents', byteRangeAt, 'latin1');
  const contentsStart = pdf.indexOf('<', contentsKey, 'latin1');
  const contentsEnd = pdf.indexOf('>', contentsStart, 'latin1') + 1;
  const nextObj = pdf.indexOf('endobj', byteRangeAt, 'latin1');
  if (
    contentsKey < 0 ||
    contentsStart < 0 ||
    contentsEnd <= 0 ||
    (nextObj >= 0 && contentsEnd > nextObj)
  ) {
    throw new CheckError('the signature placeholder is damaged (no /Contents after /ByteRange)');
  }
  if (!/^<0*>$/.test(pdf.toString('latin1', contentsStart, contentsEnd))) {
    throw new CheckError(
      'the signature placeholder is damaged (/Contents is not an empty hex string)',
    );
  }
  return {
    byteRangeAt,
    signingTimeAt: signingTimeAt > objStart ? signingTimeAt : -1,
    contentsStart,
    contentsEnd,
  };
}

/** PDF date, UTC, second precision: fixed width, so it fits the reserved /M. */
export function pdfDate(d: Date): string {
  const iso = d.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The PDF's structure, or undefined when it cannot be read (signing fails on it elsewhere). */
function readablePdf(pdf: Buffer): PdfFile | undefined {
  try {
    return new PdfFile(pdf);
  } catch (err) {
    if (err instanceof PdfSyntaxError) return undefined;
    throw err;
  }
}

/**
 * Whether a PDF is a draft: srq's layout marks drafts with the Info entry /SrqDraft true.
 * A file whose structure cannot be read is not refused here; signing fails on it elsewhere.
 */
export function isDraftPdf(pdf: Buffer): boolean {
  const file = readablePdf(pdf);
  if (!file) return false;
  const info = file.resolve(file.trailer.get('Info'));
  if (!isDict(info)) return false;
  const flag = file.resolve(info.get('SrqDraft'));
  return flag === true || (flag instanceof PdfString && flag.text().toLowerCase() === 'true');
}

/**
 * Whether a PDF is encrypted (an /Encrypt entry in its trailer): srq cannot add objects to one.
 * A file whose structure cannot be read is not refused here; signing fails on it elsewhere.
 */
export function isEncryptedPdf(pdf: Buffer): boolean {
  return readablePdf(pdf)?.trailer.has('Encrypt') ?? false;
}

/** The checks a key must pass before it signs anything (one-line CheckErrors). */
export function checkSigningKey(
  key: SigningKey,
  options: { at: Date; allowExpired?: boolean; label: string },
): void {
  const { at, label } = options;
  const from = new Date(key.x509.validFrom);
  const to = new Date(key.x509.validTo);
  if (!options.allowExpired) {
    if (at < from) {
      throw new CheckError(
        `${label}: the certificate is not valid until ${from.toISOString()} (signing time ${at.toISOString()}; --allow-expired to sign anyway)`,
      );
    }
    if (at > to) {
      throw new CheckError(
        `${label}: the certificate expired on ${to.toISOString()} (signing time ${at.toISOString()}; --allow-expired to sign anyway)`,
      );
    }
  }
  if (key.keyUsage && !key.keyUsage.digitalSignature) {
    throw new CheckError(
      `${label}: the certificate's key usage does not include digitalSignature (use a signing certificate)`,
    );
  }
}

/**
 * Fills the PDF's signature placeholder with a detached CAdES signature (SHA-256, PAdES B-B) over
 * its ByteRange and returns the signed file. The input is not changed.
 */
export function signPdf(pdfWithPlaceholder: Buffer, options: SignOptions): Buffer {
  const label = options.keyLabel ?? 'the key file';
  const place = findPlaceholder(pdfWithPlaceholder);
  if (!place) throw new CheckError('the PDF has no empty signature field to sign');
  if (isDraftPdf(pdfWithPlaceholder)) {
    throw new CheckError('the PDF is a draft and cannot be signed (build it without --draft)');
  }
  const key =
    'key' in options ? options.key : loadSigningKey(options.p12, options.passphrase, label);
  const at = new Date(Math.floor((options.signingTime ?? new Date()).getTime() / 1000) * 1000);
  if (Number.isNaN(at.getTime())) throw new CheckError('the signing time is not a valid date');
  checkSigningKey(key, { at, allowExpired: options.allowExpired, label });

  const pdf = Buffer.from(pdfWithPlaceholder);
  if (place.signingTimeAt >= 0) {
    pdf.write(`/M (${pdfDate(at)})`, place.signingTimeAt, 'latin1');
  }
  const { contentsStart, contentsEnd } = place;
  const ranges = `0 ${contentsStart} ${contentsEnd} ${pdf.length - contentsEnd}`;
  const width = BYTE_RANGE_PLACEHOLDER.length - '/ByteRange ['.length - ']'.length;
  if (ranges.length > width)
    throw new CheckError('the PDF is too large for its signature placeholder');
  pdf.write(`/ByteRange [${ranges.padEnd(width, ' ')}]`, place.byteRangeAt, 'latin1');

  const digest = cmsDigestFor(key.privateKey);
  const contentDigest = crypto
    .createHash(digest)
    .update(pdf.subarray(0, contentsStart))
    .update(pdf.subarray(contentsEnd))
    .digest();
  const cms = createCadesSignature({
    contentDigest,
    certificate: key.certificate,
    chain: key.chain,
    privateKey: key.privateKey,
    digest,
  });
  const room = (contentsEnd - contentsStart - 2) / 2;
  if (cms.length > room) {
    throw new CheckError(
      `the signature needs ${cms.length} bytes but the field reserves ${room} (too many certificates in the key file?)`,
    );
  }
  pdf.write(cms.toString('hex').toUpperCase(), contentsStart + 1, 'latin1');
  return pdf;
}
