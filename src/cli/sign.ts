import fs from 'node:fs';
import path from 'node:path';
import { localDay } from '../today';
import { CheckError, EXIT, IoError, UsageError } from '../errors';
import { MAX_PDF_INPUT_BYTES, readFileChecked, shownPath, writeFileAtomic } from '../fsx';
import { checkOutputPath } from '../output';
import {
  appendRegister,
  entryPath,
  findInRegister,
  registerPath,
  sha256,
  type RegisterEntry,
} from '../register';
import { refuseUnapproved } from '../model/lifecycle';
import {
  appendSignatureField,
  documentSubject,
  fillSignatureField,
  isSrqStatement,
} from '../sign/incremental';
import { isCustomerSubject } from '../document-info';
import { countersignatureLabel } from '../pdf/signature-field';
import { keyWarnings, loadSigningKey } from '../sign/p12';
import { shownSubject } from '../sign/subject';
import { checkSigningKey, findPlaceholder, isEncryptedPdf, signPdf } from '../sign/signer';
import { verifyPdf } from '../sign/verify';
import type { CliContext } from './context';
import { loadTrustAnchors } from './trust';
import { readPassphrase } from '../interview/prompts';

interface Options {
  key: string;
  output?: string;
  signingTime?: string;
  allowExpired?: boolean;
  reason?: string;
  force?: boolean;
  allowUnapproved?: boolean;
}

/**
 * A document srq built from a file with `document.approval: required` is signed only while every
 * answer it holds (as built: src/register/affected.ts) is approved and current.
 */
function checkApprovals(
  ctx: CliContext,
  o: { input: string; pdf: Buffer; allow?: boolean },
): { built?: RegisterEntry; overridden: string[] } {
  const outputDir = path.resolve(ctx.cwd, 'output');
  const [built] = findInRegister(outputDir, sha256(o.pdf));
  if (!built) return { overridden: [] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { builtModel } = require('../register/affected') as typeof import('../register/affected');
  const then = builtModel(registerPath(outputDir), built);
  if (!then) return { built, overridden: [] };
  const overridden = refuseUnapproved(then.model, {
    today: localDay(ctx.now()),
    allow: Boolean(o.allow),
    label: shownPath(o.input),
    approveHint: `approve them with srq approve ${shownPath(entryPath(registerPath(outputDir), built.answersFile))} --by NAME, then build again`,
  });
  return { built, overridden };
}

/** Largest PDF srq signs or verifies (src/fsx.ts). */
export const MAX_PDF_BYTES = MAX_PDF_INPUT_BYTES;

/** `--signing-time` as a Date; a usage error names the expected form. */
export function parseSigningTime(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const d = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? new Date(value)
    : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    throw new UsageError(
      `--signing-time must be an ISO date-time such as 2026-11-22T12:00:00Z (got "${value}")`,
    );
  }
  return d;
}

function defaultOutput(input: string): string {
  const ext = path.extname(input);
  return ext.toLowerCase() === '.pdf'
    ? `${input.slice(0, -ext.length)}-signed${ext}`
    : `${input}-signed.pdf`;
}

/**
 * A document srq built (found in the register by its hash) and signed here gets its own entry:
 * the same answers, version and tiers, the new file's hash and the signer.
 */
function registerSigned(
  ctx: CliContext,
  o: {
    built?: RegisterEntry;
    output: string;
    signed: Buffer;
    subject: string;
    overridden: string[];
  },
): void {
  const outputDir = path.resolve(ctx.cwd, 'output');
  const { built } = o;
  if (!built) return;
  const file = path.relative(outputDir, o.output).split(path.sep).join('/');
  appendRegister(registerPath(outputDir), {
    ...built,
    time: ctx.now().toISOString(),
    file,
    sha256: sha256(o.signed),
    bytes: o.signed.length,
    signerSubject: o.subject,
    ...(o.overridden.length ? { approvalOverride: o.overridden } : {}),
  });
}

