import fs from 'node:fs';
import path from 'node:path';
import { CheckError, IoError, oneLine, SrqError } from './errors';
import { readFileChecked, shownPath } from './fsx';
import { documentInfo } from './document-info';
import { formatDate } from './render/helpers';
import type { Model } from './model/types';
import {
  describeChar,
  fontFilesIn,
  FONTS_FOLDER,
  checkImage,
  layoutPdf,
  loadFonts,
  LogoError,
  type PageRect,
  type PdfOptions,
  type Uncovered,
} from './pdf';
import { renderDocument, templateDir, templateSetWarnings } from './render';
import { saveShapeCaches } from './pdf/shape-cache';
import { tightenHeapFor } from './heap';
import {
  addReservedSignatureField,
  addSignaturePlaceholder,
  countersignatureLabel,
  signatureBoxHeight,
} from './pdf/signature-field';

/** G-Cloud refuses documents over 5 MB. */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;
/** Largest logo srq reads: a cover logo is a few hundred KB, and the whole PDF should stay under 5 MB. */
export const MAX_LOGO_BYTES = 20 * 1024 * 1024;

export interface BuildOptions {
  /** Template set (default: statement). */
  template?: string;
  templatesDir?: string;
  buyer?: string;
  reference?: string;
  /** Allow unanswered principles; prints DRAFT on every page. */
  draft?: boolean;
  /**
   * Add a visible, unsigned signature field on the sign-off page for `signPdf` to fill.
   * `subject` is the certificate's subject, printed as "Digitally signed by …".
   */
  signature?: {
    subject?: string;
    /** ISO date shown in the sign-off block and the signature box. */
    date?: string;
    fieldName?: string;
    /** Recorded in the signature dictionary (/Reason, /Location, /ContactInfo). */
    reason?: string;
    location?: string;
    contactInfo?: string;
    /** Where the box's text comes from, named when it cannot fit: the key file, the answers file. */
    sources?: { key: string; answers: string };
  };
  /** A customer document's own date (ISO; default: the provider's issue date). */
  date?: string;
  /** Markdown of a "Changes since version X" section (from src/diff), placed before document control. */
  changes?: string;
  /** A line printed at the foot of every page (an NDA build's "Confidential — prepared for …"). */
  stamp?: string;
}

/** Tallest provider's signature box: a third of the page's body (about 28 lines at 8 pt). */
const MAX_SIGNATURE_HEIGHT = 300;

function provisionalBoxHeight(
  lines: string[],
  box: {
    face: ReturnType<typeof loadFonts>['regular'];
    sources?: { key: string; answers: string };
  },
): number {
  const height = signatureBoxHeight(undefined, lines, box.face);
  if (height > MAX_SIGNATURE_HEIGHT) {
    const chars = lines.reduce((n, l) => n + l.length, 0);
    const where = box.sources ? `${box.sources.key}: ` : '';
    const names = box.sources ? ` in ${box.sources.answers}` : '';
    throw new CheckError(
      `${where}the signature box would need ${height} pt for its ${chars} characters at 8 pt, over the ${MAX_SIGNATURE_HEIGHT} pt limit (use a certificate with a shorter subject, or a shorter signatory name and role${names})`,
    );
  }
  return height;
}

export interface BuildResult {
  pdf: Buffer;
  pages: number;
  /** One line each; the caller prints them. */
  warnings: string[];
  /** The markdown the PDF was laid out from (for debugging and tests). */
  markdown: string;
  /** Where the signature field is, when one was added. */
  signatureRect?: PageRect;
}

function readLogo(model: Model): PdfOptions['logo'] {
  const file = model.provider.logo;
  if (!file) return undefined;
  const shown = shownPath(file);
  if (!fs.existsSync(file)) {
    throw new IoError(
      `${shown}: no such file (provider.logo is relative to the answers file; check the path)`,
    );
  }
  const data = readFileChecked(file, MAX_LOGO_BYTES);
  const checked = checkImage(data);
  if ('error' in checked)
    throw new CheckError(
      `${shown}: cannot use the logo: it is ${checked.error} (${checked.hint ?? 'use a PNG or JPEG file'})`,
    );
  return { data, alt: `${model.provider.name} logo`, checked };
}

function notEmbedded(where: string, ch: string): string {
  return `${where}: ${describeChar(ch)} is not in the embedded fonts (it prints as a box)`;
}

/**
 * The layout's one coverage check (every character it drew, in the font it drew it in), told
 * the user by where the character came from: the answers-file field that holds it
 * ("principle 2.3", "service"), else the heading it was drawn under (template text).
 */
export function coverageWarnings(model: Model, uncovered: readonly Uncovered[]): string[] {
  // NOTE: every character drawn was in the fonts (the usual case): no need to read every
  // answer again for them (~40 ms of a 700-page build).
  if (!uncovered.length) return [];
  const chars = new Set(uncovered.map((u) => u.char));
  const warnings: string[] = [];
  const placed = new Set<string>();
  const check = (where: string, ...texts: (string | undefined)[]) => {
    const found = new Set<string>();
    for (const t of texts) if (t) for (const ch of t) if (chars.has(ch)) found.add(ch);
    for (const ch of found) {
      placed.add(ch);
      warnings.push(notEmbedded(where, ch));
    }
  };
  check(
    'provider',
    model.provider.name,
    model.provider.team,
    model.provider.address,
    model.provider.email,
  );
  check('service', model.service.name, model.service.summary);
  if (model.customer)
    check(
      'customer',
      model.customer.name,
      model.customer.team,
      model.customer.signatory.name,
      model.customer.signatory.role,
    );
  check('document', model.document.title, model.document.classification);
  for (const t of model.tiers) check(`tier ${t.id}`, t.name, t.summary);
  for (const item of model.items) {
    check(
      `principle ${item.id}`,
      item.title,
      item.requirement,
      item.provider,
      ...item.tiers.map((t) => t.customer),
      item.customerAnswer,
    );
  }
  for (const u of uncovered)
    if (!placed.has(u.char)) warnings.push(notEmbedded(oneLine(u.where), u.char));
  return warnings;
}

