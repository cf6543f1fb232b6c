import type { Model } from '../model/types';
import { columnsFor, exportRows } from './rows';

/**
 * CSV per RFC 4180: CRLF between records, every field quoted when it holds a comma, quote or line
 * break, quotes doubled. A UTF-8 byte order mark first, so Excel reads the accents and dashes.
 */

export function csvField(value: string): string {
  // NOTE: a cell starting with = + - @ is run as a formula by spreadsheets (CSV injection);
  // a leading apostrophe keeps it text (OWASP's advice).
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',');
}

export function exportCsv(model: Model): string {
  const cols = columnsFor(model, { tierColumn: true });
  const lines = [
    csvLine(cols.map((c) => c.header)),
    ...exportRows(model).map((r) => csvLine(cols.map((c) => r[c.key]))),
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
