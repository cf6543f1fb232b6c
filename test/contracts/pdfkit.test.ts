import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { fillColour, strokeColour } from '../../src/pdf/render';
import { COLOURS, STYLE } from '../../src/pdf/styles';

/**
 * The private parts of pdfkit srq relies on (pinned exactly in package.json): if an upgrade
 * changes one of them, this fails with its name instead of a document quietly changing.
 *   _font, _fontFamilies   src/pdf/render.ts primes pdfkit's font cache and shaping
 *   _addInfo               src/pdf/render.ts writes its own XMP packet (PDF/A)
 *   _root.data, _acroform  src/pdf/signature-field.ts adds the signature field
 *   _fontSize              src/pdf/draw-text.ts writes each line's text operators itself
 *   _write, _offset        src/pdf/render.ts takes every byte pdfkit writes into its own buffer
 *   _root.data.Names.data.Dests._compareKeys
 *                          src/pdf/pdfkit-fixes.ts orders the destinations' name tree by bytes
 *   _fontSource, _fontFamily, _font.subset
 *                          src/pdf/signature-field.ts resolves the appearance font, then restores
 *   _refEnd, _security     src/pdf/pdfkit-fixes.ts writes a reference as PDFReference.finalize
 *                          does, its dictionary serialised by src/pdf/pdf-object.ts
 *   _fillColor             src/pdf/render.ts sets a colour's operators itself (fillColour)
 * test/contracts/internals.test.ts checks that every private member src/ uses is listed here.
 */

const FONT = path.join(
  path.dirname(require.resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans.ttf',
);

type Internals = {
  _font: {
    layoutCached?: unknown;
    widths?: unknown;
    scale?: unknown;
    encode?: unknown;
    subset?: unknown;
  } | null;
  _fontSource: unknown;
  _fontSize: unknown;
  _fontFamily: unknown;
  _fontFamilies: Record<string, unknown>;
  _addInfo: () => void;
  _root: { data: Record<string, unknown> };
  _acroform?: unknown;
};

function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.end();
  });
}

