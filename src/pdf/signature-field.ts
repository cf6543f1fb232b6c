import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { shapeText } from './fonts';
import { fixUnshapeable } from './fontkit-fixes';
import { fixEmbeddedFont } from './pdfkit-fixes';
import { STYLE } from './styles';
import { appearanceContent, appearanceHeight, type AppearanceFont } from './signature-appearance';

/**
 * A signature field written through pdfkit before `doc.end()`: the signature dictionary with
 * reserved room for the CMS, a visible widget with its own appearance, a Form structure element,
 * and the AcroForm. `signPdf` later fills the reserved bytes in place (pdf-notes.md, "Signing").
 */

/** Marks the reserved /ByteRange; `signPdf` overwrites it with the real offsets, same width. */
export const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 /********** /********** /**********]';
/** Reserved /M (the claimed signing time, PAdES puts it here rather than in the CMS). */
export const SIGNING_TIME_PLACEHOLDER = '/M (D:00000000000000Z)';
/**
 * Bytes reserved for the DER CMS. NOTE: a 4096-bit RSA signature with its certificate and a
 * two-certificate chain takes about 5 KB; 16 KB leaves room for longer chains.
 */
export const SIGNATURE_CONTENTS_BYTES = 16384;
export const SUBFILTER = 'ETSI.CAdES.detached';
/** The text in the empty countersignature box, until someone signs it with `srq sign`. */
export function countersignatureLabel(
  buyer: string | undefined,
  customerDocument: boolean,
): string[] {
  return [
    customerDocument ? 'Countersignature' : 'Customer countersignature',
    customerDocument ? 'Reserved for a second signatory' : (buyer ?? 'Reserved for the buyer'),
    'Not signed yet: sign this field with srq sign',
  ];
}

/** The sign-off's boxes (STYLE.signature), for fields srq adds to an existing file. */
export const SIGNATURE_BOX = STYLE.signature;

export interface SignaturePlaceholderOptions {
  /** PDF points on the current page, pdfkit top-left coordinates. */
  rect: { x: number; y: number; width: number; height: number };
  fieldName?: string;
  /** Signer's name, recorded in the signature dictionary (/Name). */
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Visible text in the box: signer name, role, date, "Digitally signed by <subject>". */
  appearanceLines: string[];
  /** An embedded font: a name registered with doc.registerFont, or a fontkit Font. Default: the current font. */
  font?: unknown;
  /** Structure element the Form element goes under; default: the structure tree root. */
  structParent?: PDFKit.PDFStructureElement;
}

/** The pdfkit internals this module relies on (0.20.2), kept in one place. */
interface PdfkitFont {
  id: string;
  subset?: unknown;
  ascender: number;
  descender: number;
  ref(): PdfkitRef;
  encode(text: string): [string[], unknown[]];
  widthOfString(text: string, size: number): number;
}
interface PdfkitRef {
  id: number;
  data: Record<string, unknown>;
  write(chunk: string): void;
  end(chunk?: string): void;
}
interface PdfkitInternals {
  _font: PdfkitFont | null;
  _fontSource: unknown;
  _fontFamily: unknown;
  _root: { data: Record<string, unknown> & { AcroForm?: PdfkitRef } };
  _acroform?: { fonts: Record<string, unknown>; defaultFont: string };
  page: { dictionary: PdfkitRef; annotations: unknown[] };
  options: { tagged?: boolean };
  ref(data?: object): PdfkitRef;
  font(src: unknown): unknown;
  annotate(x: number, y: number, w: number, h: number, options: object): unknown;
  struct(type: string, options?: object): PDFKit.PDFStructureElement;
  addStructure(el: PDFKit.PDFStructureElement): unknown;
}

/** A value pdfkit writes verbatim: it prints objects whose tag is not "Object" with toString(). */
class PdfRaw {
  constructor(private readonly text: string) {}
  get [Symbol.toStringTag](): string {
    return 'PdfRaw';
  }
  toString(): string {
    return this.text;
  }
}

function valueAfter(marker: string): PdfRaw {
  return new PdfRaw(marker.slice(marker.indexOf(' ') + 1));
}

/** Resolves the font option to pdfkit's embedded font object without changing the current font. */
function resolveFont(doc: PdfkitInternals, font: unknown): PdfkitFont {
  const saved = { font: doc._font, source: doc._fontSource, family: doc._fontFamily };
  try {
    if (font !== undefined) doc.font(font);
    const resolved = doc._font;
    if (!resolved || resolved.subset === undefined) {
      throw new Error(
        'addSignaturePlaceholder: the appearance needs an embedded font (PDF/A); pass `font` (a registered name or fontkit Font)',
      );
    }
    return resolved;
  } finally {
    doc._font = saved.font;
    doc._fontSource = saved.source;
    doc._fontFamily = saved.family;
  }
}

