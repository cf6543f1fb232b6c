import { bareVersion, withSuffix } from '../text/output-name';
import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../build';
import { CheckError, EXIT, formatDiagnostic, UsageError } from '../errors';
import { readFileChecked, refuseInputAsOutput, shownPath, writeFileAtomic } from '../fsx';
import { loadSigningKey } from '../sign/p12';
import { checkSigningKey, signPdf } from '../sign/signer';
import { readPassphrase } from '../interview/prompts';
import { parseSigningTime } from './sign';
import { isSignedPdf, recordBuild } from '../register';
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
  return path.join(
    'output',
    `${parts.map(slug).join('-')}-v${slug(bareVersion(model.document.version))}.pdf`,
  );
}

/** `name` with `-draft` before the extension when `draft`. */
export function draftName(name: string, draft: boolean | undefined): string {
  return draft ? withSuffix(name, 'draft') : name;
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

export async function run(ctx: CliContext, answers: string[], given: Options): Promise<number> {
  // --key names the key to sign with, so it means --sign too.
  const opts: Options = given.key ? { ...given, sign: true } : given;
  if (opts.sign && opts.draft)
    throw new UsageError(
      `a draft cannot be signed (drop --draft, or ${given.sign ? '--sign' : '--key'})`,
    );
  const signer = opts.sign ? await prepareSigner(ctx, opts) : undefined;
  if (answers.length > 1 || opts.eachTier) {
    // Several documents: src/cli/batch.ts builds them concurrently (-o names a folder there),
    // doing per document what the loop below does. Loaded lazily: one document needs none of it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runBatch } = require('./batch') as typeof import('./batch');
    return runBatch(ctx, answers, opts, {
      prepare: (doc) => {
        refuseToOverwriteSigned(doc.outputAbs, opts.force);
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
          ...(opts.draft ? { draft: true } : {}),
          time: ctx.now(),
        }),
    });
  }
  for (const file of answers) {
    const abs = path.resolve(ctx.cwd, file);
    const { model, warnings: diagnostics } = loadModel(
      abs,
      opts.tier?.length ? { tiers: opts.tier } : {},
    );
    for (const d of diagnostics) ctx.stderr(formatDiagnostic(d));
    const template = opts.template ?? (model.kind === 'customer' ? 'customer' : 'statement');
    const changes = opts.changesSince
      ? changesSince(opts.changesSince, model, { cwd: ctx.cwd })
      : undefined;
    // A draft's default name is its own: it never replaces the final PDF of that version.
    const out = opts.output ?? draftName(defaultOutput(model, template), opts.draft);
    const outAbs = path.resolve(ctx.cwd, out);
    refuseInputAsOutput(outAbs, [
      abs,
      opts.key ? path.resolve(ctx.cwd, opts.key) : undefined,
      model.provider.logo,
    ]);
    refuseToOverwriteSigned(outAbs, opts.force);
    const result = await buildDocument(model, {
      template,
      ...(opts.templates ? { templatesDir: path.resolve(ctx.cwd, opts.templates) } : {}),
      ...(opts.buyer ? { buyer: opts.buyer } : {}),
      ...(opts.reference ? { reference: opts.reference } : {}),
      ...(opts.draft ? { draft: true } : {}),
      ...(changes ? { changes } : {}),
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
      ...(opts.draft ? { draft: true } : {}),
      time: ctx.now(),
    });
    ctx.stdout(
      `wrote ${out} (${result.pages} pages, ${size(pdf.length)})${opts.draft ? ' DRAFT' : ''}${signer ? `, signed by ${signer.subject}` : ''}`,
    );
  }
  return EXIT.ok;
}
