import path from 'node:path';
import { CheckError, EXIT } from '../errors';
import { readFileChecked, shownPath } from '../fsx';
import { entryPath, findInRegister, registerPath, sha256 } from '../register';
import { isEncryptedPdf } from '../sign/signer';
import { verifyPdf, type SignatureReport, type VerifyReport } from '../sign/verify';
import type { CliContext } from './context';
import { MAX_PDF_BYTES } from './sign';

interface Options {
  json?: boolean;
}

function yesNo(b: boolean | undefined): string {
  return b ? 'yes' : 'no';
}

function describe(s: SignatureReport, total: number, report: VerifyReport): string[] {
  const last = s.index === total;
  const coverage = s.coversWholeFile
    ? 'the whole file'
    : s.coversRevision
      ? `its revision (${report.fileSize - (s.byteRange[2] + s.byteRange[3])} bytes added after it${last ? '' : ' by later signatures'})`
      : 'part of the file only';
  return [
    `  ${s.index}. ${s.signer ?? '(unknown signer)'}: ${s.valid ? 'valid' : `NOT VALID: ${s.problems.join('; ')}`}`,
    `     signing time:        ${s.signingTime ?? '(none)'}`,
    `     digest:              ${s.digestAlgorithm ?? '?'}, ${s.digestMatches ? 'matches' : 'does NOT match'}; signature ${s.signatureValid ? 'verifies' : 'does NOT verify'}`,
    `     certificate:         ${s.selfSigned ? 'self-signed' : `issued by ${s.issuer ?? '?'}`}, valid at signing time: ${yesNo(s.certificateValidAtSigningTime)}`,
    `     format:              ${s.subFilter ?? '?'}${s.signingCertificateV2 ? ' with signing-certificate-v2 (PAdES B-B)' : ''}`,
    `     covers:              ${coverage}`,
  ];
}

/** How to act on each reason a file is not valid (the report on stdout says more). */
function fixFor(reason: string, pdf: Buffer): string {
  switch (reason) {
    case 'no signature':
      return isEncryptedPdf(pdf)
        ? 'it is encrypted; srq signs only unencrypted PDFs, so decrypt it, then sign it with srq sign'
        : 'sign it with srq sign';
    case 'modified after signing':
      return 'bytes were added after the last signature; ask the signer for the signed original';
    case 'digest mismatch':
      return 'the file was changed after it was signed; ask the signer for the signed original';
    case 'certificate not valid at signing time':
      return "the signer's certificate was not valid when it signed; ask for a newly signed copy";
    default:
      return 'the signature or the file is damaged; ask the signer for the signed original';
  }
}

export async function run(ctx: CliContext, pdfArg: string, opts: Options): Promise<number> {
  const file = path.resolve(ctx.cwd, pdfArg);
  const shown = shownPath(file);
  const pdf = readFileChecked(file, MAX_PDF_BYTES);
  let report: VerifyReport;
  try {
    report = verifyPdf(pdf);
  } catch (err) {
    if (err instanceof CheckError) {
      const message = err.message.startsWith('not a PDF file')
        ? 'not a PDF file (no %PDF- header; check that this is the PDF you meant)'
        : err.message;
      throw new CheckError(`${shown}: ${message}`, [], { cause: err });
    }
    throw err;
  }
  // Whether this exact file was issued by a build here (output/register.jsonl).
  const outputDir = path.resolve(ctx.cwd, 'output');
  const issued = findInRegister(outputDir, sha256(pdf));
  if (opts.json) {
    ctx.stdout(JSON.stringify({ file: shown, ...report, register: issued }, null, 2));
  } else {
    const n = report.signatures.length;
    const lines = [`${shown}: ${n} signature${n === 1 ? '' : 's'}`];
    for (const s of report.signatures) lines.push(...describe(s, n, report));
    lines.push(
      issued.length
        ? `Register: issued ${issued.map((e) => `${e.time.slice(0, 10)} as ${shownPath(entryPath(registerPath(outputDir), e.file))} (version ${e.version}, ${e.template}${e.buyer ? `, for ${e.buyer}` : ''}${e.reference ? `, ref ${e.reference}` : ''})`).join('; ')}`
        : 'Register: this exact file is not in output/register.jsonl',
    );
    if (report.valid)
      lines.push('Valid: every signature checks out and the last one covers the whole file.');
    ctx.stdout(lines.join('\n'));
  }
  if (!report.valid) {
    const reason = report.reason ?? 'unknown reason';
    ctx.stderr(`srq: ${shown}: not valid: ${reason} (${fixFor(reason, pdf)})`);
    return EXIT.check;
  }
  return EXIT.ok;
}
