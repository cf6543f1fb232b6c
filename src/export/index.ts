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

/** What a document export (md, html, docx) is made with; the data formats ignore it. */
export interface ExportOptions {
  format: ExportFormat;
  /** Template set (default: `customer` for a customer file, else `statement`). */
  template?: string;
  templatesDir?: string;
  /** A customer document's own date (ISO). */
  date?: string;
  /** Markdown front matter beyond `title` (md only). */
  frontMatter?: [string, string][];
}

/** Whether the format is a document made by the templates (as the PDF is). */
export function isDocumentFormat(format: ExportFormat): boolean {
  return format === 'md' || format === 'html' || format === 'docx';
}

/** Writes the model in `options.format`; the result is the file's content. */
export async function exportModel(model: Model, options: ExportOptions): Promise<string | Buffer> {
  const { format, frontMatter, ...doc } = options;
  switch (format) {
    case 'md':
      return (require('./md') as typeof import('./md')).exportMarkdown(model, {
        ...doc,
        ...(frontMatter ? { frontMatter } : {}),
      });
    case 'html':
      return (require('./html') as typeof import('./html')).exportHtml(model, doc);
    case 'csv':
      return (require('./csv') as typeof import('./csv')).exportCsv(model);
    case 'xlsx':
      return (require('./xlsx') as typeof import('./xlsx')).exportXlsx(model);
    case 'docx':
      return (require('./docx') as typeof import('./docx')).exportDocx(model, doc);
    case 'oscal':
      return (require('./oscal') as typeof import('./oscal')).exportOscal(model);
  }
}