function toHexEncoder(font: PdfkitFont, resourceName: string): AppearanceFont {
  return {
    resourceName,
    ascender: font.ascender,
    descender: font.descender,
    widthOfString: (text, size) => font.widthOfString(text, size),
    encodeHex: (text) => font.encode(text)[0].join(''),
  };
}

/** Writes the widget's appearance (a form XObject) into the document and returns its reference. */
function writeAppearance(
  doc: PdfkitInternals,
  options: { font: PdfkitFont; width: number; height: number; lines: string[] },
): PdfkitRef {
  const { font, width, height, lines } = options;
  const resourceName = 'SrqSigFont';
  const appearance = doc.ref({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { Font: { [resourceName]: font.ref() } },
  });
  appearance.end(
    appearanceContent({ width, height, lines, font: toHexEncoder(font, resourceName) }),
  );
  return appearance;
}

let fontCache: fontkit.Font | undefined;
function signatureFont(): fontkit.Font {
  if (!fontCache) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const font = fontkit.create(fs.readFileSync(path.join(dir, 'DejaVuSans.ttf')));
    if ('fonts' in font) throw new Error('DejaVuSans.ttf: expected a single font');
    fixUnshapeable(font);
    fontCache = font;
  }
  return fontCache;
}

/**
 * The width of `text` in thousandths of an em as pdfkit's widthOfString measures it when the
 * appearance is drawn: word by word, each with the space after it ("word "), through the shaped
 * words' cache (fonts.ts shapeText). NOTE: fontkit's layout of the whole line, each time the
 * wrapping tried one more word, cost ~3 ms of a cold `build --sign`.
 */
function wordsWidth(font: fontkit.Font, text: string): number {
  let width = 0;
  for (const word of text.split(/(?<= )/)) if (word) width += shapeText(font, word).advanceWidth;
  return width;
}

/**
 * The height a signature box `width` points wide (default: the sign-off's, STYLE.signature)
 * needs so its lines fit at 8 pt or more, wrapped, in DejaVu Sans (the face srq sign draws
 * in) or `face`; never less than STYLE.signature.height.
 */
export function signatureBoxHeight(
  width: number | undefined,
  lines: string[],
  /** The face the box is drawn in (build --sign: the document's regular face). */
  face?: fontkit.Font,
): number {
  const font = face ?? signatureFont();
  const em = font.unitsPerEm;
  return appearanceHeight({
    width: width ?? STYLE.signature.width,
    minHeight: STYLE.signature.height,
    lines,
    font: {
      ascender: (font.ascent * 1000) / em,
      descender: (font.descent * 1000) / em,
      widthOfString: (text, size) => (wordsWidth(font, text) * size) / 1000,
    },
  });
}

/**
 * A signature appearance drawn alone in a scratch PDF: its bytes and the XObject's object
 * number. The data-only interface src/sign uses to add a field to an existing file, which copies
 * the XObject and its font objects from these bytes.
 */
export function drawSignatureAppearance(box: { width: number; height: number; lines: string[] }): {
  pdf: Buffer;
  xobject: number;
} {
  const scratch = new PDFDocument({
    autoFirstPage: false,
    font: signatureFont() as unknown as string,
  });
  const doc = scratch as unknown as PdfkitInternals;
  // The subset copied into the signed file: tagged by its glyph set (not the body's "F1" tag),
  // with /Length1 and measured CapHeight/XHeight, like the body's fonts (pdfkit-fixes.ts).
  fixEmbeddedFont(scratch, resolveFont(doc, undefined), signatureFont());
  const xobject = addAppearanceXObject(scratch, box);
  scratch.end();
  const chunks: Buffer[] = [];
  // NOTE: pdfkit has pushed the whole file into the stream's buffer by now; read() drains it.
  for (let c = scratch.read() as Buffer | null; c; c = scratch.read() as Buffer | null)
    chunks.push(c);
  return { pdf: Buffer.concat(chunks), xobject };
}

/** Writes a signature appearance into a pdfkit document and returns the XObject's number. */
function addAppearanceXObject(
  pdfDoc: PDFKit.PDFDocument,
  options: { font?: unknown; width: number; height: number; lines: string[] },
): number {
  const doc = pdfDoc as unknown as PdfkitInternals;
  const font = resolveFont(doc, options.font);
  return writeAppearance(doc, { ...options, font }).id;
}

