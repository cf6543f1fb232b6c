import { defaultTemplate, documentInfo, type DocumentInfo } from '../document-info';
import type { Model } from '../model/types';
import { normaliseMarkdown, type Block, type Run } from '../pdf/normalise';
import { renderDocument } from '../render';

/**
 * The document exports (md, html, docx) are made from the same definition as the PDF: the model's
 * view, rendered by the same Handlebars templates (a user's `--templates` included) to Markdown,
 * parsed into the same block tree the PDF layout consumes (src/pdf/normalise.ts). The writers
 * only translate blocks; none of them decides what the document says.
 */

export type { Block, Run } from '../pdf/normalise';

export interface ExportDocumentOptions {
  /** Template set (default: `customer` for a customer file, else `statement`). */
  template?: string;
  templatesDir?: string;
  /** A customer document's own date (ISO). */
  date?: string;
}

export interface ExportDocument {
  info: DocumentInfo;
  template: string;
  version: string;
  classification?: string;
  lang: 'en-GB';
  /** The cover's fields, when the template has a cover (statement, customer). */
  cover?: Record<string, Run[]>;
  /** Every block after the cover, in order; page breaks and the signature marker included. */
  blocks: Block[];
  /**
   * How many levels the template's headings sit below the document's one top-level heading: 1
   * when a cover gives the title (its `#` sections become `h2`), 0 when the template has its own.
   */
  headingShift: 0 | 1;
}

/** Renders the model with its template and parses it into blocks. Does not change the model. */
export function buildExportDocument(
  model: Model,
  options: ExportDocumentOptions = {},
): ExportDocument {
  const template = options.template ?? defaultTemplate(model);
  const markdown = renderDocument(model, {
    template,
    ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    ...(options.date ? { date: options.date } : {}),
  });
  const all = normaliseMarkdown(markdown);
  const coverBlock = all.find((b): b is Extract<Block, { kind: 'cover' }> => b.kind === 'cover');
  const blocks = all.filter((b) => b !== coverBlock);
  return {
    info: documentInfo(model, template, options.date),
    template,
    version: model.document.version,
    ...(model.document.classification ? { classification: model.document.classification } : {}),
    lang: 'en-GB',
    ...(coverBlock ? { cover: coverBlock.fields } : {}),
    blocks,
    headingShift: coverBlock ? 1 : 0,
  };
}

/** The cover's lines below the title, in the order the PDF's cover prints them. */
export const COVER_LINES = [
  'subtitle',
  'provider',
  'service',
  'prepared-for',
  'reference',
  'date',
  'version',
] as const;

/** The document's title: the cover's, else the text of the first heading. */
export function documentTitle(doc: ExportDocument): Run[] {
  if (doc.cover?.title) return doc.cover.title;
  const h = doc.blocks.find((b) => b.kind === 'heading');
  return h?.kind === 'heading' ? h.runs : [{ text: doc.info.title, font: 'regular' }];
}
