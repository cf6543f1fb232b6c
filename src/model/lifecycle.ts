import { answerDigest } from '../answers/lifecycle';
import type { Answer } from '../answers/schema';
import { CheckError } from '../errors';
import type { Model, ModelItem, ModelLifecycle } from './types';

/**
 * The lifecycle of an answer: who owns it, when it was last reviewed, whether its approval still
 * covers what it says, how long it stays current, and what it commits to (issue 18).
 *
 * An approval is sealed with a digest: the first 12 hex digits of the SHA-256 of the answer's
 * published content (summary, statement, assurance, evidence, every tier's responsibility and
 * customer text, state, due date, reason, visibility), whitespace collapsed so re-wrapping a
 * paragraph does not count as a change. `srq approve` writes it; whenever the content is edited
 * afterwards the digest no longer matches and the approval is void. Owner, review and maxAge are
 * not content: changing them keeps the approval.
 */

export { answerDigest, checkLifecycle } from '../answers/lifecycle';

/** The model's view of an answer's lifecycle; `defaultMaxAge` is the file's document.maxAge. */
export function lifecycleOf(a: Answer, defaultMaxAge?: string): ModelLifecycle {
  const maxAge = a.maxAge ?? defaultMaxAge;
  let digest: string | undefined;
  return {
    ...(a.owner ? { owner: a.owner } : {}),
    ...(a.reviewed ? { reviewed: { ...a.reviewed } } : {}),
    ...(a.approved ? { approved: { ...a.approved } } : {}),
    ...(maxAge ? { maxAge } : {}),
    state: a.state ?? 'yes',
    ...(a.due ? { due: a.due } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
    // NOTE: a confidential answer is never published below an NDA, whatever its visibility says.
    visibility:
      a.state === 'confidential' && (a.visibility ?? 'public') !== 'internal'
        ? 'nda'
        : (a.visibility ?? 'public'),
    // NOTE: worked out when first read (an approval to check, a diff, status): a build of 1,400
    // principles spent ~30 ms hashing answers nothing compared. An answer is not changed once
    // its model is made, so the digest is the same whenever it is read.
    get digest() {
      return (digest ??= answerDigest(a));
    },
  };
}

/** `iso` plus an age such as `6m` or `1y`, in UTC; month ends clamp (31 Jan + 1m = 28/29 Feb). */
export function addAge(iso: string, age: string): string {
  const m = /^(\d+)([dwmy])$/.exec(age);
  if (!m) throw new Error(`not an age: ${age}`);
  const n = Number(m[1]);
  const [y, mo, d] = iso.split('-').map(Number);
  if (m[2] === 'd' || m[2] === 'w') {
    const t = Date.UTC(y, mo - 1, d) + n * (m[2] === 'w' ? 7 : 1) * 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  }
  const months = m[2] === 'y' ? n * 12 : n;
  const total = y * 12 + (mo - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ny, nm, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The latest of the review date and a still-valid approval's date: when it was last confirmed. */
export function lastReviewedOn(l: ModelLifecycle): string | undefined {
  // NOTE: the digest is only worked out for an approval that has one to compare (lifecycleOf).
  const sealed = l.approved?.digest;
  const approvedNow = sealed !== undefined && sealed === l.digest ? l.approved?.on : undefined;
  return [l.reviewed?.on, approvedNow]
    .filter((d): d is string => Boolean(d))
    .sort()
    .at(-1);
}

/** Whether an approval covers the answer as it is now. */
export type ApprovalState = 'approved' | 'unapproved' | 'void' | 'unsealed';

export interface ItemAssessment {
  id: string;
  title: string;
  owner?: string;
  approval: ApprovalState;
  approvedBy?: string;
  approvedOn?: string;
  /** The latest of the review and approval dates. */
  lastReviewed?: string;
  maxAge?: string;
  /** When it stops being current (lastReviewed + maxAge); unset without maxAge or dates. */
  staleOn?: string;
  /** Older than its maxAge (or never reviewed while a maxAge applies). */
  stale: boolean;
  state: ModelLifecycle['state'];
  due?: string;
  /** A planned answer whose due date has passed. */
  pastDue: boolean;
}

/** Where an answer stands on `today`: its approval, its age, its commitment. Pure. */
export function assessItem(item: ModelItem, today: string): ItemAssessment | undefined {
  const l = item.lifecycle;
  if (!l) return undefined;
  const approval: ApprovalState = !l.approved
    ? 'unapproved'
    : !l.approved.digest
      ? 'unsealed'
      : l.approved.digest === l.digest
        ? 'approved'
        : 'void';
  // A void approval is not a review of what the answer says now.
  const lastReviewed = lastReviewedOn(l);
  const staleOn = l.maxAge && lastReviewed ? addAge(lastReviewed, l.maxAge) : undefined;
  const stale = Boolean(l.maxAge) && (!staleOn || staleOn < today);
  return {
    id: item.id,
    title: item.title,
    ...(l.owner ? { owner: l.owner } : {}),
    approval,
    ...(l.approved ? { approvedBy: l.approved.by, approvedOn: l.approved.on } : {}),
    ...(lastReviewed ? { lastReviewed } : {}),
    ...(l.maxAge ? { maxAge: l.maxAge } : {}),
    ...(staleOn ? { staleOn } : {}),
    stale,
    state: l.state,
    ...(l.due ? { due: l.due } : {}),
    pastDue: l.state === 'planned' && Boolean(l.due) && l.due! < today,
  };
}

/** Why an assessed answer may not be signed, in a few words; undefined when it may. */
export function signingBlocker(a: ItemAssessment): string | undefined {
  if (a.approval === 'unapproved') return 'never approved';
  if (a.approval === 'unsealed') return 'approval has no digest (not recorded by srq approve)';
  if (a.approval === 'void')
    return `changed since ${a.approvedBy} approved it on ${a.approvedOn} (approval void)`;
  if (a.stale)
    return a.lastReviewed
      ? `last reviewed ${a.lastReviewed}, older than ${a.maxAge}`
      : `never reviewed (maxAge ${a.maxAge})`;
  return undefined;
}

/** The answers of a document that stop it being signed, with why; empty unless approval is required. */
export function approvalBlockers(model: Model, today: string): { id: string; why: string }[] {
  // A customer signs its own split; the provider's approvals are the provider's to enforce.
  if (model.kind === 'customer' || model.document.approval !== 'required') return [];
  const out: { id: string; why: string }[] = [];
  for (const item of model.items) {
    const a = assessItem(item, today);
    const why = a && signingBlocker(a);
    if (why) out.push({ id: item.id, why });
  }
  return out;
}

/**
 * Refuses to sign a document whose file requires approvals while any of its answers is
 * unapproved, void or stale, unless `allow` (`--allow-unapproved`). Returns the ids overridden,
 * for the register. `label` names the document in the message.
 */
export function refuseUnapproved(
  model: Model,
  o: { today: string; allow?: boolean; label: string; approveHint: string },
): string[] {
  const blockers = approvalBlockers(model, o.today);
  if (!blockers.length || o.allow) return blockers.map((b) => b.id);
  const groups = new Map<string, string[]>();
  for (const b of blockers) groups.set(b.why, [...(groups.get(b.why) ?? []), b.id]);
  const list = [...groups.entries()].map(([why, ids]) => `${why}: ${ids.join(', ')}`).join('; ');
  throw new CheckError(
    `${o.label}: not signed: ${blockers.length} answer(s) not approved and current (document.approval: required): ${list} (${o.approveHint}, or sign with --allow-unapproved, which the register records)`,
  );
}
