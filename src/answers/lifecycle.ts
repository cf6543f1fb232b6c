import { createHash } from 'node:crypto';
import type { Diagnostic } from '../errors';
import type { Answer, Answers } from './schema';
import type { SourceMap } from '../yaml/source-map';

/**
 * The answers file's own checks of the lifecycle fields, and the digest an approval records
 * (src/model/lifecycle.ts explains the lifecycle). Here, not in model/, so parsing the answers
 * depends on nothing above it.
 */

/** The fields of an answer the approval covers, whitespace-normalised, in a fixed order. */
function approvedContent(a: Answer): unknown {
  const norm = (s: string | undefined) => (s === undefined ? null : s.replace(/\s+/g, ' ').trim());
  const tiers = Object.keys(a.tiers)
    .sort()
    .map((id) => {
      const t = a.tiers[id];
      const { responsibility, customer } =
        typeof t === 'string' ? { responsibility: t, customer: undefined } : t;
      return [id, responsibility, norm(customer)];
    });
  return [
    norm(a.summary),
    norm(a.provider),
    a.assurance ?? null,
    [...(a.evidence ?? [])].sort(),
    tiers,
    a.state ?? 'yes',
    a.due ?? null,
    norm(a.reason),
    a.visibility ?? 'public',
  ];
}

/** The 12-hex-digit digest an approval of this answer records. */
export function answerDigest(a: Answer): string {
  return createHash('sha256')
    .update(JSON.stringify(approvedContent(a)))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Cross-field checks of the lifecycle fields (the schema checks each field alone): a planned
 * answer needs its due date, a not-applicable one its reason, and neither field stands alone;
 * an approval that no longer matches is a warning, so `srq validate` shows it.
 */
export function checkLifecycle(
  a: Answers,
  map: SourceMap,
  out: { errors: Diagnostic[]; warnings: Diagnostic[] },
): void {
  for (const [id, ans] of Object.entries(a.answers)) {
    const at = ['answers', id];
    const state = ans.state ?? 'yes';
    if (state === 'planned' && !ans.due) {
      out.errors.push(
        map.diagnostic([...at, 'state'], 'a planned answer needs a due date', {
          hint: 'add "due: YYYY-MM-DD", when it will be in place',
        }),
      );
    }
    if (ans.due && state !== 'planned') {
      out.errors.push(
        map.diagnostic([...at, 'due'], `due is only for a planned answer (state is ${state})`, {
          at: 'key',
          hint: 'set "state: planned", or remove due',
        }),
      );
    }
    if (state === 'not-applicable' && !ans.reason) {
      out.errors.push(
        map.diagnostic([...at, 'state'], 'a not-applicable answer needs a reason', {
          hint: 'add "reason: ..." saying why it does not apply to the service',
        }),
      );
    }
    if (ans.reason && state !== 'not-applicable') {
      out.errors.push(
        map.diagnostic(
          [...at, 'reason'],
          `reason is only for a not-applicable answer (state is ${state})`,
          { at: 'key', hint: 'set "state: not-applicable", or remove reason' },
        ),
      );
    }
    if (ans.approved && ans.approved.digest && ans.approved.digest !== answerDigest(ans)) {
      out.warnings.push(
        map.diagnostic(
          [...at, 'approved'],
          `the approval by ${ans.approved.by} on ${ans.approved.on} is void: the answer changed after it`,
          {
            severity: 'warning',
            at: 'key',
            hint: `approve it again: srq approve <file> ${id} --by NAME`,
          },
        ),
      );
    } else if (ans.approved && !ans.approved.digest) {
      out.warnings.push(
        map.diagnostic(
          [...at, 'approved'],
          'this approval has no digest, so srq cannot tell whether it covers the answer as it is',
          {
            severity: 'warning',
            at: 'key',
            hint: `record it with: srq approve <file> ${id} --by NAME`,
          },
        ),
      );
    }
  }
}
