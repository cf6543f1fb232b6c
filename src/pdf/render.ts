import PDFDocument from 'pdfkit';
import { pdfkitRun, printable, shapeText, type FontKey, type FontSet } from './fonts';
import type { LayoutResult, Op, PageLayout, PageRect, StructNode } from './layout/index';
import { unmirrored } from './bidi';
import { ByteBuffer } from './byte-buffer';
import { collectPageContent, drawTextLine } from './draw-text';
import { LogoError } from './logo-error';
import { packObjectStreams } from './object-streams';
import { fixDocument, fixEmbeddedFont } from './pdfkit-fixes';
import { STYLE } from './styles';

/**
 * Stage 4 of the layout: draws the placed operations with pdfkit, tags every piece of content
 * with its structure element (furniture as artifacts), adds bookmarks, running header and
 * footer, the DRAFT marking and the PDF/A metadata. All pdfkit calls of srq live in src/pdf.
 */

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  /** Creation and modification date: fixed by the caller so output is reproducible. */
  date: Date;
}

export interface SignatureFieldArgs {
  /** Where the field goes; the page is already the current page of `doc`. */
  rect: PageRect;
  /** Where the customer's countersignature field goes, below `rect`, on the same page. */
  countersignature?: PageRect;
  /** The document's root structure element, for a Form element. */
  structParent: PDFKit.PDFStructureElement;
}

export interface RenderOptions {
  fonts: FontSet;
  info: DocumentInfo;
  furniture: { shortTitle: string; classification?: string; draft: boolean; stamp?: string };
  logo?: RenderLogo;
  /**
   * Claim PDF/UA-1 in the XMP: only when the caller knows the file meets it (every character
   * drawn, every image described).
   */
  claimUa?: boolean;
  /** Called once, before the document ends, when the layout reserved a signature field. */
  addSignatureField?: (doc: PDFKit.PDFDocument, args: SignatureFieldArgs) => void;
}