describe('pdfkit internals (package.json pins pdfkit exactly)', () => {
  it('_font is the current embedded font, with layoutCached, widths and scale', () => {
    const doc = new PDFDocument({ autoFirstPage: true });
    const x = doc as unknown as Internals;
    doc.registerFont('regular', fs.readFileSync(FONT));
    doc.font('regular');
    expect(x._font).not.toBeNull();
    expect(typeof x._font!.layoutCached).toBe('function');
    expect(Array.isArray(x._font!.widths)).toBe(true);
    expect(typeof x._font!.scale).toBe('number');
  });

  it('_fontSize is the size doc.fontSize() last set (12 before any)', () => {
    const doc = new PDFDocument();
    const x = doc as unknown as Internals;
    expect(x._fontSize).toBe(12);
    doc.fontSize(9.5);
    expect(x._fontSize).toBe(9.5);
    doc.font('Helvetica', 7);
    expect(x._fontSize).toBe(7);
  });

  it('_fontSource and _fontFamily are what doc.font() was last given; an embedded font has a subset', () => {
    const doc = new PDFDocument();
    const x = doc as unknown as Internals;
    const bytes = fs.readFileSync(FONT);
    doc.registerFont('regular', bytes);
    doc.font('regular');
    expect(x._fontSource).toBe(bytes);
    expect(x).toHaveProperty('_fontFamily', undefined);
    expect(x._font!.subset).toBeDefined();
    const embedded = x._font;
    // Restoring the three puts the document back on the font it had.
    doc.font('Helvetica');
    expect(x._font!.subset).toBeUndefined();
    Object.assign(x, { _font: embedded, _fontSource: bytes, _fontFamily: undefined });
    doc.text('x');
    expect(x._font).toBe(embedded);
  });

  it('_fontFamilies is the name → font cache doc.font(name) reads first', () => {
    const doc = new PDFDocument();
    const x = doc as unknown as Internals;
    doc.registerFont('regular', fs.readFileSync(FONT));
    doc.font('regular');
    const primed = x._font;
    x._fontFamilies.regular = primed;
    doc.font('Helvetica');
    doc.font('regular');
    expect(x._font).toBe(primed);
  });

  it('_addInfo is called once while the document ends (srq replaces it to write its XMP)', async () => {
    const doc = new PDFDocument({ pdfVersion: '1.7', subset: 'PDF/A-2a', tagged: true });
    const x = doc as unknown as Internals;
    let calls = 0;
    x._addInfo = () => {
      calls++;
    };
    await pdfBytes(doc);
    expect(calls).toBe(1);
  });

  it('_write is the one way bytes reach the file after the header, and _offset counts them', async () => {
    const doc = new PDFDocument({ compress: false });
    const x = doc as unknown as { _write(d: string | Uint8Array): void; _offset: number };
    const head = doc.read() as Buffer;
    expect(head.toString('latin1')).toMatch(/^%PDF-1\.\d\n/);
    expect(x._offset).toBe(head.length);
    const seen: Buffer[] = [head];
    x._write = (d) => {
      const b = typeof d === 'string' ? Buffer.from(`${d}\n`, 'latin1') : Buffer.from(d);
      seen.push(b);
      x._offset += b.length;
    };
    let streamed = 0;
    doc.on('data', (c: Buffer) => (streamed += c.length));
    await new Promise((resolve) => {
      doc.on('end', resolve);
      doc.end();
    });
    expect(streamed).toBe(0);
    const pdf = Buffer.concat(seen).toString('latin1');
    expect(pdf).toMatch(/%%EOF\n$/);
    // The cross-reference offsets pdfkit wrote are right for the bytes taken.
    const at = Number(/startxref\n(\d+)\n/.exec(pdf)![1]);
    expect(pdf.slice(at, at + 5)).toBe('xref\n');
  });

  it('_root.data is the catalogue dictionary written to the file; _acroform is pdfkit’s form state', async () => {
    const doc = new PDFDocument({ compress: false });
    const x = doc as unknown as Internals;
    expect(typeof x._root.data).toBe('object');
    x._root.data.SrqContract = 'yes';
    // NOTE: placeholder.ts sets _acroform so pdfkit's form code finds its fonts; pdfkit only
    // creates it in initForm().
    expect(x._acroform).toBeUndefined();
    (doc as unknown as { initForm: () => void }).initForm();
    expect(x._acroform).toHaveProperty('fonts');
    const pdf = (await pdfBytes(doc)).toString('latin1');
    expect(pdf).toMatch(/\/Type \/Catalog\n[^>]*\/SrqContract \/yes\n/);
  });

  it('the destinations name tree orders its keys through _compareKeys', async () => {
    const doc = new PDFDocument({ compress: false });
    const dests = (
      doc as unknown as {
        _root: { data: { Names: { data: { Dests: { _compareKeys: unknown } } } } };
      }
    )._root.data.Names.data.Dests;
    expect(typeof dests._compareKeys).toBe('function');
    // Reversed order: the keys come out the way the override says, not pdfkit's.
    dests._compareKeys = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
    doc.addPage();
    for (const name of ['alpha', 'beta', 'gamma']) doc.addNamedDestination(name);
    const pdf = (await pdfBytes(doc)).toString('latin1');
    const names = pdf.slice(pdf.indexOf('/Names [', pdf.indexOf('/Dests')));
    const order = [...names.matchAll(/\((alpha|beta|gamma)\)/g)].map((m) => m[1]);
    expect(order).toEqual(['gamma', 'beta', 'alpha']);
  });
  it('PDFReference.finalize writes what src/pdf/pdfkit-fixes.ts writeRef writes, through _refEnd', () => {
    const doc = new PDFDocument({ compress: false }) as unknown as {
      ref(data: object): { finalize(): void; constructor: { prototype: object } };
      _refEnd: unknown;
      _security?: unknown;
    };
    expect(typeof doc._refEnd).toBe('function');
    // Not encrypted: no _security (srq never encrypts); an encrypted one has it, and writeRef
    // then leaves the reference to pdfkit's own finalize.
    expect(doc._security).toBeFalsy();
    const encrypted = new PDFDocument({ userPassword: 'x', pdfVersion: '1.7' }) as unknown as {
      _security?: unknown;
    };
    expect(encrypted._security).toBeTruthy();
    const proto = Object.getPrototypeOf(doc.ref({})) as { finalize(): void };
    const source = proto.finalize.toString().replace(/\s+/g, ' ');
    // The steps writeRef follows, in this order.
    const steps = [
      'this.offset = this.document._offset;',
      'this.buffer = concat(this.buffer);',
      'this.buffer = zlib.deflateSync(this.buffer);',
      'this.data.Length = this.buffer.length;',
      'this.document._write(`${this.id} ${this.gen} obj`);',
      'this.document._write(PDFObject.convert(this.data, encryptFn));',
      "this.document._write('stream');",
      'this.document._write(this.buffer);',
      'this.buffer = [];',
      "this.document._write('\\nendstream');",
      "this.document._write('endobj');",
      'this.document._refEnd(this);',
    ];
    let at = 0;
    for (const step of steps) {
      const i = source.indexOf(step, at);
      expect([step, i >= 0]).toEqual([step, true]);
      at = i + step.length;
    }
  });

  it('fillColor and strokeColor write what src/pdf/render.ts fillColour and strokeColour write', () => {
    /** The page's content stream so far, and pdfkit's _fillColor, after `draw`. */
    const drawn = (draw: (doc: PDFKit.PDFDocument) => void) => {
      const doc = new PDFDocument();
      draw(doc);
      const page = (doc as unknown as { page: { content: { buffer: Uint8Array[] } } }).page;
      return {
        content: Buffer.concat(page.content.buffer).toString('latin1'),
        fillColor: (doc as unknown as { _fillColor: unknown })._fillColor,
      };
    };
    const colours = [
      ...new Set([...Object.values(COLOURS), STYLE.rule.colour, STYLE.body.colour]),
      '#000000',
      '#FFFFFF',
      '#a0B1c2',
      '#123',
      'red',
    ].filter((c): c is string => typeof c === 'string');
    expect(colours.length).toBeGreaterThan(6);
    for (const c of colours) {
      const pdfkit = drawn((doc) => doc.fillColor(c).strokeColor(c).fillColor('#0a0b0c'));
      const ours = drawn((doc) => {
        fillColour(doc, c);
        strokeColour(doc, c);
        fillColour(doc, '#0a0b0c');
      });
      expect({ c, ...ours }).toEqual({ c, ...pdfkit });
      expect(ours.content).toContain(' scn');
    }
  });
});
