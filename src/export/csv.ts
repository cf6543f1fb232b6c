import type { Model } from '../model/types';
import { csvField } from '../office/csv-field';
import { columnsFor, exportRows } from './rows';

export { csvField };

/**
 * CSV per RFC 4180: CRLF between records, every field quoted when it holds a comma, quote or line
 * break, quotes doubled. A UTF-8 byte order mark first, so Excel reads the accents and dashes.
 */

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