export function xmlEscape(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // NOTE: XML 1.0 forbids most control characters even escaped.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

function xmpDate(d: Date): string {
  return `${d.toISOString().split('.')[0]}Z`;
}

/**
 * NOTE: pdfkit 0.20 writes info values into the XMP packet unescaped (`Smith & Sons <Ltd>` breaks
 * it) and leaves out ModifyDate; PDF/A needs the XMP to match the Info dictionary.
 */
function xmpInfo(info: DocumentInfo, creator: string, producer: string): string {
  const e = xmlEscape;
  return `
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${xmpDate(info.date)}</xmp:CreateDate>
            <xmp:ModifyDate>${xmpDate(info.date)}</xmp:ModifyDate>
            <xmp:MetadataDate>${xmpDate(info.date)}</xmp:MetadataDate>
            <xmp:CreatorTool>${e(creator)}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:format>application/pdf</dc:format>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(info.title)}</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>${e(info.author)}</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(info.subject)}</rdf:li></rdf:Alt></dc:description>
            <dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${e(producer)}</pdf:Producer>
            <pdf:Keywords>${e(info.keywords)}</pdf:Keywords>
        </rdf:Description>
        `;
}

/**
 * The PDF/UA-1 identification, with the extension schema PDF/A-2 requires for a namespace it
 * does not predefine (ISO 19005-2 6.6.2.3.2).
 */
const XMP_PDFUA = `
        <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
            <pdfuaid:part>1</pdfuaid:part>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
            <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
                <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
                    <pdfaProperty:name>part</pdfaProperty:name>
                    <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
                    <pdfaProperty:category>internal</pdfaProperty:category>
                    <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
                </rdf:li></rdf:Seq></pdfaSchema:property>
            </rdf:li></rdf:Bag></pdfaExtension:schemas>
        </rdf:Description>
        `;

const CREATOR = 'srq';
const PRODUCER = 'srq with PDFKit';

type Doc = PDFKit.PDFDocument;

/** What a page of the layout becomes once it is drawn (renderPdf). */
const DRAWN: PageLayout = Object.freeze({ ops: [], bookmarks: [], dests: [], cover: false });

/** Draws a laid-out document into a PDF/A-2a file. */
export async function renderPdf(layout: LayoutResult, options: RenderOptions): Promise<Buffer> {
  const { fonts, info } = options;
  const doc = new PDFDocument({
    autoFirstPage: false,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    subset: 'PDF/A-2a',
    pdfVersion: '1.7',
    // NOTE: a Font object, not a path: otherwise pdfkit loads Helvetica (not embeddable) by default.
    font: fonts.regular as unknown as string,
    info: {
      Title: info.title,
      Author: info.author,
      Subject: info.subject,
      Keywords: info.keywords,
      Creator: CREATOR,
      Producer: PRODUCER,
      CreationDate: info.date,
      ModDate: info.date,
      // NOTE: read by src/sign (isDraftPdf) so `srq sign` refuses a draft built earlier.
      ...(options.furniture.draft ? { SrqDraft: 'true' } : {}),
    },
  });
  const internals = doc as unknown as { _addInfo: () => void };
  internals._addInfo = () =>
    doc.appendXML(xmpInfo(info, CREATOR, PRODUCER) + (options.claimUa ? XMP_PDFUA : ''));
  // NOTE: the file is copied into one buffer as pdfkit writes it (byte-buffer.ts).
  const file = new ByteBuffer();
  // NOTE: pdfkit turns every token it writes into a Uint8Array (`fromBinaryString`) and pushes
  // it through a Readable stream: ~10% of a warm build. The same bytes (each string's low bytes
  // and a line feed, buffers as they are) go straight into the file.
  const writer = doc as unknown as { _write(data: string | Uint8Array): void; _offset: number };
  // What the constructor wrote (the header) is still in the stream's buffer.
  const head = doc.read() as Buffer | null;
  if (head) file.bytes(head);
  writer._write = (data) => {
    writer._offset += typeof data === 'string' ? file.line(data) : file.bytes(data);
  };
  const done = new Promise<void>((resolve, reject) => {
    doc.on('data', () => reject(new Error('pdfkit wrote around srq’s writer (render.ts)')));
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  fixDocument(doc);
  const fontTable = doc as unknown as { _font: unknown; _fontFamilies: Record<string, unknown> };
  for (const key of Object.keys(fonts) as FontKey[]) {
    doc.registerFont(key, fonts[key]);
    // NOTE: pdfkit 0.20 never caches a registered name whose font it already knows, so every
    // doc.font(name) re-wraps the font and compares name tables (~70% of render time). Prime it.
    doc.font(key);
    fontTable._fontFamilies[key] = fontTable._font;
    // NOTE: pdfkit shapes every word again for each document; a shaped word holds nothing
    // document-specific (glyph ids are mapped to the subset later), so it takes the words the
    // layout shaped to measure them (fonts.ts shapeText).
    const font = fonts[key];
    const embedded = fontTable._font as {
      layoutCached: (text: string) => ReturnType<typeof pdfkitRun>;
      widths: number[];
      scale: number;
    };
    embedded.layoutCached = (text) => pdfkitRun(shapeText(font, text));
    // NOTE: pdfkit 0.20 records .notdef's width in font units, not thousandths of an em, so a
    // character the fonts lack was drawn 2.048 times as wide as the layout measured it (DejaVu's
    // em is 2048 units), pushing the rest of its line over the margin and off the page.
    const notdef = (font as unknown as { getGlyph(id: number): { advanceWidth: number } }).getGlyph(
      0,
    );
    embedded.widths[0] = notdef.advanceWidth * embedded.scale;
    fixEmbeddedFont(doc, embedded, font);
  }
  const root = doc.struct('Document');
  doc.addStructure(root);
  const elements = new Map<StructNode, PDFKit.PDFStructureElement>();
  const element = (node: StructNode): PDFKit.PDFStructureElement => {
    let el = elements.get(node);
    if (el) return el;
    if (!node.parent) return root;
    const parent = element(node.parent);
    const opts: PDFKit.Mixins.StructureElementOptions = {};
    if (node.alt) opts.alt = node.alt;
    if (node.scope) opts.scope = node.scope;
    el = doc.struct(node.type, opts);
    if (node.listNumbering) {
      // NOTE: pdfkit has no option for list attributes (PDF/UA-1 7.6: ListNumbering on L).
      const dict = (el as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary;
      dict.data.A = { O: 'List', ListNumbering: node.listNumbering };
    }
    if (node === layout.signatureParent) markSignOffElement(doc, el);
    parent.add(el);
    elements.set(node, el);
    return el;
  };

  const outline: PDFKit.PDFOutline[] = [];
  const { width, height } = STYLE.page;
  const total = layout.pages.length;
  const complete = completeAfter(layout);
  // NOTE: the layout already knows every page, so each page is finished (content, signature
  // field, furniture with "Page N of M") before the next starts, and pdfkit writes it out at
  // once instead of holding the whole document (bufferPages): 1,400 principles peaked at 430 MB.
  layout.pages.forEach((page, i) => {
    doc.addPage({ size: [width, height], margin: 0 });
    collectPageContent(doc);
    if (options.furniture.draft) watermark(doc);
    // The contents page's links lead here (named destinations, at each heading's top).
    for (const d of page.dests) doc.addNamedDestination(d.name, 'XYZ', null, d.y, null);
    drawOps(doc, page.ops, { element, logo: options.logo, fonts });
    // A Link element's OBJR names the page current when the element ends: end each on its page.
    for (const op of page.ops) {
      if (op.kind === 'text' && op.link && op.struct) element(op.struct).end();
      if (op.kind === 'goto') element(op.struct).end();
    }
    for (const b of page.bookmarks) {
      const parent =
        outline
          .slice(0, b.level - 1)
          .reverse()
          .find(Boolean) ?? doc.outline;
      const item = parent.addItem(b.title, { top: b.y, left: width });
      outline[b.level - 1] = item;
      outline.length = b.level;
    }
    if (layout.signature?.page === i && options.addSignatureField) {
      options.addSignatureField(doc, {
        rect: layout.signature,
        ...(layout.countersignature ? { countersignature: layout.countersignature } : {}),
        // PDF/UA: the signature's Form element belongs to the section it signs off.
        structParent: layout.signatureParent ? element(layout.signatureParent) : root,
      });
    }
    if (!page.cover) furniture(doc, { ...options.furniture, page: i + 1, total, fonts });
    if (options.furniture.stamp) stampPage(doc, options.furniture.stamp);
    // Elements with nothing on later pages are ended now: pdfkit writes each one out then, and
    // lets go of its children, instead of holding the whole structure tree until `root.end()`.
    for (const node of complete[i] ?? []) {
      const el = elements.get(node);
      if (!el) continue;
      el.end();
      elements.delete(node);
    }
    complete[i] = [];
    // A drawn page's operations (its lines' text, shaped runs, boxes) are not needed again:
    // let them go now rather than hold every page's until the end (issue 15, peak memory).
    layout.pages[i] = DRAWN;
  });
  openOutline(doc.outline);
  root.end();
  doc.end();
  forgetGlyphsWithoutText(fonts);
  await done;
  return packObjectStreams(file.view());
}

/**
 * For each page, the structure elements whose last content (their own or a descendant's) is on
 * that page. NOTE: issue 15: a 700-page document's ~40,000 elements were all kept,
 * with their children, until the document ended. An element's object is the same whenever it
 * is written (its kids are other elements and marked content of known pages; a Link element, the
 * only kind with an annotation child, is already ended on its page), and the object streams
 * order objects by number, so the file's bytes do not change.
 */
function completeAfter(layout: LayoutResult): StructNode[][] {
  const last = new Map<StructNode, number>();
  const mark = (node: StructNode | undefined, page: number) => {
    for (let n = node; n?.parent && last.get(n) !== page; n = n.parent) last.set(n, page);
  };
  layout.pages.forEach((page, i) => {
    for (const op of page.ops) if ('struct' in op) mark(op.struct, i);
    // The signature's Form element joins the sign-off section on the signature's page.
    if (layout.signature?.page === i) mark(layout.signatureParent, i);
  });
  const byPage: StructNode[][] = [];
  for (const [node, page] of last) (byPage[page] ??= []).push(node);
  return byPage;
}

/** The ID `srq sign` finds the sign-off section by (and the StructTreeRoot's IDTree naming it). */
export const SIGN_OFF_ID = 'srq-sign-off';

function markSignOffElement(doc: PDFKit.PDFDocument, el: PDFKit.PDFStructureElement): void {
  type Ref = { data: Record<string, unknown> };
  const dict = (el as unknown as { dictionary: Ref }).dictionary;
  dict.data.ID = new String(SIGN_OFF_ID);
  // ISO 32000-1 14.7.2: a structure tree with element IDs has an IDTree (a name tree) of them.
  const root = (doc as unknown as { getStructTreeRoot(): Ref }).getStructTreeRoot();
  root.data.IDTree = { Names: [new String(SIGN_OFF_ID), dict] };
}

/**
 * NOTE: fontkit caches a font's glyph objects for the life of the process, with the code points
 * of their first use, and pdfkit maps each drawn glyph to text from those. Subsetting (in
 * `doc.end()`) reads a composite glyph's components (the `a` of `à`) with none, so a later
 * document drawing that glyph would map it to no text (copy, search, screen readers). Forget
 * such glyphs: the next layout makes them again with their code points.
 */
function forgetGlyphsWithoutText(fonts: FontSet): void {
  for (const font of Object.values(fonts)) {
    const cache = (font as unknown as { _glyphs?: Record<string, { codePoints?: number[] }> })
      ._glyphs;
    if (!cache) continue;
    for (const id of Object.keys(cache)) if (!cache[id]?.codePoints?.length) delete cache[id];
  }
}

interface OutlineNode {
  children: OutlineNode[];
  options: { expanded?: boolean };
  outlineData: { Count?: number };
}

/**
 * Opens every bookmark: `/Count` is the number of visible descendants (ISO 32000-1 12.3.3), so a
 * reader shows the whole outline. pdfkit's `expanded` counts only the children. Returns the count.
 */
function openOutline(outline: PDFKit.PDFOutline): number {
  const node = outline as unknown as OutlineNode;
  let visible = 0;
  for (const child of node.children)
    visible += 1 + openOutline(child as unknown as PDFKit.PDFOutline);
  node.options = { ...node.options, expanded: false };
  if (node.children.length) node.outlineData.Count = visible;
  return visible;
}

/** The logo's bytes and, for a PNG, its pixels as decoded from the check's inflated data. */
export interface RenderLogo {
  data: Buffer;
  pixels?: () => Uint8Array;
}

/**
 * Opens the logo for pdfkit, handing its PNG decoder the pixels srq's check already has: pdfkit
 * would inflate the image data again (asynchronously, outside srq's error handling) to split the
 * transparency or undo interlacing. A PNG without either is embedded from its data as it is.
 */
function openLogo(doc: Doc, logo: RenderLogo): Buffer {
  // NOTE: @types/pdfkit has no openImage; pdfkit's image() takes what it returns (an object
  // with a width and a height) in place of the bytes.
  type Decoder = (fn: (pixels: Uint8Array) => void) => void;
  const img = (doc as unknown as { openImage: (src: Buffer) => unknown }).openImage(logo.data) as {
    image?: { decodePixels?: Decoder };
  };
  const { pixels } = logo;
  if (pixels && img.image?.decodePixels) {
    img.image.decodePixels = (fn: (pixels: Uint8Array) => void) => fn(pixels());
  }
  return img as unknown as Buffer;
}

function drawOps(
  doc: Doc,
  ops: Op[],
  ctx: {
    element: (n: StructNode) => PDFKit.PDFStructureElement;
    logo?: RenderLogo | undefined;
    fonts: FontSet;
  },
): void {
  // Consecutive operations of one element (or of furniture) share one marked-content sequence.
  let open: StructNode | 'artifact' | undefined;
  let content: PDFKit.PDFStructureContent | undefined;
  const close = () => {
    if (open === undefined) return;
    doc.endMarkedContent();
    if (content && open !== 'artifact') ctx.element(open).add(content);
    open = undefined;
    content = undefined;
  };
  const begin = (target: StructNode | 'artifact') => {
    if (open === target) return;
    close();
    if (target === 'artifact') doc.markContent('Artifact', { type: 'Layout' });
    else {
      ctx.element(target);
      content = doc.markStructureContent(target.type);
    }
    open = target;
  };
  // The fill and stroke colours and the line width the content stream has set, when only srq's
  // own text path, rules and boxes have drawn since: a line in the colour of the line before
  // sets none (pdfkit writes `cs` and `scn`, or `CS` and `SCN`, each time), nor does a table's
  // next border. Anything else (images, q/Q of its own) forgets them.
  // NOTE: drawTextLine sets no colour of its own.
  let fill: string | undefined;
  let stroke: string | undefined;
  let lineWidth: number | undefined;
  const setFill = (colour: string) => {
    if (fill !== colour) fillColour(doc, colour);
    fill = colour;
  };
  // NOTE: set before the path: ISO 32000-1 8.2 (figure 9) allows no graphics state operator
  // between a path's construction and its painting, where pdfkit's chained calls put them.
  const setStroke = (colour: string, width: number) => {
    if (lineWidth !== width) doc.lineWidth(width);
    if (stroke !== colour) strokeColour(doc, colour);
    lineWidth = width;
    stroke = colour;
  };
  for (const op of ops) {
    const plain = op.kind === 'text' && !op.rtl && !op.link && !op.text.includes('\n');
    // pdfkit's text and drawRightToLeft draw inside q … Q (a link's underline too): the colours
    // and width after it are those before.
    const keeps =
      (op.kind === 'text' && !op.text.includes('\n')) ||
      op.kind === 'anchor' ||
      op.kind === 'line' ||
      op.kind === 'rect';
    if (!keeps) fill = stroke = lineWidth = undefined;
    switch (op.kind) {
      case 'anchor':
        close();
        ctx.element(op.struct);
        break;
      case 'text': {
        begin(op.struct ?? 'artifact');
        doc.font(op.font).fontSize(op.size);
        setFill(op.colour);
        if (plain) {
          drawTextLine(doc, op.text, {
            x: op.x,
            y: op.y,
            font: ctx.fonts[op.font],
            ...(op.runs ? { runs: op.runs } : {}),
          });
        } else if (op.rtl) drawRightToLeft(doc, op);
        else {
          // A link is underlined up to its last letter: the space ending its line is drawn (the
          // tagged text needs it) but not underlined.
          const shown = op.link ? op.text.trimEnd() : op.text;
          doc.text(shown, op.x, op.y, {
            lineBreak: false,
            ...(op.link ? { underline: true } : {}),
          });
          if (shown !== op.text)
            doc.text(op.text.slice(shown.length), op.x + doc.widthOfString(shown), op.y, {
              lineBreak: false,
            });
        }
        if (op.link) addLink(doc, op, op.struct && ctx.element(op.struct));
        break;
      }
      case 'image':
        if (!ctx.logo) break;
        begin(op.struct);
        try {
          doc.image(openLogo(doc, ctx.logo), op.x, op.y, { width: op.w, height: op.h });
        } catch (err) {
          // NOTE: pdfkit's own decoders go further than imageInfo; their message says what failed.
          throw new LogoError(
            `it could not be decoded: ${(err as Error)?.message ?? String(err)}`,
            {
              cause: err,
            },
          );
        }
        break;
      case 'goto':
        // NOTE: the annotation is tied to its Link element (OBJR, /StructParent) like a URI link.
        doc.goTo(op.x, op.y, op.w, op.h, op.dest, {
          Contents: new String(op.contents),
          structParent: ctx.element(op.struct),
        } as unknown as PDFKit.Mixins.AnnotationOption);
        break;
      case 'rect':
        begin('artifact');
        if (op.fill) setFill(op.fill);
        if (op.stroke) setStroke(op.stroke, op.lineWidth ?? 1);
        doc.rect(op.x, op.y, op.w, op.h);
        if (op.fill && op.stroke) doc.fillAndStroke();
        else if (op.fill) doc.fill();
        else if (op.stroke) doc.stroke();
        break;
      case 'line':
        begin('artifact');
        setStroke(op.colour, op.width);
        doc.moveTo(op.x1, op.y1).lineTo(op.x2, op.y2).stroke();
        break;
    }
  }
  close();
}

/** A colour's operators, as pdfkit 0.20's fillColor and strokeColor write them. */
interface ColourOps {
  space: string;
  fill: string;
  stroke: string;
}
const colourOps = new Map<string, ColourOps | null>();

/**
 * The operators for `colour` when it is `#rrggbb` (what STYLE and COLOURS hold), made once:
 * pdfkit's `_setColorCore` parses the colour and formats its components as it sets it each time
 * (~80 ms of a 700-page build, which sets one at almost every paragraph and list label); null for
 * any other colour, which pdfkit sets itself. test/contracts/pdfkit.test.ts holds the bytes to
 * pdfkit's.
 */
export function rgbOperators(colour: string): ColourOps | null {
  let ops = colourOps.get(colour);
  if (ops !== undefined) return ops;
  ops = null;
  if (/^#[0-9a-f]{6}$/i.test(colour)) {
    const hex = parseInt(colour.slice(1), 16);
    const parts = [hex >> 16, (hex >> 8) & 0xff, hex & 0xff].map((part) => part / 255).join(' ');
    ops = { space: 'DeviceRGB', fill: `${parts} scn`, stroke: `${parts} SCN` };
  }
  colourOps.set(colour, ops);
  return ops;
}

/** doc.fillColor(colour) or doc.strokeColor(colour): the same operators and state. */
function setColour(doc: Doc, colour: string, stroke: boolean): void {
  const ops = rgbOperators(colour);
  if (!ops) {
    if (stroke) doc.strokeColor(colour);
    else doc.fillColor(colour);
    return;
  }
  doc.addContent(`/${ops.space} ${stroke ? 'CS' : 'cs'}`);
  doc.addContent(stroke ? ops.stroke : ops.fill);
  // What pdfkit's fillColor records (its text path underlines in it).
  if (!stroke) (doc as unknown as { _fillColor: unknown })._fillColor = [colour, undefined];
}

/** doc.fillColor(colour), from `rgbOperators`. */
export const fillColour = (doc: Doc, colour: string): void => setColour(doc, colour, false);
/** doc.strokeColor(colour), from `rgbOperators`. */
export const strokeColour = (doc: Doc, colour: string): void => setColour(doc, colour, true);

/**
 * A link annotation over the text, tied to its Link element (OBJR, /StructParent) and described
 * by /Contents (PDF/UA-1 7.18.5).
 */
function addLink(
  doc: Doc,
  op: Extract<Op, { kind: 'text' }>,
  element: PDFKit.PDFStructureElement | undefined,
): void {
  const url = op.link!;
  const width = op.text.trimEnd() === op.text ? op.width : doc.widthOfString(op.text.trimEnd());
  doc.link(op.x, op.y, width, doc.currentLineHeight(), url, {
    Contents: new String(describeLink(url)),
    ...(element ? { structParent: element } : {}),
  } as PDFKit.Mixins.AnnotationOption);
}

interface TextInternals {
  _font: {
    id: string;
    ascender: number;
    encode(text: string): [string[], { xAdvance: number; xOffset: number; yOffset: number }[]];
    ref(): unknown;
  };
  page: { height: number; fonts: Record<string, unknown> };
  addContent(s: string): void;
}

const num = (n: number) => String(Math.round(n * 1e6) / 1e6);

/**
 * Right-to-left text (measure.ts, bidi.ts): `op.text` holds its words in visual order and
 * fontkit shapes each with its glyphs in visual order. The glyphs are drawn one by one at their
 * visual places but in reverse, i.e. logical order, so the content stream, and with it the
 * tagged text, copy and search, reads as written; pdfkit draws left to right only. A glyph the
 * algorithm mirrored ("(" drawn as ")") says what it stands for in /ActualText.
 */
function drawRightToLeft(doc: Doc, op: Extract<Op, { kind: 'text' }>): void {
  const d = doc as unknown as TextInternals;
  const font = d._font;
  const size = op.size;
  const scale = size / 1000;
  if (op.link) {
    // As pdfkit underlines a link's text.
    const lw = size < 10 ? 0.5 : Math.floor(size / 10);
    const y = op.y + doc.currentLineHeight() - lw;
    doc
      .save()
      .strokeColor(op.colour)
      .lineWidth(lw)
      .moveTo(op.x, y)
      .lineTo(op.x + op.width, y);
    doc.stroke().restore();
  }
  const [glyphs, positions] = font.encode(op.text);
  const xs: number[] = [];
  let x = op.x;
  for (const p of positions) {
    xs.push(x + p.xOffset * scale);
    x += p.xAdvance * scale;
  }
  d.page.fonts[font.id] ??= font.ref();
  doc.save();
  doc.transform(1, 0, 0, -1, 0, d.page.height);
  const y = d.page.height - op.y - (font.ascender / 1000) * size;
  d.addContent('BT');
  d.addContent(`/${font.id} ${num(size)} Tf`);
  const unicode = (font as unknown as { unicode: number[][] }).unicode;
  for (let i = glyphs.length - 1; i >= 0; i--) {
    const cps = unicode[parseInt(glyphs[i], 16)] ?? [];
    const original = cps.length === 1 ? unmirrored(String.fromCodePoint(cps[0])) : undefined;
    if (original) d.addContent(`/Span <</ActualText ${pdfTextString(original)}>> BDC`);
    d.addContent(`1 0 0 1 ${num(xs[i])} ${num(y + positions[i].yOffset * scale)} Tm`);
    d.addContent(`<${glyphs[i]}> Tj`);
    if (original) d.addContent('EMC');
  }
  d.addContent('ET');
  doc.restore();
}

/** A PDF text string in UTF-16BE with its byte order mark, as a hex string. */
export function pdfTextString(text: string): string {
  if (!text) return '<>';
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++)
    hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/** What a link leads to, in words, for a screen reader. */
export function describeLink(url: string): string {
  const mail = /^mailto:(.+)$/i.exec(url);
  if (mail) return `Email ${mail[1]}`;
  return `Link to ${url}`;
}

function watermark(doc: Doc): void {
  const w = STYLE.watermark;
  const { width, height } = STYLE.page;
  doc.markContent('Artifact', { type: 'Layout' });
  doc.save();
  doc.rotate(w.angle, { origin: [width / 2, height / 2] });
  doc.font('bold').fontSize(w.size);
  fillColour(doc, w.colour);
  const tw = doc.widthOfString(w.text);
  doc.text(w.text, width / 2 - tw / 2, height / 2 - w.size / 2, { lineBreak: false });
  doc.restore();
  doc.endMarkedContent();
}

/**
 * A line at the foot of every page, cover included (an NDA build's "Confidential — prepared
 * for …"), as a pagination artifact; shrunk to fit the width between the margins.
 */
function stampPage(doc: Doc, text: string): void {
  const { width, height, margin } = STYLE.page;
  const st = STYLE.stamp;
  const line = printable(text);
  const room = width - margin.left - margin.right;
  doc.markContent('Artifact', { type: 'Pagination' });
  doc.font('bold').fontSize(st.size);
  const size = Math.max(st.minSize, Math.min(st.size, (st.size * room) / doc.widthOfString(line)));
  doc.fontSize(size);
  fillColour(doc, st.colour);
  const tw = doc.widthOfString(line);
  doc.text(line, margin.left + Math.max(0, (room - tw) / 2), height - st.fromBottom, {
    lineBreak: false,
  });
  doc.endMarkedContent();
}

function furniture(
  doc: Doc,
  f: {
    shortTitle: string;
    classification?: string | undefined;
    draft: boolean;
    page: number;
    total: number;
    fonts: FontSet;
  },
): void {
  const { width, height, margin } = STYLE.page;
  const { fonts } = f;
  // NOTE: drawTextLine writes what doc.text() does (draw-text.ts), without its per-call set-up.
  const text = (s: string, at: { x: number; y: number; font: FontKey }) => {
    doc.font(at.font);
    drawTextLine(doc, s, { x: at.x, y: at.y, font: fonts[at.font] });
  };
  const h = STYLE.header;
  const ft = STYLE.footer;
  const right = width - margin.right;
  doc.markContent('Artifact', { type: 'Pagination' });
  doc.font('regular').fontSize(h.size);
  fillColour(doc, h.colour);
  const title = printable(f.draft ? `DRAFT · ${f.shortTitle}` : f.shortTitle);
  const classification = f.classification && printable(f.classification);
  text(title, { x: margin.left, y: h.y, font: 'regular' });
  if (classification) {
    doc.font('bold');
    const x = right - doc.widthOfString(classification);
    text(classification, { x, y: h.y, font: 'bold' });
  }
  // The width and colour before the path (ISO 32000-1 8.2), once for both rules.
  doc.lineWidth(0.5);
  strokeColour(doc, STYLE.rule.colour);
  doc.moveTo(margin.left, h.ruleY).lineTo(right, h.ruleY).stroke();
  const fy = height - ft.fromBottom;
  doc
    .moveTo(margin.left, fy - 8)
    .lineTo(right, fy - 8)
    .stroke();
  doc.font('regular').fontSize(ft.size);
  fillColour(doc, ft.colour);
  const pageText = `Page ${f.page} of ${f.total}`;
  text(pageText, { x: right - doc.widthOfString(pageText), y: fy, font: 'regular' });
  if (classification) text(classification, { x: margin.left, y: fy, font: 'bold' });
  else if (f.draft) text('DRAFT', { x: margin.left, y: fy, font: 'bold' });
  doc.endMarkedContent();
}
