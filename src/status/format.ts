import { safeCell } from '../text/safe';
import { displayPath } from '../answers/read';
import { formatDiagnostic } from '../errors';
import type { ApprovalFlag, EvidenceFlag, FileStatus, StatusReport } from './index';

/** Left-aligned plain-text columns, two spaces apart; no trailing spaces. */
export function textTable(head: string[], rawRows: string[][]): string {
  // Cells quote files and options: never a control character or line break to the terminal.
  const rows = rawRows.map((r) => r.map((c) => safeCell(c ?? '')));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function evidenceCell(flags: EvidenceFlag[]): string {
  const n = (s: EvidenceFlag['state']) => flags.filter((f) => f.state === s).length;
  const parts = [
    n('expired') ? `${n('expired')} EXPIRED` : '',
    n('expiring') ? `${n('expiring')} expiring` : '',
    n('before-review') ? `${n('before-review')} before review` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'ok';
}

function reviewCell(s: FileStatus): string {
  if (!s.review) return '';
  if (s.reviewOverdue) return `${s.review} OVERDUE`;
  if ((s.reviewInDays ?? 999) <= 60) return `${s.review} (in ${s.reviewInDays} days)`;
  return s.review;
}

function approvalsCell(s: FileStatus): string {
  const parts = [
    s.unapproved.length ? `${s.unapproved.length} unapproved` : '',
    s.stale.length ? `${s.stale.length} STALE` : '',
    s.pastDue.length ? `${s.pastDue.length} PAST DUE` : '',
  ].filter(Boolean);
  return parts.join(', ') || (s.tracksApprovals || s.stale.length ? 'ok' : '—');
}

/** What to do about each problem, one line each. */
export function problemLines(s: FileStatus, cwd: string): string[] {
  const f = displayPath(s.file, cwd);
  const out: string[] = [];
  if (s.kind === 'invalid') {
    for (const d of s.errors) out.push(formatDiagnostic(d));
    // An unreadable file's one line already says what to do; validate would say the same.
    if (!s.unreadable) out.push(`${f}: invalid answers file (run srq validate ${f})`);
    return out;
  }
  const of = s.customerOf;
  if (s.reviewOverdue && of) {
    out.push(
      `${f}: the provider's statement ${displayPath(of.providerFile, cwd)} was due for review on ${s.review} (ask ${s.provider ?? 'the provider'} for its new edition)`,
    );
  } else if (s.reviewOverdue) {
    out.push(
      `${f}: review overdue by ${-(s.reviewInDays ?? 0)} days (due ${s.review}; run srq review ${f})`,
    );
  }
  for (const e of s.evidence) {
    const what = of
      ? `${f}: the provider's evidence ${e.id} (${e.name}) for tier ${of.tier}`
      : `${f}: evidence ${e.id} (${e.name})`;
    if (e.state === 'expired') {
      out.push(
        of
          ? `${what} expired on ${e.expires} (ask ${s.provider ?? 'the provider'} for the renewed one)`
          : `${what} expired on ${e.expires} (renew it and update its expires date, or remove it)`,
      );
    } else if (e.state === 'expiring') {
      out.push(`${what} expires on ${e.expires}, in ${e.days} days (plan its renewal)`);
    } else {
      out.push(`${what} expires on ${e.expires}, before the review date ${s.review}`);
    }
  }
  const never = s.unapproved.filter((a) => a.approval === 'unapproved').map((a) => a.id);
  if (never.length) {
    out.push(
      `${f}: ${never.length} answer(s) never approved: ${never.join(', ')} (review them, then srq approve ${f} --by NAME)`,
    );
  }
  for (const a of s.unapproved) {
    const who = a.owner ? `; owner ${a.owner}` : '';
    const fix = `srq approve ${f} ${a.id} --by NAME`;
    if (a.approval === 'void') {
      out.push(
        `${f}: answer ${a.id} changed after its approval by ${a.approvedBy} on ${a.approvedOn}: approval void${who} (review it, then ${fix})`,
      );
    } else if (a.approval === 'unsealed') {
      out.push(
        `${f}: answer ${a.id}: approval by ${a.approvedBy} on ${a.approvedOn} has no digest${who} (record it with ${fix})`,
      );
    }
  }
  // Answers reviewed together go stale together: one line per review date and maxAge.
  const staleGroups = new Map<
    string,
    { first: ApprovalFlag; ids: string[]; owners: Set<string> }
  >();
  for (const a of s.stale) {
    const key = `${a.lastReviewed ?? ''}|${a.maxAge ?? ''}`;
    const g = staleGroups.get(key) ?? { first: a, ids: [], owners: new Set<string>() };
    g.ids.push(a.id);
    if (a.owner) g.owners.add(a.owner);
    staleGroups.set(key, g);
  }
  for (const { first: a, ids, owners } of staleGroups.values()) {
    const who = owners.size ? `; owner(s) ${[...owners].join(', ')}` : '';
    const fix = `review with srq review ${f}, or srq approve ${f} ${ids.length === 1 ? `${ids[0]} ` : ''}--by NAME --reviewed`;
    const what = ids.length === 1 ? `answer ${ids[0]} is` : `${ids.length} answers are`;
    out.push(
      a.lastReviewed
        ? `${f}: ${what} stale: last reviewed ${a.lastReviewed}, older than maxAge ${a.maxAge} since ${a.staleOn}${ids.length > 1 ? `: ${ids.join(', ')}` : ''}${who} (${fix})`
        : `${f}: ${what} never reviewed, with maxAge ${a.maxAge}${ids.length > 1 ? `: ${ids.join(', ')}` : ''}${who} (${fix})`,
    );
  }
  for (const a of s.pastDue) {
    const who = a.owner ? `; owner ${a.owner}` : '';
    out.push(
      `${f}: answer ${a.id} is planned for ${a.due}, now past due${who} (deliver it and set state: yes, or move due to the new date)`,
    );
  }
  if (s.unanswered.length) {
    const how = of
      ? `srq customer ${displayPath(of.providerFile, cwd)} --tier ${of.tier} -o ${f}`
      : `srq interview ${f}`;
    out.push(
      `${f}: ${s.unanswered.length} unanswered principle(s): ${s.unanswered.join(', ')} (answer them with ${how})`,
    );
  }
  return out;
}

/** The terminal report: a table, then one line per problem, then a verdict. */
export function formatStatusText(report: StatusReport, cwd: string): string {
  const providers = report.files.filter((s) => s.kind !== 'customer');
  const rows = report.files.map((s) =>
    s.kind === 'invalid'
      ? [
          displayPath(s.file, cwd),
          s.unreadable ? 'UNREADABLE' : 'INVALID',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ]
      : [
          displayPath(s.file, cwd),
          s.provider ?? '',
          s.service ?? '',
          s.version ?? '',
          s.issued ?? '',
          reviewCell(s),
          evidenceCell(s.evidence),
          String(s.unanswered.length),
          approvalsCell(s),
          s.kind === 'customer' ? '' : s.signed ? 'yes' : s.builds ? 'unsigned' : 'no',
        ],
  );
  const out: string[] = [
    textTable(
      [
        'FILE',
        'PROVIDER',
        'SERVICE',
        'VERSION',
        'ISSUED',
        'REVIEW',
        'EVIDENCE',
        'UNANSWERED',
        'ANSWERS',
        'SIGNED',
      ],
      rows,
    ),
  ];
  const problems = report.files.flatMap((s) => problemLines(s, cwd));
  if (problems.length) out.push('', ...problems);
  // Owners are listed once someone owns an answer; "(no owner)" then collects the rest.
  const owners = providers.flatMap((s) =>
    s.owners.length === 1 && s.owners[0].owner === '(no owner)'
      ? []
      : s.owners.map(
          (o) =>
            `${displayPath(s.file, cwd)}: ${o.owner}: ${o.open.length} open (${o.open.join(', ')})`,
        ),
  );
  if (owners.length) out.push('', 'Open items by owner:', ...owners);
  for (const d of report.registerProblems) out.push(formatDiagnostic(d));
  const customers = report.files.length - providers.length;
  const failing = report.files.filter((s) => s.failing).length;
  out.push(
    '',
    `${providers.length} answers file(s)${customers ? ` and ${customers} customer file(s)` : ''} on ${report.today}: ${failing ? `${failing} need(s) action now (overdue review, expired evidence, stale or past-due answers, or invalid)` : 'nothing overdue or expired'}`,
  );
  return `${out.join('\n')}\n`;
}
