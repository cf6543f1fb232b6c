import { displayPath } from '../answers/read';
import { formatDiagnostic } from '../errors';
import type { EvidenceFlag, FileStatus, StatusReport } from './index';

/** Left-aligned plain-text columns, two spaces apart; no trailing spaces. */
export function textTable(head: string[], rows: string[][]): string {
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

/** What to do about each problem, one line each. */
export function problemLines(s: FileStatus, cwd: string): string[] {
  const f = displayPath(s.file, cwd);
  const out: string[] = [];
  if (s.kind === 'invalid') {
    for (const d of s.errors) out.push(formatDiagnostic(d));
    out.push(`${f}: invalid answers file (run srq validate ${f})`);
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
      ? [displayPath(s.file, cwd), 'INVALID', '', '', '', '', '', '', '']
      : [
          displayPath(s.file, cwd),
          s.provider ?? '',
          s.service ?? '',
          s.version ?? '',
          s.issued ?? '',
          reviewCell(s),
          evidenceCell(s.evidence),
          String(s.unanswered.length),
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
        'SIGNED',
      ],
      rows,
    ),
  ];
  const problems = report.files.flatMap((s) => problemLines(s, cwd));
  if (problems.length) out.push('', ...problems);
  for (const d of report.registerProblems) out.push(formatDiagnostic(d));
  const customers = report.files.length - providers.length;
  const failing = report.files.filter((s) => s.failing).length;
  out.push(
    '',
    `${providers.length} answers file(s)${customers ? ` and ${customers} customer file(s)` : ''} on ${report.today}: ${failing ? `${failing} need(s) action now (overdue review, expired evidence or invalid)` : 'nothing overdue or expired'}`,
  );
  return `${out.join('\n')}\n`;
}
