import crypto from 'node:crypto';
import { CheckError } from '../errors';
import { findFreeArea, type Box } from './free-area';
import {
  BYTE_RANGE_PLACEHOLDER,
  SIGNATURE_CONTENTS_BYTES,
  SIGNING_TIME_PLACEHOLDER,
  SUBFILTER,
  SIGNATURE_BOX,
  drawSignatureAppearance,
  signatureBoxHeight,
} from '../pdf/signature-field';
import {
  PdfFile,
  PdfName,
  PdfRawValue,
  PdfRef,
  PdfString,
  PdfSyntaxError,
  isDict,
  isStream,
  name,
  serialise,
  serialiseObject,
  textString,
  type PdfDict,
  type PdfValue,
} from './pdf-syntax';

/**
 * Adds a signature field to an existing PDF as an incremental update (new and changed objects,
 * a cross-reference section and a trailer with /Prev and the same /ID), leaving every earlier
 * byte untouched so earlier signatures stay valid. The new field's placeholder is then filled
 * by `signPdf`.
 */

export interface SignatureFieldOptions {
  /** Visible text: signer, role, date, "Digitally signed by <subject>". */
  appearanceLines: string[];
  fieldName?: string;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /**
   * The new signature certifies the document (DocMDP P=2, catalog /Perms), as `build --sign`'s
   * does: for `srq sign` on an unsigned statement. Only for a field appended to an unsigned file.
   */
  certify?: boolean;
  /**
   * Also reserve the customer's empty countersignature field below the new box, as
   * `build --sign` does (with `certify`, on an srq statement: see `isSrqStatement`).
   */
  reserve?: { fieldName: string; name: string; appearanceLines: string[] };
}

