import path from 'node:path';
import { CheckError, EXIT } from '../errors';
import { readFileChecked, shownPath } from '../fsx';
import { entryPath, findInRegister, registerPath, sha256 } from '../register';
import { isEncryptedPdf } from '../sign/signer';
import { verifyPdf, type SignatureReport, type VerifyReport } from '../sign/verify';
import type { CliContext } from './context';
import { MAX_PDF_BYTES } from './sign';
import { loadTrustAnchors } from './trust';

interface Options {
  json?: boolean;
  trust?: string[];
}

const KINDS: Record<SignatureReport['kind'], string> = {
  certification: 'certification',
  approval: 'signature',
  timestamp: 'document timestamp',
};
const DOC_MDP: Record<number, string> = {
  1: 'no changes allowed',
  2: 'only filling the reserved fields and signing allowed',
  3: 'form filling, signing and annotations allowed',
};

function describe(s: SignatureReport, report: VerifyReport): string[] {
  const revisions = report.revisions;
  const coverage = s.coversRevision
    ? `revision ${s.revision} of ${revisions} (bytes 0 to ${s.byteRange[2] + s.byteRange[3]}, all but its own signature value)`
    : 'part of the file only';
  const later =
    s.revision === revisions
      ? 'none'
      : s.modifiedAfter.length
        ? `NOT PERMITTED: ${s.modifiedAfter.map((c) => `${c.what} (revision ${c.revision + 1})`).join('; ')}`
        : 'only permitted ones (filling signature fields, long-term validation data)';
  const chain = s.chain.map((c) => c.subject).join(' <- issued by ');
  return [
    `  ${s.index}. ${s.signer ?? '(unknown signer)'}: ${s.valid ? 'valid' : `NOT VALID: ${s.problems.join('; ')}`}`,
    `     kind:           ${KINDS[s.kind]}${s.docMdp ? ` (DocMDP P=${s.docMdp}: ${DOC_MDP[s.docMdp]})` : ''}, field ${s.field}`,
    `     certificate:    SHA-256 ${s.fingerprint ?? '?'}`,
    `     chain:          ${chain || '(none)'}`,
    `     trusted:        ${s.anchor ? `yes, by ${s.anchor.subject} from ${s.anchor.source}` : 'NO (not in your trust list)'}`,
    `     claimed time:   ${s.signingTime ?? '(none)'} (the signer's own claim; proves nothing)`,
    `     checked at:     ${s.provenTime} (${s.provenBy === 'timestamp' ? 'proven by a timestamp' : 'now: no timestamp proves an earlier time'}); certificates valid then: ${s.certificateValid ? 'yes' : 'NO'}`,
    `     digest:         ${s.digestAlgorithm ?? '?'}, ${s.digestMatches ? 'matches' : 'does NOT match'}; signature ${s.signatureValid ? 'verifies' : 'does NOT verify'}`,
    `     covers:         ${coverage}`,
    `     changes after:  ${later}`,
  ];
}

/** How to act on each reason a file is not valid (the report on stdout says more). */
function fixFor(reason: string, pdf: Buffer, shown: string): string {
  if (reason === 'no signature')
    return isEncryptedPdf(pdf)
      ? 'it is encrypted; srq signs only unencrypted PDFs, so decrypt it, then sign it with srq sign'
      : 'sign it with srq sign';
  if (reason.startsWith('not trusted'))
    return `the file is intact, but srq cannot tell who signed it; if you know this certificate is the provider's (compare the SHA-256 fingerprint with them), run: srq verify ${shown} --trust <their certificate .pem>, or add it to SRQ_TRUST`;
  if (reason.startsWith('modified after signing') || reason === 'digest mismatch')
    return reason.startsWith('modified')
      ? 'it was changed after it was signed: an update was added after the last signature that the signer did not permit; ask the signer for the signed original'
      : 'the file was changed after it was signed; ask the signer for the signed original';
  if (reason.includes('not valid at'))
    return "the signer's certificate is not valid; ask for a copy signed with a valid certificate";
  return 'the signature or the file is damaged or forged; ask the signer for the signed original';
}

export async function run(ctx: CliContext, pdfArg: string, opts: Options): Promise<number> {
  const file = path.resolve(ctx.cwd, pdfArg);
  const shown = shownPath(file);
  const anchors = loadTrustAnchors({
    cwd: ctx.cwd,
    env: ctx.env,
    ...(opts.trust ? { trust: opts.trust } : {}),
  });
  const pdf = readFileChecked(file, MAX_PDF_BYTES);
  // As srq sign does: the user's hint here, not by recognising verifyPdf's message.
  if (pdf.toString('latin1', 0, 5) !== '%PDF-') {
    throw new CheckError(
      `${shown}: not a PDF file (no %PDF- header; check that this is the PDF you meant)`,
    );
  }
  let report: VerifyReport;
  try {
    report = verifyPdf(pdf, { anchors, now: ctx.now() });
  } catch (err) {
    if (err instanceof CheckError)
      throw new CheckError(`${shown}: ${err.message}`, [], { cause: err });
    throw err;
  }
  // Whether this exact file was issued by a build here (output/register.jsonl).
  const outputDir = path.resolve(ctx.cwd, 'output');
  const issued = findInRegister(outputDir, sha256(pdf));
  if (opts.json) {
    ctx.stdout(
      JSON.stringify(
        {
          file: shown,
          ...report,
          trustedCertificates: anchors.map((a) => ({
            subject: a.x509.subject.split('\n').join(', '),
            fingerprint: a.x509.fingerprint256,
            source: a.source,
          })),
          register: issued,
        },
        null,
        2,
      ),
    );
  } else {
    const n = report.signatures.length;
    const lines = [
      `${shown}: ${n} signature${n === 1 ? '' : 's'}, ${report.revisions} revision${report.revisions === 1 ? '' : 's'}`,
    ];
    for (const s of report.signatures) lines.push(...describe(s, report));
    lines.push(
      issued.length
        ? `Register: issued ${issued.map((e) => `${e.time.slice(0, 10)} as ${shownPath(entryPath(registerPath(outputDir), e.file))} (version ${e.version}, ${e.template}${e.buyer ? `, for ${e.buyer}` : ''}${e.reference ? `, ref ${e.reference}` : ''})`).join('; ')}`
        : 'Register: this exact file is not in output/register.jsonl',
    );
    if (report.valid)
      lines.push(
        'Valid: every signature is intact, every later change is one its signer permitted, and every signer is trusted.',
      );
    ctx.stdout(lines.join('\n'));
  }
  if (!report.valid) {
    const reason = report.reason ?? 'unknown reason';
    ctx.stderr(`srq: ${shown}: not valid: ${reason} (${fixFor(reason, pdf, shown)})`);
    return EXIT.check;
  }
  return EXIT.ok;
}
