import type { Model } from '../model/types';

/**
 * The export formats. Each writer lives in its own module and is loaded only when used, so a CSV
 * export does not load the Word or Excel libraries.
 */

export const EXPORT_FORMATS = ['md', 'html', 'csv', 'xlsx', 'docx', 'oscal'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXTENSION: Record<ExportFormat, string> = {
  md: 'md',
  html: 'html',
  csv: 'csv',
  xlsx: 'xlsx',
  docx: 'docx',
  oscal: 'oscal.json',
};

/** Whether the format is text (may be written to stdout with `-o -`). */
export function isTextFormat(format: ExportFormat): boolean {
  return format !== 'xlsx' && format !== 'docx';
}

/* eslint-disable @typescript-eslint/no-require-imports */

/** Writes the model in `format`; the result is the file's content. */
export async function exportModel(model: Model, format: ExportFormat): Promise<string | Buffer> {
  switch (format) {
    case 'md':
      return (require('./md') as typeof import('./md')).exportMarkdown(model);
    case 'html':
      return (require('./html') as typeof import('./html')).exportHtml(model);
    case 'csv':
      return (require('./csv') as typeof import('./csv')).exportCsv(model);
    case 'xlsx':
      return (require('./xlsx') as typeof import('./xlsx')).exportXlsx(model);
    case 'docx':
      return (require('./docx') as typeof import('./docx')).exportDocx(model);
    case 'oscal':
      return (require('./oscal') as typeof import('./oscal')).exportOscal(model);
  }
}
