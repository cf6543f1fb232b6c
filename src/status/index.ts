import { localDay } from '../today';
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedAnswers, ParsedCustomer } from '../answers/parse';
import { displayPath, inspectFile } from '../answers/read';
import { ioErrorFrom, IoError, SrqError, UsageError, type Diagnostic } from '../errors';
import { assessItem, type ItemAssessment } from '../model/lifecycle';
import { resolveCustomerModel, resolveModel } from '../model/resolve';
import { entryPath, readRegister, type RegisterEntry } from '../register';

/** Evidence expiring within this many days is flagged. */
export const EXPIRY_WARNING_DAYS = 60;

export type EvidenceState = 'expired' | 'expiring' | 'before-review';

export interface EvidenceFlag {
  id: string;
  name: string;
  expires: string;
  state: EvidenceState;
  /** Days from today to the expiry date (negative when expired). */
  days: number;
}

export interface FileStatus {
  file: string;
  kind: 'provider' | 'customer' | 'invalid';
  provider?: string;
  service?: string;
  version?: string;
  issued?: string;
  review?: string;
  /** Days until the review date (negative when overdue). */
  reviewInDays?: number;
  reviewOverdue: boolean;
  evidence: EvidenceFlag[];
  unanswered: string[];
  /** Entries in the register for this file and version. */
  builds: number;
  /** Whether a signed build of this version is in the register. */
  signed: boolean;
  signedBy?: string;
  /** Answers whose approval does not cover them: never approved, void, or without a digest. */
  unapproved: ApprovalFlag[];
  /** Answers older than their maxAge. */
  stale: ApprovalFlag[];
  /** Planned answers past their due date. */
  pastDue: ApprovalFlag[];
  /** Owners (or "(no owner)") with the ids of their open items, most open first. */
  owners: { owner: string; open: string[] }[];
  /** document.approval: required. */
  approvalRequired: boolean;
  /** Whether the file uses approvals (required, or any answer approved): only then are unapproved answers reported. */
  tracksApprovals: boolean;
  /** For a customer file: the provider's answers file it answers, and its tier. */
  customerOf?: { providerFile: string; tier: string };
  /** For an invalid file: its first errors. */
  errors: Diagnostic[];
  /** Whether this file alone would make status fail (overdue, expired, invalid). */
  failing: boolean;
  /** Set when the file could not be read at all (an I/O problem, not its content): exit 3. */
  unreadable?: boolean;
}

/** One answer needing attention, with what status says about it. */
export interface ApprovalFlag {
  id: string;
  title: string;
  owner?: string;
  approval: ItemAssessment['approval'];
  approvedBy?: string;
  approvedOn?: string;
  lastReviewed?: string;
  maxAge?: string;
  staleOn?: string;
  due?: string;
}

function flagOf(a: ItemAssessment): ApprovalFlag {
  return {
    id: a.id,
    title: a.title,
    ...(a.owner ? { owner: a.owner } : {}),
    approval: a.approval,
    ...(a.approvedBy ? { approvedBy: a.approvedBy, approvedOn: a.approvedOn } : {}),
    ...(a.lastReviewed ? { lastReviewed: a.lastReviewed } : {}),
    ...(a.maxAge ? { maxAge: a.maxAge } : {}),
    ...(a.staleOn ? { staleOn: a.staleOn } : {}),
    ...(a.due ? { due: a.due } : {}),
  };
}

function usesApprovals(model: { document: { approval?: string } }, a: ItemAssessment[]): boolean {
  return model.document.approval === 'required' || a.some((x) => x.approval !== 'unapproved');
}

/** Open items per owner: unapproved or void, stale, or past due. */
function ownersOf(
  assessed: ItemAssessment[],
  approvals: boolean,
): { owner: string; open: string[] }[] {
  const by = new Map<string, string[]>();
  for (const a of assessed) {
    if ((!approvals || a.approval === 'approved') && !a.stale && !a.pastDue) continue;
    const key = a.owner ?? '(no owner)';
    by.set(key, [...(by.get(key) ?? []), a.id]);
  }
  return [...by.entries()]
    .map(([owner, open]) => ({ owner, open }))
    .sort((x, y) => y.open.length - x.open.length || x.owner.localeCompare(y.owner));
}

export interface StatusReport {
  today: string;
  dir: string;
  register: string;
  files: FileStatus[];
  registerProblems: Diagnostic[];
  failing: boolean;
}

/** Whole days from `a` to `b` (ISO dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The answers files a status run covers: a single file, or the YAML files of a folder. */
export function listAnswerFiles(target: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && path.basename(target) === 'answers')
      throw new IoError(
        `no answers/ folder here (${displayPath(path.dirname(target))}): srq status looks for answers files (*.yaml) in answers/ (give the folder or file that holds them: srq status <dir>)`,
      );
    throw ioErrorFrom(err, displayPath(target));
  }
  if (st.isFile()) return [target];
  const files = fs
    .readdirSync(target)
    .filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(target, n));
  if (!files.length) {
    throw new UsageError(
      `${displayPath(target)}: no answers files (*.yaml) in this folder (give the folder that holds them: srq status <dir>)`,
    );
  }
  return files;
}

