import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../build';
import { CheckError, EXIT, formatDiagnostic, UsageError } from '../errors';
import { readFileChecked, refuseInputAsOutput, shownPath, writeFileAtomic } from '../fsx';
import { loadSigningKey } from '../sign/p12';
import { checkSigningKey, signPdf } from '../sign/signer';
import { readPassphrase } from './prompt-secret';
import { parseSigningTime } from './sign';
import { isSignedPdf, recordBuild, type EntryExtras } from '../register';
import { DEFAULT_AUDIENCE, parseAudience, type Audience } from '../model/audience';
import { refuseUnapproved } from '../model/lifecycle';
import { loadModel } from '../model/resolve';
import type { Model } from '../model/types';
import type { CliContext } from './context';

/** `--changes-since`: the diff modules (the diff package, git) load only when asked for. */
function changesSince(
  ...args: Parameters<typeof import('../diff').changesSinceMarkdown>
): ReturnType<typeof import('../diff').changesSinceMarkdown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../diff') as typeof import('../diff')).changesSinceMarkdown(...args);
}

interface Options {
  output?: string;
  template?: string;
  templates?: string;
  tier?: string[];
  buyer?: string;
  reference?: string;
  draft?: boolean;
  sign?: boolean;
  key?: string;
  signingTime?: string;
  allowExpired?: boolean;
  changesSince?: string;
  eachTier?: boolean;
  jobs?: string;
  force?: boolean;
  allowUnapproved?: boolean;
  audience?: string;
  recipient?: string;
  ndaRef?: string;
}

interface AudienceChoice {
  audience: Audience;
  /** The NDA stamp for every page, and what the register records. */
  stamp?: string;
  extras: EntryExtras;
}

/**
 * `--audience`: who the document is for. An NDA build needs the recipient and the NDA's
 * reference, stamps both on every page and records them in the register.
 */
function chooseAudience(ctx: CliContext, opts: Options): AudienceChoice {
  const audience = parseAudience(opts.audience) ?? DEFAULT_AUDIENCE;
  const recipient = opts.recipient?.trim();
  const ndaRef = opts.ndaRef?.trim();
  if (audience !== 'nda') {
    if (recipient || ndaRef)
      throw new UsageError('--recipient and --nda-ref go with --audience nda');
    return { audience, extras: opts.audience ? { audience } : {} };
  }
  if (!ndaRef)
    throw new UsageError(
      '--audience nda needs --nda-ref REF (the reference of the NDA the recipient signed); no NDA document is built without one',
    );
  if (!recipient)
    throw new UsageError(
      '--audience nda needs --recipient "Name <e-mail>" (who it is prepared for)',
    );
  const date = ctx.now().toISOString().slice(0, 10);
  return {
    audience,
    stamp: `Confidential — prepared for ${recipient} under NDA ${ndaRef} — ${date}`,
    extras: { audience, recipient, ndaRef },
  };
}

/**
 * Signing honours `document.approval: required` (src/model/lifecycle.ts); what the register
 * keeps about the document's content: the answers it holds and any approval overridden.
 */
function approvalExtras(
  ctx: CliContext,
  model: Model,
  o: { signed: boolean; allow?: boolean; file: string },
): EntryExtras {
  const overridden = o.signed
    ? refuseUnapproved(model, {
        today: ctx.now().toISOString().slice(0, 10),
        allow: Boolean(o.allow),
        label: shownPath(o.file),
        approveHint: `approve them with srq approve ${shownPath(o.file)} --by NAME`,
      })
    : [];
  return {
    items: model.items.filter((i) => i.answered).map((i) => i.id),
    ...(overridden.length ? { approvalOverride: overridden } : {}),
  };
}

/** ASCII, lowercase, dashes: safe in every file system and URL. */
export function slug(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ß/g, 'ss')
      .replace(/[łŁ]/g, 'l')
      .replace(/[øØ]/g, 'o')
      .replace(/[æÆ]/g, 'ae')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'document'
  );
}

/**
 * output/<provider>-<service>[-<tier>]-<template>-v<version>.pdf, or for a customer file
 * output/<customer>-<provider>-<tier>-<template>-v<version>.pdf. `tier`: a batch's --each-tier.
 */