export async function run(ctx: CliContext, pdfArg: string, opts: Options): Promise<number> {
  const input = path.resolve(ctx.cwd, pdfArg);
  const output = path.resolve(ctx.cwd, opts.output ?? defaultOutput(pdfArg));
  const signingTime = parseSigningTime(opts.signingTime, ctx.now());
  const keyFile = path.resolve(ctx.cwd, opts.key);
  const shownIn = shownPath(input);
  const pdf = readFileChecked(input, MAX_PDF_BYTES);
  const p12 = readFileChecked(keyFile, 1024 * 1024);
  if (pdf.toString('latin1', 0, 5) !== '%PDF-')
    throw new CheckError(`${shownIn}: not a PDF file (no %PDF- header; give the PDF to sign)`);
  if (isEncryptedPdf(pdf)) {
    throw new CheckError(
      `${shownIn}: the PDF is encrypted (srq signs only unencrypted PDFs; remove the encryption first, e.g. qpdf --decrypt)`,
    );
  }
  // The key and the PDF are never overwritten, not even with --force. Checked before the
  // passphrase prompt; writeFileAtomic checks again, race-free.
  checkOutputPath(output, { inputs: [keyFile, input], signed: 'force' });
  if (!opts.force && fs.existsSync(output)) {
    throw new IoError(
      `${shownPath(output)}: already exists (use --force to overwrite, or -o for another path)`,
    );
  }
  // Refused before the passphrase is asked for: nothing to unlock for a document that may not go out.
  const approvals = checkApprovals(ctx, { input, pdf, allow: opts.allowUnapproved });
  const keyLabel = shownPath(keyFile);
  const passphrase = await readPassphrase(ctx, { purpose: `the key ${keyLabel}` });
  const key = loadSigningKey(p12, passphrase, keyLabel);
  for (const w of keyWarnings(key, keyLabel)) ctx.stderr(`srq: warning: ${w}`);
  // Valid now, whatever --signing-time claims: a backdated time must not let an expired key sign.
  checkSigningKey(key, { at: ctx.now(), allowExpired: opts.allowExpired, label: keyLabel });
  checkSigningKey(key, { at: signingTime, allowExpired: opts.allowExpired, label: keyLabel });

  // Problems with the PDF's structure name the PDF (the key's own errors name the key).
  const aboutInput = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (
        err instanceof CheckError &&
        !err.message.startsWith(`${shownIn}:`) &&
        !err.message.startsWith(`${keyLabel}:`)
      ) {
        throw new CheckError(`${shownIn}: ${err.message}`, err.diagnostics, { cause: err });
      }
      throw err;
    }
  };
  let toSign = pdf;
  let where = 'the signature field the document reserved';
  // Existing signatures are checked first, reserved field or not: a customer must never be led
  // into countersigning altered content.
  const existing = aboutInput(() =>
    verifyPdf(pdf, { now: ctx.now(), anchors: loadTrustAnchors({ cwd: ctx.cwd, env: ctx.env }) }),
  );
  if (existing.signatures.length && !existing.intact) {
    throw new CheckError(
      `${shownIn}: its existing signature is not valid: ${existing.reason} (refusing to countersign it; ask the sender for the signed original)`,
    );
  }
  for (const s of existing.signatures.filter((x) => !x.trusted)) {
    ctx.stderr(
      `srq: note: ${shownIn}: signature ${s.index} (${s.signer}, SHA-256 ${s.fingerprint}) is intact but not from a certificate you trust; check it with srq verify --trust <their certificate>`,
    );
  }
  const certification = existing.signatures.find((x) => x.kind === 'certification');
  if (!aboutInput(() => findPlaceholder(pdf))) {
    // The subject as a person reads it: no `\,` escapes, the e-mail once; /Name is the shown name.
    const shown = shownSubject(key.certificate);
    const cn = shown.name;
    const subject = shown.text;
    const fieldOptions = {
      name: cn,
      ...(opts.reason ? { reason: opts.reason } : {}),
      appearanceLines: [
        cn,
        ...(opts.reason ? [opts.reason] : []),
        `Signed ${signingTime.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        `Digitally signed by ${subject}`,
      ],
    };
    // A field the document reserved (the customer's countersignature box) is filled first.
    const reserved = aboutInput(() => fillSignatureField(pdf, fieldOptions));
    if (reserved) {
      toSign = reserved.pdf;
      where = `the reserved field ${reserved.fieldName}`;
    } else {
      if (certification && certification.docMdp !== 3) {
        throw new CheckError(
          `${shownIn}: the document is certified by ${certification.signer} (DocMDP P=${certification.docMdp}) and has no empty signature field left; its certification allows no new field (ask the provider for a copy with a countersignature field)`,
        );
      }
      // The first signature of an unsigned statement certifies it (DocMDP P=2), as build --sign,
      // and reserves the customer's countersignature field beside it, as build --sign does.
      const certify = existing.signatures.length === 0;
      const reserve = certify && aboutInput(() => isSrqStatement(pdf));
      const field = aboutInput(() =>
        appendSignatureField(pdf, {
          ...fieldOptions,
          ...(certify ? { certify: true } : {}),
          ...(reserve
            ? {
                reserve: {
                  fieldName: 'Countersignature',
                  name: 'the customer',
                  appearanceLines: countersignatureLabel(
                    undefined,
                    aboutInput(() => isCustomerSubject(documentSubject(pdf))),
                  ),
                },
              }
            : {}),
        }),
      );
      toSign = field.pdf;
      where = field.visible
        ? `a new visible field ${field.fieldName} on page ${field.page}`
        : `a new invisible field ${field.fieldName} (no page has room for the box)`;
      if (field.reserved) where += `, with the empty field ${field.reserved} for the customer`;
      else if (reserve) {
        ctx.stderr(
          `srq: warning: ${shownIn}: no page has room for the customer's countersignature field, so this copy cannot be countersigned (build it again with srq build --sign)`,
        );
      }
    }
  }
  const signed = aboutInput(() =>
    signPdf(toSign, {
      key,
      signingTime,
      allowExpired: opts.allowExpired,
      keyLabel,
    }),
  );
  writeFileAtomic(output, signed, { overwrite: Boolean(opts.force) });
  registerSigned(ctx, {
    ...(approvals.built ? { built: approvals.built } : {}),
    output,
    signed,
    subject: key.x509.subject.split('\n').join(', '),
    overridden: approvals.overridden,
  });
  if (approvals.overridden.length) {
    ctx.stderr(
      `srq: warning: signed with --allow-unapproved: ${approvals.overridden.join(', ')} not approved and current (recorded in the register)`,
    );
  }
  const count = verifyPdf(signed, { now: ctx.now() }).signatures.length;
  ctx.stdout(
    `Signed ${shownPath(output)} in ${where} (signature ${count} of ${count})\nCheck it with: srq verify ${shownPath(output)} --trust <each signer's certificate .pem>`,
  );
  return EXIT.ok;
}
