import { oneLine } from '../errors';
import { csvLine } from '../export/csv';
import type { ReportRow, RowStatus } from './index';

/** The fill report: one CSV row per question, for the sales person to work through. */

const HEADERS = [
  'Sheet',
  'Row',
  'Ref',
  'Question',
  'Status',
  'Answered from',
  'How',
  'Score',
  'Note',
];

export function formatReportCsv(rows: ReportRow[]): string {
  const lines = [
    csvLine(HEADERS),
    ...rows.map((r) =>
      csvLine([
        r.sheet,
        r.row,
        r.reference,
        r.question,
        r.status,
        r.answeredFrom,
        r.how,
        r.score,
        r.note,
      ]),
    ),
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function countByStatus(rows: ReportRow[]): Record<RowStatus, number> {
  const out: Record<RowStatus, number> = {
    answered: 0,
    'needs review': 0,
    blank: 0,
    kept: 0,
    heading: 0,
  };
  for (const r of rows) out[r.status]++;
  return out;
}

const clip = (s: string, n: number) => {
  const t = s.replace(/\s+/g, ' ');
  return oneLine(t.length <= n ? t : `${t.slice(0, n - 1)}…`);
};

/** Lines for stdout: the counts, then every question left blank or needing review. */
export function summaryLines(rows: ReportRow[]): string[] {
  const c = countByStatus(rows);
  const lines = [
    `${rows.length - c.heading} question(s): ${c.answered} answered, ${c['needs review']} need review, ${c.blank} left blank, ${c.kept} already answered (kept)`,
  ];
  for (const r of rows.filter((x) => x.status === 'blank' || x.status === 'needs review')) {
    const from = r.answeredFrom ? ` -> ${r.answeredFrom}` : '';
    lines.push(
      `  ${r.status === 'blank' ? 'blank ' : 'review'} ${r.sheet} ${r.row}${r.reference ? ` [${r.reference}]` : ''}: ${clip(r.question, 70)}${from}${r.note ? ` (${clip(r.note, 90)})` : ''}`,
    );
  }
  const headings = rows.filter((x) => x.status === 'heading');
  if (headings.length) {
    const shown = headings
      .slice(0, 12)
      .map((r) => `${r.row} '${clip(r.question, 40)}'`)
      .join(', ');
    lines.push(
      `  ${headings.length} row(s) read as section headings, not answered: ${shown}${headings.length > 12 ? ', …' : ''} (if one is a question, list its row under alsoQuestions: in the mapping file; see the report)`,
    );
  }
  return lines;
}