export function defaultOutput(model: Model, template: string, tier?: string): string {
  const parts = model.customer
    ? [model.customer.name, model.provider.name, model.customer.tier.id, template]
    : [model.provider.name, model.service.name, ...(tier ? [tier] : []), template];
  return path.join('output', `${parts.map(slug).join('-')}-v${slug(model.document.version)}.pdf`);
}

/** A customer document is dated the day it is built (the provider's issue date is the statement's). */
export function documentDate(ctx: CliContext, model: Model): { date?: string } {
  return model.kind === 'customer' ? { date: ctx.now().toISOString().slice(0, 10) } : {};
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

interface BuildSigner {
  /** The certificate's subject, one line ("CN=…, O=…"). */
  subject: string;
  signingTime: Date;
  sign(pdf: Buffer): Buffer;
}

/**
 * Opens and checks the key once, before any document is built, so a wrong passphrase or an
 * expired certificate costs nothing and leaves no file.
 */
async function prepareSigner(ctx: CliContext, opts: Options): Promise<BuildSigner> {
  if (!opts.key) throw new UsageError('--sign needs --key <p12> (make a test key with srq keygen)');
  const keyFile = path.resolve(ctx.cwd, opts.key);
  const p12 = readFileChecked(keyFile, 1024 * 1024);
  const signingTime = parseSigningTime(opts.signingTime, ctx.now());
  const keyLabel = shownPath(keyFile);
  const passphrase = await readPassphrase(ctx, { purpose: `the key ${keyLabel}` });
  const key = loadSigningKey(p12, passphrase, keyLabel);
  checkSigningKey(key, { at: signingTime, allowExpired: opts.allowExpired, label: keyLabel });
  return {
    subject: key.x509.subject.split('\n').join(', '),
    signingTime,
    sign: (pdf) =>
      signPdf(pdf, {
        key,
        signingTime,
        keyLabel,
        ...(opts.allowExpired ? { allowExpired: true } : {}),
      }),
  };
}

/** What the signature dictionary records: why, where and whom to ask. */
function signatureDetails(model: Model, signer: BuildSigner) {
  const p = model.provider;
  const reason =
    model.kind === 'customer' && model.customer
      ? `Approved responsibilities of ${model.customer.name} under ${p.name}'s statement, version ${model.document.version}`
      : `Approved statement of ${p.name}, version ${model.document.version}`;
  return {
    subject: signer.subject,
    date: signer.signingTime.toISOString().slice(0, 10),
    reason,
    ...(p.address ? { location: p.address } : {}),
    ...(p.email ? { contactInfo: p.email } : {}),
  };
}

/**
 * A signed document is never overwritten silently: it may already have gone to a buyer.
 * NOTE: checked before the build so a refused build costs nothing; unsigned files are replaced.
 */
function refuseToOverwriteSigned(file: string, force: boolean | undefined): void {
  if (force || !fs.existsSync(file)) return;
  let head: Buffer;
  try {
    head = fs.readFileSync(file);
  } catch {
    return; // unreadable: writeFileAtomic reports it properly
  }
  if (isSignedPdf(head)) {
    throw new CheckError(
      `${shownPath(file)}: a signed PDF already exists there (choose another path with -o, or --force to replace it)`,
    );
  }
}

export async function run(ctx: CliContext, answers: string[], opts: Options): Promise<number> {
  if (opts.sign && opts.draft)
    throw new UsageError('a draft cannot be signed (drop --draft or --sign)');
  if (opts.key && !opts.sign) throw new UsageError('--key is only used with --sign');
  const aud = chooseAudience(ctx, opts);
  const signer = opts.sign ? await prepareSigner(ctx, opts) : undefined;
  if ((answers.length > 1 || opts.eachTier) && opts.audience) {
    throw new UsageError(
      '--audience builds one document at a time (give one answers file, without --each-tier)',
    );
  }
  if (answers.length > 1 || opts.eachTier) {
    // Several documents: src/cli/batch.ts builds them concurrently (-o names a folder there),
    // doing per document what the loop below does. Loaded lazily: one document needs none of it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runBatch } = require('./batch') as typeof import('./batch');
    const extrasByDoc = new Map<string, EntryExtras>();
    return runBatch(ctx, answers, opts, {
      prepare: (doc) => {
        refuseToOverwriteSigned(doc.outputAbs, opts.force);
        extrasByDoc.set(
          doc.outputAbs,
          approvalExtras(ctx, doc.model, {
            signed: Boolean(signer),
            allow: opts.allowUnapproved,
            file: doc.abs,
          }),
        );
        const changes = opts.changesSince
          ? changesSince(opts.changesSince, doc.model, { cwd: ctx.cwd })
          : undefined;
        return {
          ...(changes ? { changes } : {}),
          ...(signer ? { signature: signatureDetails(doc.model, signer) } : {}),
        };
      },
      finish: (_doc, built) => Promise.resolve(signer ? signer.sign(built.pdf) : built.pdf),
      written: (doc, pdf) =>
        recordBuild({
          outputDir: path.resolve(ctx.cwd, 'output'),
          pdfPath: doc.outputAbs,
          pdfBytes: pdf,
          answersFile: doc.abs,
          version: doc.model.document.version,
          template: doc.template,
          tiers: doc.model.tiers.map((t) => t.id),
          ...(opts.buyer ? { buyer: opts.buyer } : {}),
          ...(opts.reference ? { reference: opts.reference } : {}),
          ...(signer ? { signerSubject: signer.subject } : {}),
          time: ctx.now(),
          extras: extrasByDoc.get(doc.outputAbs) ?? {},
        }),
    });
  }
  for (const file of answers) {
    const abs = path.resolve(ctx.cwd, file);
    const { model, warnings: diagnostics } = loadModel(abs, {
      ...(opts.tier?.length ? { tiers: opts.tier } : {}),
      audience: aud.audience,
    });
    for (const d of diagnostics) ctx.stderr(formatDiagnostic(d));
    const template = opts.template ?? (model.kind === 'customer' ? 'customer' : 'statement');
    const changes = opts.changesSince
      ? changesSince(opts.changesSince, model, { cwd: ctx.cwd })
      : undefined;
    const out = opts.output ?? defaultOutput(model, template);
    const outAbs = path.resolve(ctx.cwd, out);
    refuseInputAsOutput(outAbs, [
      abs,
      opts.key ? path.resolve(ctx.cwd, opts.key) : undefined,
      model.provider.logo,
    ]);
    refuseToOverwriteSigned(outAbs, opts.force);
    const extras = {
      ...approvalExtras(ctx, model, {
        signed: Boolean(signer),
        allow: opts.allowUnapproved,
        file: abs,
      }),
      ...aud.extras,
    };
    const result = await buildDocument(model, {
      template,
      ...(opts.templates ? { templatesDir: path.resolve(ctx.cwd, opts.templates) } : {}),
      ...(opts.buyer ? { buyer: opts.buyer } : {}),
      ...(opts.reference ? { reference: opts.reference } : {}),
      ...(opts.draft ? { draft: true } : {}),
      ...(changes ? { changes } : {}),
      ...(aud.stamp ? { stamp: aud.stamp } : {}),
      ...documentDate(ctx, model),
      ...(signer ? { signature: signatureDetails(model, signer) } : {}),
    });
    for (const w of result.warnings) ctx.stderr(`srq: warning: ${w}`);
    const pdf = signer ? signer.sign(result.pdf) : result.pdf;
    if (!opts.output) fs.mkdirSync(path.dirname(outAbs), { recursive: true });
    writeFileAtomic(outAbs, pdf);
    recordBuild({
      outputDir: path.resolve(ctx.cwd, 'output'),
      pdfPath: outAbs,
      pdfBytes: pdf,
      answersFile: abs,
      version: model.document.version,
      template,
      tiers: model.tiers.map((t) => t.id),
      ...(opts.buyer ? { buyer: opts.buyer } : {}),
      ...(opts.reference ? { reference: opts.reference } : {}),
      ...(signer ? { signerSubject: signer.subject } : {}),
      time: ctx.now(),
      extras,
    });
    if (extras.approvalOverride) {
      ctx.stderr(
        `srq: warning: signed with --allow-unapproved: ${extras.approvalOverride.join(', ')} not approved and current (recorded in the register)`,
      );
    }
    ctx.stdout(
      `wrote ${out} (${result.pages} pages, ${size(pdf.length)})${opts.draft ? ' DRAFT' : ''}${signer ? `, signed by ${signer.subject}` : ''}`,
    );
  }
  return EXIT.ok;
}