/** Evidence that has expired, expires within 60 days, or expires before the review date. */
export function evidenceFlags(
  evidence: { id: string; name: string; expires?: string }[],
  today: string,
  review: string,
): EvidenceFlag[] {
  const out: EvidenceFlag[] = [];
  for (const e of evidence) {
    if (!e.expires) continue;
    const days = daysBetween(today, e.expires);
    const state: EvidenceState | undefined =
      days < 0
        ? 'expired'
        : days <= EXPIRY_WARNING_DAYS
          ? 'expiring'
          : e.expires < review
            ? 'before-review'
            : undefined;
    if (state) out.push({ id: e.id, name: e.name, expires: e.expires, state, days });
  }
  return out;
}

function statusOf(
  file: string,
  today: string,
  { entries, registerFile }: { entries: RegisterEntry[]; registerFile: string },
): FileStatus {
  const base: FileStatus = {
    file,
    kind: 'provider',
    reviewOverdue: false,
    evidence: [],
    unanswered: [],
    builds: 0,
    signed: false,
    unapproved: [],
    stale: [],
    pastDue: [],
    owners: [],
    approvalRequired: false,
    tracksApprovals: false,
    errors: [],
    failing: false,
  };
  let inspected: ReturnType<typeof inspectFile>;
  try {
    inspected = inspectFile(file);
  } catch (err) {
    if (!(err instanceof SrqError)) throw err;
    const shown = displayPath(file);
    // The message names the file already: the diagnostic says it once.
    const message = err.message.startsWith(`${shown}: `)
      ? err.message.slice(shown.length + 2)
      : err.message;
    return {
      ...base,
      kind: 'invalid',
      errors: [{ severity: 'error', file: shown, message }],
      failing: true,
      ...(err instanceof IoError ? { unreadable: true } : {}),
    };
  }
  const { customer, res } = inspected;
  if (!res.value)
    return { ...base, kind: 'invalid', errors: res.errors.slice(0, 3), failing: true };
  if (customer) return customerStatus(base, res.value as ParsedCustomer, today);
  const model = resolveModel(res.value as ParsedAnswers, { sourceFile: file });
  const { version, issued, review } = model.document;
  const reviewInDays = daysBetween(today, review);
  const abs = path.resolve(file);
  const builds = entries.filter(
    (e) => e.version === version && entryPath(registerFile, e.answersFile) === abs,
  );
  const signedBuild = [...builds].reverse().find((e) => e.signerSubject);
  const evidence = evidenceFlags(model.evidence, today, review);
  const assessed = model.items
    .map((i) => assessItem(i, today))
    .filter((a): a is ItemAssessment => Boolean(a));
  const status: FileStatus = {
    ...base,
    provider: model.provider.name,
    service: model.service.name,
    version,
    issued,
    review,
    reviewInDays,
    reviewOverdue: reviewInDays < 0,
    evidence,
    unanswered: model.unanswered,
    builds: builds.length,
    signed: Boolean(signedBuild),
    ...(signedBuild?.signerSubject ? { signedBy: signedBuild.signerSubject } : {}),
    // A file that asks for no approvals and records none is not nagged about them.
    unapproved: usesApprovals(model, assessed)
      ? assessed.filter((a) => a.approval !== 'approved').map(flagOf)
      : [],
    stale: assessed.filter((a) => a.stale).map(flagOf),
    pastDue: assessed.filter((a) => a.pastDue).map(flagOf),
    owners: ownersOf(assessed, usesApprovals(model, assessed)),
    approvalRequired: model.document.approval === 'required',
    tracksApprovals: usesApprovals(model, assessed),
  };
  // Overdue is what a scheduled job must flag: a missed review date, expired evidence, an answer
  // past its maxAge, a planned commitment past its due date. An unapproved answer is open, not late.
  status.failing =
    status.reviewOverdue ||
    evidence.some((e) => e.state === 'expired') ||
    status.stale.length > 0 ||
    status.pastDue.length > 0;
  return status;
}

/**
 * A customer file has no dates of its own: the provider's statement carries them. What can go
 * wrong for the customer is the provider's evidence for their tier expiring (they rely on it),
 * and their own parts left unanswered (a build refuses them).
 */
function customerStatus(base: FileStatus, parsed: ParsedCustomer, today: string): FileStatus {
  const model = resolveCustomerModel(parsed);
  const { version, issued, review } = model.document;
  const cited = new Set(model.items.flatMap((i) => i.evidence.map((e) => e.id)));
  const evidence = evidenceFlags(
    model.evidence.filter((e) => cited.has(e.id)),
    today,
    review,
  );
  return {
    ...base,
    kind: 'customer',
    provider: model.provider.name,
    service: model.service.name,
    version,
    issued,
    review,
    reviewInDays: daysBetween(today, review),
    reviewOverdue: daysBetween(today, review) < 0,
    evidence,
    unanswered: model.unanswered,
    customerOf: { providerFile: parsed.providerFile, tier: parsed.customer.tier },
    failing: evidence.some((e) => e.state === 'expired'),
  };
}

/**
 * The state of every answers file in a folder: review dates, evidence expiry, unanswered
 * principles and whether a signed build of the current version is in the register.
 */
export function collectStatus(options: {
  target: string;
  registerFile: string;
  now: Date;
}): StatusReport {
  const today = localDay(options.now);
  const files = listAnswerFiles(options.target);
  const reg = readRegister(options.registerFile);
  const statuses = files.map((f) =>
    statusOf(f, today, { entries: reg.entries, registerFile: options.registerFile }),
  );
  return {
    today,
    dir: options.target,
    register: options.registerFile,
    files: statuses,
    registerProblems: reg.problems,
    failing: statuses.some((s) => s.failing),
  };
}
