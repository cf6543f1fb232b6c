import { localDay } from '../today';
import path from 'node:path';
import { buildDocument } from '../build-document';
import { defaultTemplate, documentDate } from '../document-info';
import { defaultOutput, draftName } from '../output-names';
import { EXIT, formatDiagnostic, UsageError } from '../errors';
import { ensureDir, readFileChecked, shownPath, writeFileAtomic } from '../fsx';
import { checkOutputPath } from '../output';
import { recordBuild, registerPath, type EntryExtras } from '../register';
import { DEFAULT_AUDIENCE, parseAudience, type Audience } from '../model/audience';
import { refuseUnapproved } from '../model/lifecycle';
import { loadModel } from '../model/resolve';
import type { Model } from '../model/types';
import type { BatchOptions } from '../batch/plan';
import type { CliContext } from './context';

/** `--changes-since`: the diff modules (the diff package, git) load only when asked for. */
function changesSince(
  ...args: Parameters<typeof import('../diff').changesSinceMarkdown>
): ReturnType<typeof import('../diff').changesSinceMarkdown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../diff') as typeof import('../diff')).changesSinceMarkdown(...args);
}

/** The batch's options plus what only a build has (signing, changes, audiences). */
interface Options extends BatchOptions {
  sign?: boolean;
  key?: string;
  signingTime?: string;
  allowExpired?: boolean;
  changesSince?: string;
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
  const date = localDay(ctx.now());
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
        today: localDay(ctx.now()),
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

function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

interface BuildSigner {
  /** The certificate's subject, one line ("CN=…, O=…"). */
  subject: string;
  /** The subject as the visible signature shows it (values only, no escapes; see shownSubject). */
  shownSubject: string;
  signingTime: Date;
  /** The key file as messages show it. */
  keyLabel: string;
  sign(pdf: Buffer): Buffer;
}

/**
 * Opens and checks the key once, before any document is built, so a wrong passphrase or an
 * expired certificate costs nothing and leaves no file.
 */
async function prepareSigner(ctx: CliContext, opts: Options): Promise<BuildSigner> {
  if (!opts.key) throw new UsageError('--sign needs --key <p12> (make a test key with srq keygen)');
  // NOTE: loaded only for --sign: node-forge and the signing code cost an unsigned build ~30 ms.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { keyWarnings, loadSigningKey } = require('../sign/p12') as typeof import('../sign/p12');
  const { shownSubject } = require('../sign/subject') as typeof import('../sign/subject');
  const { checkSigningKey, signPdf } = require('../sign/signer') as typeof import('../sign/signer');
  const { readPassphrase } =
    require('../interview/prompts') as typeof import('../interview/prompts');
  const { parseSigningTime } = require('./sign') as typeof import('./sign');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const keyFile = path.resolve(ctx.cwd, opts.key);
  const p12 = readFileChecked(keyFile, 1024 * 1024);
  const signingTime = parseSigningTime(opts.signingTime, ctx.now());
  const keyLabel = shownPath(keyFile);
  const passphrase = await readPassphrase(ctx, { purpose: `the key ${keyLabel}` });
  const key = loadSigningKey(p12, passphrase, keyLabel);
  for (const w of keyWarnings(key, keyLabel)) ctx.stderr(`srq: warning: ${w}`);
  // Valid now, whatever --signing-time claims: a backdated time must not let an expired key sign.
  checkSigningKey(key, { at: ctx.now(), allowExpired: opts.allowExpired, label: keyLabel });
  checkSigningKey(key, { at: signingTime, allowExpired: opts.allowExpired, label: keyLabel });
  return {
    subject: key.x509.subject.split('\n').join(', '),
    shownSubject: shownSubject(key.certificate).text,
    signingTime,
    keyLabel,
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
/** The register line for a document just written (the one place its fields are filled in). */
function recordBuilt(
  ctx: CliContext,
  opts: Pick<Options, 'buyer' | 'reference' | 'draft'>,
  built: {
    pdfPath: string;
    pdf: Uint8Array;
    answersFile: string;
    model: Model;
    template: string;
    signer?: BuildSigner;
    extras?: EntryExtras;
  },
): void {
  recordBuild({
    outputDir: path.resolve(ctx.cwd, 'output'),
    pdfPath: built.pdfPath,
    pdfBytes: built.pdf,
    answersFile: built.answersFile,
    version: built.model.document.version,
    template: built.template,
    tiers: built.model.tiers.map((t) => t.id),
    ...(opts.buyer ? { buyer: opts.buyer } : {}),
    ...(opts.reference ? { reference: opts.reference } : {}),
    ...(built.signer ? { signerSubject: built.signer.subject } : {}),
    ...(opts.draft ? { draft: true } : {}),
    time: ctx.now(),
    ...(built.extras ? { extras: built.extras } : {}),
  });
}

function signatureDetails(model: Model, signer: BuildSigner, answersFile: string) {
  const p = model.provider;
  const reason =
    model.kind === 'customer' && model.customer
      ? `Approved responsibilities of ${model.customer.name} under ${p.name}'s statement, version ${model.document.version}`
      : `Approved statement of ${p.name}, version ${model.document.version}`;
  return {
    subject: signer.shownSubject,
    date: localDay(signer.signingTime),
    reason,
    ...(p.address ? { location: p.address } : {}),
    ...(p.email ? { contactInfo: p.email } : {}),
    sources: { key: signer.keyLabel, answers: shownPath(answersFile) },
  };
}

/**
 * The files a build reads that can be named before it starts; the rest (templates, catalogue,
 * a customer's provider file) are refused when written, as fsx remembers every input read.
 */
function buildInputs(
  ctx: CliContext,
  { answersAbs, model }: { answersAbs: string; model: Model },
  opts: Options,
): (string | undefined)[] {
  return [
    answersAbs,
    opts.key ? path.resolve(ctx.cwd, opts.key) : undefined,
    model.provider.logo,
    opts.changesSince
      ? path.resolve(ctx.cwd, opts.changesSince.replace(/@[^@/]*$/, ''))
      : undefined,
    registerPath(path.resolve(ctx.cwd, 'output')),
  ];
}

export async function run(ctx: CliContext, answers: string[], given: Options): Promise<number> {
  // --key names the key to sign with, so it means --sign too.
  const opts: Options = given.key ? { ...given, sign: true } : given;
  if (opts.sign && opts.draft)
    throw new UsageError(
      `a draft cannot be signed (drop --draft, or ${given.sign ? '--sign' : '--key'})`,
    );
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
    return runBatch(ctx, {
      files: answers,
      opts,
      hooks: {
        prepare: (doc) => {
          checkOutputPath(doc.outputAbs, {
            inputs: buildInputs(ctx, { answersAbs: doc.abs, model: doc.model }, opts),
            signed: opts.force ? 'force' : 'refuse',
          });
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
            ...(signer ? { signature: signatureDetails(doc.model, signer, doc.abs) } : {}),
          };
        },
        finish: (_doc, built) => Promise.resolve(signer ? signer.sign(built.pdf) : built.pdf),
        written: (doc, pdf) =>
          recordBuilt(ctx, opts, {
            pdfPath: doc.outputAbs,
            pdf,
            answersFile: doc.abs,
            model: doc.model,
            template: doc.template,
            ...(signer ? { signer } : {}),
            extras: extrasByDoc.get(doc.outputAbs) ?? {},
          }),
      },
    });
  }
  for (const file of answers) {
    const abs = path.resolve(ctx.cwd, file);
    const { model, warnings: diagnostics } = loadModel(abs, {
      ...(opts.tier?.length ? { tiers: opts.tier } : {}),
      audience: aud.audience,
    });
    for (const d of diagnostics) ctx.stderr(formatDiagnostic(d));
    const template = opts.template ?? defaultTemplate(model);
    const changes = opts.changesSince
      ? changesSince(opts.changesSince, model, { cwd: ctx.cwd })
      : undefined;
    // A draft's default name is its own: it never replaces the final PDF of that version.
    const out = opts.output ?? draftName(defaultOutput(model, { template }), opts.draft);
    const outAbs = path.resolve(ctx.cwd, out);
    checkOutputPath(outAbs, {
      inputs: buildInputs(ctx, { answersAbs: abs, model }, opts),
      signed: opts.force ? 'force' : 'refuse',
    });
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
      ...documentDate(model),
      ...(signer ? { signature: signatureDetails(model, signer, abs) } : {}),
    });
    for (const w of result.warnings) ctx.stderr(`srq: warning: ${w}`);
    const pdf = signer ? signer.sign(result.pdf) : result.pdf;
    if (!opts.output) ensureDir(path.dirname(outAbs));
    // The PDF and its register line are one outcome: no line, no PDF.
    writeFileAtomic(outAbs, pdf, {
      beforeRename: () =>
        recordBuilt(ctx, opts, {
          pdfPath: outAbs,
          pdf,
          answersFile: abs,
          model,
          template,
          ...(signer ? { signer } : {}),
          extras,
        }),
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