/**
 * Builds a document from a model: render (Handlebars → Markdown) → layout (pdfkit).
 * Refuses unanswered principles unless `draft`. Pure apart from reading the logo.
 */
export async function buildDocument(
  model: Model,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const template = options.template ?? 'statement';
  if (model.unanswered.length && !options.draft) {
    throw new CheckError(
      `${model.unanswered.length} principle(s) unanswered: ${model.unanswered.join(', ')} (answer them, or build with --draft)`,
    );
  }
  const markdown = renderDocument(model, {
    template,
    ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    ...(options.buyer ? { buyer: options.buyer } : {}),
    ...(options.reference ? { reference: options.reference } : {}),
    ...(options.draft ? { draft: true } : {}),
    ...(options.signature ? { signature: options.signature } : {}),
    ...(options.date ? { date: options.date } : {}),
    ...(options.changes ? { changes: options.changes } : {}),
  });
  tightenHeapFor(markdown.length);
  // A template set may bring its own fonts (templates/README.md, "Fonts").
  const setDir = templateDir(template, options.templatesDir);
  const fontFiles = fontFilesIn(setDir);
  const fonts = loadFonts(fontFiles);
  const meta = documentInfo(model, template, options.date);
  // NOTE: a customer's own document is not the provider's: no provider logo on its cover.
  const logo = meta.customer ? undefined : readLogo(model);
  const date = new Date(`${meta.date}T00:00:00Z`);
  const sig = options.signature;
  const signatureLines = sig
    ? [
        meta.signatory.name,
        meta.signatory.role,
        // One date format in the document: "2 November 2026", as in the text.
        ...(sig.date ? [`Date: ${formatDate(sig.date)}`] : []),
        ...(sig.subject ? [`Digitally signed by ${sig.subject}`] : ['Digital signature']),
      ]
    : [];
  // The provider's box grows so its text wraps at 8 pt or more (never shrinks, never clips).
  // Measured in the face the box is drawn in: the document's regular face (a template's own).
  const signatureHeight = sig
    ? provisionalBoxHeight(signatureLines, {
        face: fonts.regular,
        ...(sig.sources ? { sources: sig.sources } : {}),
      })
    : undefined;
  let result;
  try {
    result = await layoutPdf(markdown, {
      fonts,
      info: {
        title: meta.title,
        author: meta.author,
        subject: meta.subject,
        keywords: meta.keywords,
        date,
      },
      furniture: {
        shortTitle: meta.shortTitle,
        ...(model.document.classification ? { classification: model.document.classification } : {}),
        draft: Boolean(options.draft),
        ...(options.stamp ? { stamp: options.stamp } : {}),
      },
      ...(logo ? { logo } : {}),
      ...(sig
        ? {
            signature: {
              ...(signatureHeight ? { height: signatureHeight } : {}),
              addField: (doc, { rect, countersignature, structParent }) => {
                addSignaturePlaceholder(doc, {
                  rect,
                  structParent,
                  // The provider certifies: afterwards only the reserved field may be filled.
                  certify: true,
                  font: 'regular',
                  name: meta.signatory.name,
                  ...(sig.fieldName ? { fieldName: sig.fieldName } : {}),
                  ...(sig.reason ? { reason: sig.reason } : {}),
                  ...(sig.location ? { location: sig.location } : {}),
                  ...(sig.contactInfo ? { contactInfo: sig.contactInfo } : {}),
                  appearanceLines: signatureLines,
                });
                if (countersignature) {
                  addReservedSignatureField(doc, {
                    rect: countersignature,
                    structParent,
                    font: 'regular',
                    fieldName: 'Countersignature',
                    name: options.buyer ?? 'the customer',
                    appearanceLines: countersignatureLabel(options.buyer, Boolean(meta.customer)),
                  });
                }
              },
            },
          }
        : {}),
    });
  } catch (err) {
    if (err instanceof LogoError && model.provider.logo) {
      throw new CheckError(
        `${shownPath(model.provider.logo)}: cannot use the logo: ${err.message} (use a PNG or JPEG file)`,
        [],
        { cause: err },
      );
    }
    if (Object.keys(fontFiles).length && !(err instanceof SrqError)) {
      // NOTE: loadFontFile checks what it can up front; a font damaged deeper fails here.
      throw new CheckError(
        `${shownPath(path.join(setDir, FONTS_FOLDER))}: the document could not be set in these fonts: ${(err as Error)?.message ?? String(err)} (check the font files, or remove the fonts folder to use the built-in fonts)`,
        [],
        { cause: err },
      );
    }
    throw err;
  }
  // The words shaped for this document, kept for the next run (src/pdf/shape-cache.ts).
  saveShapeCaches(Object.values(fonts));
  const warnings = [
    ...templateSetWarnings(template, options.templatesDir),
    ...coverageWarnings(model, result.uncovered),
  ];
  if (result.pdf.length > MAX_PDF_BYTES) {
    warnings.push(
      `the PDF is ${(result.pdf.length / 1024 / 1024).toFixed(1)} MB, over the 5 MB G-Cloud limit (${model.provider.logo ? 'use a smaller logo, or ' : ''}build fewer tiers with --tier, or shorten the longest answers)`,
    );
  }
  return {
    pdf: result.pdf,
    pages: result.pages,
    warnings,
    markdown,
    ...(result.signature ? { signatureRect: result.signature } : {}),
  };
}