/**
 * Adds an unsigned signature field on the current page at `rect`. Call before `doc.end()`, at
 * most once per field name; the PDF that pdfkit writes is then ready for `signPdf`. With
 * `certify`, the signature certifies the document (DocMDP P=2: afterwards only filling the
 * reserved fields and signing are permitted).
 */
export function addSignaturePlaceholder(
  pdfDoc: PDFKit.PDFDocument,
  opts: SignaturePlaceholderOptions & { certify?: boolean },
): void {
  const doc = pdfDoc as unknown as PdfkitInternals;
  const sig = doc.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER,
    ...(opts.name ? { Name: new String(opts.name) } : {}),
    ...(opts.reason ? { Reason: new String(opts.reason) } : {}),
    ...(opts.location ? { Location: new String(opts.location) } : {}),
    ...(opts.contactInfo ? { ContactInfo: new String(opts.contactInfo) } : {}),
    ...(opts.certify
      ? {
          Reference: [
            {
              Type: 'SigRef',
              TransformMethod: 'DocMDP',
              TransformParams: { Type: 'TransformParams', P: 2, V: '1.2' },
            },
          ],
        }
      : {}),
    // NOTE: /ByteRange must come before /Contents: signPdf and other tools find it by scanning.
    M: valueAfter(SIGNING_TIME_PLACEHOLDER),
    ByteRange: valueAfter(BYTE_RANGE_PLACEHOLDER),
    Contents: new Uint8Array(SIGNATURE_CONTENTS_BYTES),
  });
  sig.end();
  // The catalog names the certification signature (ISO 32000 12.8.4).
  if (opts.certify) doc._root.data.Perms = { DocMDP: sig };
  addField(doc, opts, sig);
}

/**
 * Reserves an empty, visible signature field (no /V) on the current page, labelled by
 * `appearanceLines`: the customer's countersignature field. `srq sign` fills it later, which a
 * certification with DocMDP P=2 permits.
 */
export function addReservedSignatureField(
  pdfDoc: PDFKit.PDFDocument,
  opts: Omit<SignaturePlaceholderOptions, 'reason' | 'location' | 'contactInfo'>,
): void {
  addField(pdfDoc as unknown as PdfkitInternals, opts, undefined);
}

/** The widget, its appearance and Form structure element, and the AcroForm entry. */
function addField(
  doc: PdfkitInternals,
  opts: SignaturePlaceholderOptions,
  sig: PdfkitRef | undefined,
): void {
  const { rect } = opts;
  const font = resolveFont(doc, opts.font);
  const acroForm =
    doc._root.data.AcroForm ??
    // NOTE: not doc.initForm(): it sets NeedAppearances, which PDF/A-2 forbids.
    (doc._root.data.AcroForm = doc.ref({ Fields: [], SigFlags: 3, DR: { Font: {} } }));
  // pdfkit's endAcroForm() (run by doc.end()) expects this bookkeeping and then ends the AcroForm.
  doc._acroform ??= { fonts: {}, defaultFont: font.id };
  acroForm.data.SigFlags = 3;
  const fields = (acroForm.data.Fields ??= []) as unknown[];
  const fieldName = opts.fieldName ?? `Signature${fields.length + 1}`;

  const appearance = writeAppearance(doc, {
    font,
    width: rect.width,
    height: rect.height,
    lines: opts.appearanceLines,
  });

  const tooltip = opts.name
    ? `${sig ? 'Signature' : 'Countersignature field'} of ${opts.name}`
    : `Signature field ${fieldName}`;
  const tagged = Boolean(doc.options.tagged);
  const form = tagged
    ? doc.struct('Form', { alt: opts.appearanceLines.join(', ') || tooltip })
    : undefined;
  doc.annotate(rect.x, rect.y, rect.width, rect.height, {
    Subtype: 'Widget',
    FT: 'Sig',
    T: new String(fieldName),
    TU: new String(tooltip),
    ...(sig ? { V: sig } : {}),
    // Print flag: PDF/A requires it, and the box should appear on paper.
    F: 4,
    P: doc.page.dictionary,
    AP: { N: appearance },
    ...(form ? { structParent: form } : {}),
  });
  const widget = doc.page.annotations[doc.page.annotations.length - 1];
  fields.push(widget);
  // NOTE: PDF/UA asks for structure tab order on pages with annotations; harmless otherwise.
  doc.page.dictionary.data.Tabs = 'S';
  if (form) {
    form.end();
    // Attaching flushes the element now, so its OBJR names the current page.
    if (opts.structParent) opts.structParent.add(form);
    else doc.addStructure(form);
  }
}