export interface AppendedField {
  pdf: Buffer;
  /** Whether the field has a visible box (false: no free space on any page). */
  visible: boolean;
  fieldName: string;
  /** The page the box is on, from 1 (a visible field). */
  page?: number;
  /** The reserved countersignature field's name, when one was added. */
  reserved?: string;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/**
 * About how many characters (name, time, subject) the reserved field of the default size holds:
 * for messages only, measured from a typical line mix.
 */
function reservedCapacity(): number {
  const lines = (n: number) => [
    'Sam Patel',
    'Signed 2026-11-22 12:00 UTC',
    `Digitally signed by ${'Sam Patel; Example Department; London; GB; sam@example.gov.uk; '.repeat(20).slice(0, n)}`,
  ];
  let n = 0;
  while (signatureBoxHeight(SIGNATURE_BOX.width, lines(n + 10)) <= SIGNATURE_BOX.reservedHeight)
    n += 10;
  return n + 'Sam PatelSigned 2026-11-22 12:00 UTCDigitally signed by '.length;
}

/** Widths tried for a new box, narrowest first: wider when a narrow one would be too tall. */
const WIDTHS = [SIGNATURE_BOX.width, 320, 420, 520];

/** Replaces references through `map` (deep copy). */
function renumber(v: PdfValue, map: Map<number, number>): PdfValue {
  if (v instanceof PdfRef) return new PdfRef(map.get(v.num) ?? v.num, 0);
  if (Array.isArray(v)) return v.map((x) => renumber(x, map));
  if (isStream(v)) return { dict: renumber(v.dict, map) as PdfDict, data: v.data };
  if (isDict(v)) return new Map([...v].map(([k, x]) => [k, renumber(x, map)]));
  return v;
}

/**
 * The appearance XObject and its embedded font subset: drawn in a scratch document by src/pdf
 * (the same code as the placeholder's), then copied from its bytes with new object numbers.
 */
function appearanceObjects(
  lines: string[],
  box: Box,
  firstNum: number,
): { objects: Map<number, PdfValue>; xobject: PdfRef } {
  const drawn = drawSignatureAppearance({ width: box.width, height: box.height, lines });
  const id = drawn.xobject;
  const file = new PdfFile(drawn.pdf);
  const map = new Map<number, number>();
  const order: number[] = [];
  const visit = (v: PdfValue) => {
    if (v instanceof PdfRef) {
      if (map.has(v.num)) return;
      map.set(v.num, firstNum + order.length);
      order.push(v.num);
      visit(file.object(v));
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isStream(v)) visit(v.dict);
    else if (isDict(v)) v.forEach(visit);
  };
  visit(new PdfRef(id, 0));
  const objects = new Map<number, PdfValue>();
  // The scratch document's subset tag (pdfkit derives it from the font's id, "F1") would repeat
  // the document's own DejaVu subset tag for a different subset: each appearance gets its own.
  const tag = subsetTag(lines.join('\n'), firstNum);
  for (const old of order)
    objects.set(map.get(old)!, retag(renumber(file.object(new PdfRef(old, 0)), map), tag));
  return { objects, xobject: new PdfRef(firstNum, 0) };
}

/** Six capital letters from the subset's text and where it goes (ISO 32000 9.6.4); reproducible. */
function subsetTag(text: string, num: number): string {
  const h = crypto.createHash('sha256').update(text).update(String(num)).digest();
  return [...h.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
}

/** Replaces the subset tag of /BaseFont and /FontName (`ABCDEF+Name`) with `tag`. */
function retag(v: PdfValue, tag: string): PdfValue {
  if (!isDict(v)) return v;
  const out = new Map(v);
  for (const key of ['BaseFont', 'FontName']) {
    const n = v.get(key);
    if (n instanceof PdfName && /^[A-Z]{6}\+/.test(n.name))
      out.set(key, name(`${tag}${n.name.slice(6)}`));
  }
  return out;
}

interface PageInfo {
  ref: PdfRef;
  dict: PdfDict;
  mediaBox: number[];
}

/** Every page in order, each with its (inherited) media box. */
function allPages(file: PdfFile, root: PdfValue): PageInfo[] {
  const out: PageInfo[] = [];
  const seen = new Set<number>();
  const walk = (ref: PdfValue, inherited: number[] | undefined, depth: number) => {
    if (!(ref instanceof PdfRef)) throw new PdfSyntaxError('page tree node is not a reference');
    if (depth > 64 || seen.has(ref.num)) throw new PdfSyntaxError('page tree too deep or cyclic');
    seen.add(ref.num);
    const node = file.dict(ref, 'page tree node');
    const box = file.resolve(node.get('MediaBox'));
    const mediaBox =
      Array.isArray(box) && box.length === 4 && box.every((n) => typeof n === 'number')
        ? box
        : inherited;
    const kids = file.resolve(node.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) walk(k, mediaBox, depth + 1);
    else out.push({ ref, dict: node, mediaBox: mediaBox ?? [0, 0, 612, 792] });
  };
  walk(root, undefined, 0);
  if (!out.length) throw new PdfSyntaxError('the PDF has no pages');
  return out;
}

/** The ID srq's builds give the sign-off section's structure element (src/pdf/render.ts). */
const SIGN_OFF_ID = 'srq-sign-off';

/** A name tree's value for `key` (ISO 32000-1 7.9.6), or undefined. */
function nameTreeGet(
  file: PdfFile,
  node: PdfValue,
  { key, depth = 0 }: { key: string; depth?: number },
): PdfValue | undefined {
  const d = file.resolve(node);
  if (!isDict(d) || depth > 32) return undefined;
  const names = file.resolve(d.get('Names') ?? null);
  if (Array.isArray(names)) {
    for (let i = 0; i + 1 < names.length; i += 2) {
      const k = file.resolve(names[i]);
      if (k instanceof PdfString && k.text() === key) return names[i + 1];
    }
  }
  for (const kid of asArray(file.resolve(d.get('Kids') ?? null))) {
    const v = nameTreeGet(file, kid, { key, depth: depth + 1 });
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The first page a structure element's content is on (its /Pg, or a descendant's). */
function elementPage(file: PdfFile, v: PdfValue, depth = 0): PdfRef | undefined {
  const d = file.resolve(v);
  if (depth > 32) return undefined;
  if (Array.isArray(d)) {
    for (const x of d) {
      const p = elementPage(file, x, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (!isDict(d) || isStream(d)) return undefined;
  const pg = d.get('Pg');
  if (pg instanceof PdfRef) return pg;
  return elementPage(file, d.get('K') ?? null, depth + 1);
}

/** The sign-off section of an srq statement: its structure element and page, if it has one. */
function signOff(file: PdfFile, catalog: PdfDict): { element: PdfRef; page?: PdfRef } | undefined {
  const root = file.resolve(catalog.get('StructTreeRoot') ?? null);
  if (!isDict(root)) return undefined;
  const el = nameTreeGet(file, root.get('IDTree') ?? null, { key: SIGN_OFF_ID });
  if (!(el instanceof PdfRef) || !isDict(file.resolve(el))) return undefined;
  const page = elementPage(file, el);
  return page ? { element: el, page } : { element: el };
}

/**
 * Whether `pdf` is a statement srq built: it has the sign-off section's ID, or srq as its
 * creator. Only these get the customer's countersignature field reserved by `srq sign`.
 */
export function isSrqStatement(pdf: Buffer): boolean {
  return onFile(pdf, (file) => {
    const catalog = file.dict(file.trailer.get('Root'), 'document catalog');
    if (signOff(file, catalog)) return true;
    const info = file.resolve(file.trailer.get('Info') ?? null);
    const creator = isDict(info) ? file.resolve(info.get('Creator') ?? null) : null;
    return creator instanceof PdfString && creator.text() === 'srq';
  });
}

/** The document's Info /Subject, when it has one (srq writes it; see documentInfo). */
export function documentSubject(pdf: Buffer): string | undefined {
  return onFile(pdf, (file) => {
    const info = file.resolve(file.trailer.get('Info') ?? null);
    const subject = isDict(info) ? file.resolve(info.get('Subject') ?? null) : null;
    return subject instanceof PdfString ? subject.text() : undefined;
  });
}

/** Pages to look for room on: the sign-off page, the last page, then the others in order. */
function candidatePages(pages: PageInfo[], signOffPage: PdfRef | undefined): PageInfo[] {
  const first = pages.find((p) => signOffPage && p.ref.num === signOffPage.num);
  const ordered = [...(first ? [first] : []), pages[pages.length - 1], ...pages];
  return ordered.filter((p, i) => ordered.indexOf(p) === i);
}

interface Placement {
  page: PageInfo;
  index: number;
  box: Box;
  reserved?: Box;
}

/**
 * Where the new box goes: on the first candidate page with room, at the narrowest width whose
 * height lets its text wrap at 8 pt or more; with the reserved field below it, when asked for.
 * Undefined when no page has room (then the field is invisible: nothing drawn, nothing small).
 */
function place(
  file: PdfFile,
  o: { pages: PageInfo[]; signOffPage: PdfRef | undefined; lines: string[]; reserve: boolean },
): Placement | undefined {
  const gap = SIGNATURE_BOX.gap;
  // Measured once per width (wrapping a long subject is the costly part), not once per page.
  const heights = new Map<number, number>();
  const heightAt = (width: number) => {
    if (!heights.has(width)) heights.set(width, signatureBoxHeight(width, o.lines));
    return heights.get(width)!;
  };
  for (const page of candidatePages(o.pages, o.signOffPage)) {
    for (const width of WIDTHS) {
      const height = heightAt(width);
      const extra = o.reserve ? gap + SIGNATURE_BOX.reservedHeight : 0;
      const area = findFreeArea(file, page, { width, height: height + extra });
      if (!area) continue;
      const box = { x: area.x, y: area.y + extra, width, height };
      const index = o.pages.indexOf(page);
      if (!o.reserve) return { page, index, box };
      return {
        page,
        index,
        box,
        reserved: { x: area.x, y: area.y, width, height: SIGNATURE_BOX.reservedHeight },
      };
    }
  }
  return undefined;
}

function asArray(v: PdfValue): PdfValue[] {
  if (v === null) return [];
  return Array.isArray(v) ? [...v] : [v];
}

const DAMAGED_HINT =
  'the file is damaged or uses a structure srq cannot update; rebuild it, or re-save it with a PDF tool';

/** A signature dictionary with reserved room for `signPdf` (placeholder /M, /ByteRange, /Contents). */
function signatureDictionary(options: SignatureFieldOptions): PdfDict {
  const text = (key: string, v: string | undefined): [string, PdfValue][] =>
    v ? [[key, textString(v)]] : [];
  return new Map<string, PdfValue>([
    ['Type', name('Sig')],
    ['Filter', name('Adobe.PPKLite')],
    ['SubFilter', name(SUBFILTER)],
    ...text('Name', options.name),
    ...text('Reason', options.reason),
    ...text('Location', options.location),
    ...text('ContactInfo', options.contactInfo),
    ...(options.certify
      ? ([
          [
            'Reference',
            [
              new Map<string, PdfValue>([
                ['Type', name('SigRef')],
                ['TransformMethod', name('DocMDP')],
                [
                  'TransformParams',
                  new Map<string, PdfValue>([
                    ['Type', name('TransformParams')],
                    ['P', 2],
                    ['V', name('1.2')],
                  ]),
                ],
              ]),
            ],
          ],
        ] as [string, PdfValue][])
      : []),
    ['M', new PdfRawValue(SIGNING_TIME_PLACEHOLDER.slice(3))],
    ['ByteRange', new PdfRawValue(BYTE_RANGE_PLACEHOLDER.slice('/ByteRange '.length))],
    ['Contents', new PdfRawValue(`<${'0'.repeat(SIGNATURE_CONTENTS_BYTES * 2)}>`)],
  ]);
}

/** Runs `fn` on the parsed file; structural problems become one-line CheckErrors. */
function onFile<T>(pdf: Buffer, fn: (file: PdfFile) => T): T {
  try {
    return fn(new PdfFile(pdf));
  } catch (err) {
    if (err instanceof PdfSyntaxError)
      throw new CheckError(`cannot add a signature to this PDF: ${err.message} (${DAMAGED_HINT})`);
    throw err;
  }
}

/** Adds a signature field (widget on the last page) to `pdf` as an incremental update. */
export function appendSignatureField(pdf: Buffer, options: SignatureFieldOptions): AppendedField {
  return onFile(pdf, (file) => append(file, options));
}

/** The document's empty signature fields (reserved, no /V), by name, in AcroForm order. */
export function emptySignatureFields(pdf: Buffer): string[] {
  return onFile(pdf, (file) => emptyFields(file).map((f) => f.name));
}

interface EmptyField {
  name: string;
  ref: PdfRef;
  dict: PdfDict;
}

function emptyFields(file: PdfFile): EmptyField[] {
  const root = file.dict(file.trailer.get('Root'), 'document catalog');
  const acro = file.resolve(root.get('AcroForm') ?? null);
  if (!isDict(acro)) return [];
  const out: EmptyField[] = [];
  for (const f of asArray(file.resolve(acro.get('Fields') ?? null))) {
    if (!(f instanceof PdfRef)) continue;
    const d = file.resolve(f);
    if (!isDict(d) || isStream(d)) continue;
    const ft = d.get('FT');
    const t = d.get('T');
    if (ft instanceof PdfName && ft.name === 'Sig' && !d.has('V') && !d.has('Kids'))
      out.push({ name: t instanceof PdfString ? t.text() : `object ${f.num}`, ref: f, dict: d });
  }
  return out;
}

/**
 * Fills a reserved, empty signature field (the first, or the one named) as an incremental
 * update: a new signature dictionary, and the field's /V and appearance. Nothing else changes,
 * which is what a certification with DocMDP P=2 permits.
 */
export function fillSignatureField(
  pdf: Buffer,
  options: SignatureFieldOptions,
): AppendedField | undefined {
  return onFile(pdf, (file) => {
    const empty = emptyFields(file);
    const field = options.fieldName ? empty.find((f) => f.name === options.fieldName) : empty[0];
    if (!field) return undefined;
    const changed = new Map<number, PdfValue>();
    let next = file.size;
    const sigRef = new PdfRef(next++, 0);
    changed.set(sigRef.num, signatureDictionary(options));
    const widget = new Map(field.dict);
    widget.set('V', sigRef);
    const rect = file.resolve(widget.get('Rect') ?? null);
    if (Array.isArray(rect) && rect.length === 4 && rect.every((n) => typeof n === 'number')) {
      const [x0, y0, x1, y1] = rect;
      const box = { x: x0, y: y0, width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
      if (box.width > 1 && box.height > 1) {
        // The field's /Rect is fixed by the certification: the text must wrap inside it at
        // 8 pt or more, or the signature is refused (never shrunk, never clipped).
        const needed = signatureBoxHeight(box.width, options.appearanceLines);
        if (needed > box.height) {
          const chars = options.appearanceLines.reduce((n, l) => n + l.length, 0);
          throw new CheckError(
            `the reserved field ${field.name} is ${fmt(box.width)} × ${fmt(box.height)} pt and its size cannot change after certification; this signature's ${chars} characters need ${needed} pt at 8 pt (use a certificate with a shorter subject or a shorter --reason; a statement built by this version holds about ${reservedCapacity()} characters)`,
          );
        }
        const ap = appearanceObjects(options.appearanceLines, box, next);
        for (const [num, v] of ap.objects) changed.set(num, v);
        next += ap.objects.size;
        widget.set('AP', new Map([['N', ap.xobject]]));
      }
    }
    changed.set(field.ref.num, widget);
    return { pdf: writeUpdate(file, changed, next), visible: true, fieldName: field.name };
  });
}

function append(file: PdfFile, options: SignatureFieldOptions): AppendedField {
  const trailer = file.trailer;
  const rootRef = trailer.get('Root');
  if (!(rootRef instanceof PdfRef)) throw new PdfSyntaxError('trailer has no /Root reference');
  const catalog = new Map(file.dict(rootRef, 'document catalog'));
  const changed = new Map<number, PdfValue>();
  let next = file.size;
  const alloc = () => new PdfRef(next++, 0);

  // Field name: one more than the signature fields there are.
  const acroRef = catalog.get('AcroForm');
  const acroForm: PdfDict = new Map(
    isDict(file.resolve(acroRef)) ? (file.resolve(acroRef) as PdfDict) : [],
  );
  const fields = asArray(file.resolve(acroForm.get('Fields') ?? null));
  const names = new Set(
    fields.map((f) => {
      const d = file.resolve(f);
      const t = isDict(d) ? d.get('T') : undefined;
      return t instanceof PdfString ? t.text() : '';
    }),
  );
  let n = fields.length + 1;
  while (names.has(`Signature${n}`)) n++;
  const fieldName = options.fieldName ?? `Signature${n}`;

  const pages = allPages(file, catalog.get('Pages') ?? null);
  const section = signOff(file, catalog);
  const reserve =
    options.reserve && !names.has(options.reserve.fieldName) ? options.reserve : undefined;
  const placement =
    place(file, {
      pages,
      signOffPage: section?.page,
      lines: options.appearanceLines,
      reserve: Boolean(reserve),
    }) ??
    // No room for both boxes anywhere: the signature alone (the caller says the field is missing).
    (reserve
      ? place(file, {
          pages,
          signOffPage: section?.page,
          lines: options.appearanceLines,
          reserve: false,
        })
      : undefined);
  const page = placement?.page ?? pages[pages.length - 1];
  const area = placement?.box;

  const sigRef = alloc();
  const widgetRef = alloc();
  changed.set(sigRef.num, signatureDictionary(options));

  const tooltip = options.name ? `Signature of ${options.name}` : `Signature field ${fieldName}`;
  const widget: PdfDict = new Map<string, PdfValue>([
    ['Type', name('Annot')],
    ['Subtype', name('Widget')],
    ['FT', name('Sig')],
    ['T', textString(fieldName)],
    ['TU', textString(tooltip)],
    ['V', sigRef],
    // Print flag (PDF/A). An invisible field has a zero Rect and then needs no appearance.
    ['F', 4],
    ['P', page.ref],
    ['Rect', area ? rectOf(area) : [0, 0, 0, 0]],
  ]);
  if (area) {
    const ap = appearanceObjects(options.appearanceLines, area, next);
    for (const [num, v] of ap.objects) changed.set(num, v);
    next += ap.objects.size;
    widget.set('AP', new Map([['N', ap.xobject]]));
  }
  changed.set(widgetRef.num, widget);
  const widgets = [
    { ref: widgetRef, dict: widget, alt: options.appearanceLines.join(', ') || tooltip },
  ];

  // The customer's field, empty and labelled, as build --sign reserves it.
  if (reserve && placement?.reserved) {
    const ref = alloc();
    const dict: PdfDict = new Map<string, PdfValue>([
      ['Type', name('Annot')],
      ['Subtype', name('Widget')],
      ['FT', name('Sig')],
      ['T', textString(reserve.fieldName)],
      ['TU', textString(`Countersignature field of ${reserve.name}`)],
      ['F', 4],
      ['P', page.ref],
      ['Rect', rectOf(placement.reserved)],
    ]);
    const ap = appearanceObjects(reserve.appearanceLines, placement.reserved, next);
    for (const [num, v] of ap.objects) changed.set(num, v);
    next += ap.objects.size;
    dict.set('AP', new Map([['N', ap.xobject]]));
    changed.set(ref.num, dict);
    widgets.push({ ref, dict, alt: reserve.appearanceLines.join(', ') });
  }

  // Tagged PDF: a Form structure element with an object reference to each widget, inside the
  // sign-off section when the document has one (as build --sign puts them).
  const structRootRef = catalog.get('StructTreeRoot');
  if (structRootRef instanceof PdfRef) {
    const structRoot = new Map(file.dict(structRootRef, 'structure tree root'));
    const topKids = asArray(file.resolve(structRoot.get('K') ?? null));
    // NOTE: else under the single top element (pdfkit layouts have one Document element) if any.
    const parentRef =
      section?.element ??
      (topKids.length === 1 && topKids[0] instanceof PdfRef ? topKids[0] : structRootRef);
    let key =
      typeof structRoot.get('ParentTreeNextKey') === 'number'
        ? (structRoot.get('ParentTreeNextKey') as number)
        : 100000;
    const nums: PdfValue[] = [];
    const forms: PdfRef[] = [];
    for (const w of widgets) {
      const formRef = alloc();
      changed.set(
        formRef.num,
        new Map<string, PdfValue>([
          ['Type', name('StructElem')],
          ['S', name('Form')],
          ['P', parentRef],
          ['Pg', page.ref],
          ['Alt', textString(w.alt)],
          [
            'K',
            [
              new Map<string, PdfValue>([
                ['Type', name('OBJR')],
                ['Obj', w.ref],
                ['Pg', page.ref],
              ]),
            ],
          ],
        ]),
      );
      w.dict.set('StructParent', key);
      nums.push(key, formRef);
      forms.push(formRef);
      key++;
    }
    if (parentRef === structRootRef) {
      structRoot.set('K', [...topKids, ...forms]);
    } else {
      const parent = new Map(file.dict(parentRef, 'structure element'));
      parent.set('K', [...asArray(file.resolve(parent.get('K') ?? null)), ...forms]);
      changed.set(parentRef.num, parent);
    }
    const treeRef = structRoot.get('ParentTree');
    const tree = new Map(file.dict(treeRef, 'structure parent tree'));
    const treeNums = file.resolve(tree.get('Nums') ?? null);
    if (Array.isArray(treeNums)) {
      tree.set('Nums', [...treeNums, ...nums]);
    } else {
      const leaf = alloc();
      changed.set(
        leaf.num,
        new Map<string, PdfValue>([
          ['Limits', [nums[0], key - 1]],
          ['Nums', nums],
        ]),
      );
      tree.set('Kids', [...asArray(file.resolve(tree.get('Kids') ?? null)), leaf]);
    }
    if (treeRef instanceof PdfRef) changed.set(treeRef.num, tree);
    else structRoot.set('ParentTree', tree);
    structRoot.set('ParentTreeNextKey', key);
    changed.set(structRootRef.num, structRoot);
  }

  // The page lists the widget; structure order for tabbing (PDF/UA).
  const pageDict = new Map(page.dict);
  const annotsRef = pageDict.get('Annots');
  const annots = [...asArray(file.resolve(annotsRef ?? null)), ...widgets.map((w) => w.ref)];
  if (annotsRef instanceof PdfRef) changed.set(annotsRef.num, annots);
  else pageDict.set('Annots', annots);
  pageDict.set('Tabs', name('S'));
  changed.set(page.ref.num, pageDict);

  acroForm.set('Fields', [...fields, ...widgets.map((w) => w.ref)]);
  acroForm.set('SigFlags', 3);
  // The catalog names the certification signature (ISO 32000 12.8.4).
  if (options.certify) {
    catalog.set('Perms', new Map<string, PdfValue>([['DocMDP', sigRef]]));
    changed.set(rootRef.num, catalog);
  }
  // PDF/A-2 forbids NeedAppearances true; every field here carries its own appearance.
  acroForm.delete('NeedAppearances');
  if (acroRef instanceof PdfRef) {
    changed.set(acroRef.num, acroForm);
  } else {
    const newAcro = alloc();
    changed.set(newAcro.num, acroForm);
    catalog.set('AcroForm', newAcro);
    changed.set(rootRef.num, catalog);
  }

  return {
    pdf: writeUpdate(file, changed, next),
    visible: Boolean(area),
    fieldName,
    ...(placement ? { page: placement.index + 1 } : {}),
    ...(reserve && placement?.reserved ? { reserved: reserve.fieldName } : {}),
  };
}

function rectOf(b: Box): number[] {
  return [b.x, b.y, b.x + b.width, b.y + b.height];
}

/** The update section: objects, one cross-reference section, and the trailer. */
function writeUpdate(file: PdfFile, objects: Map<number, PdfValue>, size: number): Buffer {
  const { buf, trailer } = file;
  const parts: Buffer[] = [buf];
  let offset = buf.length;
  if (buf[buf.length - 1] !== 0x0a && buf[buf.length - 1] !== 0x0d) {
    parts.push(Buffer.from('\n'));
    offset++;
  }
  const offsets = new Map<number, number>();
  for (const num of [...objects.keys()].sort((a, b) => a - b)) {
    const bytes = serialiseObject(num, objects.get(num)!);
    offsets.set(num, offset);
    parts.push(bytes);
    offset += bytes.length;
  }
  const xrefOffset = offset;
  const lines = ['xref'];
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  for (let i = 0; i < nums.length;) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    lines.push(`${nums[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k++)
      lines.push(`${String(offsets.get(nums[k])).padStart(10, '0')} 00000 n `);
    i = j + 1;
  }
  const newTrailer: PdfDict = new Map<string, PdfValue>([['Size', size]]);
  for (const key of ['Root', 'Info', 'ID']) {
    const v = trailer.get(key);
    if (v !== undefined) newTrailer.set(key, v);
  }
  newTrailer.set('Prev', file.revisions[file.revisions.length - 1].xrefOffset);
  lines.push('trailer', serialise(newTrailer), 'startxref', String(xrefOffset), '%%EOF', '');
  parts.push(Buffer.from(lines.join('\n'), 'latin1'));
  return Buffer.concat(parts);
}
