import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { loadFonts, shapeText, type FontKey } from '../../src/pdf/fonts';
import { collectPageContent, drawTextLine } from '../../src/pdf/draw-text';

/**
 * The render stage's own text path (draw-text.ts) against the one it replaces: pdfkit's
 * `doc.text(s, x, y, { lineBreak: false })`. Two documents are drawn from the same calls, one
 * each way, and must come out byte for byte the same: the oracle is pdfkit itself, not srq.
 */

const fonts = loadFonts();
const DATE = new Date('2026-12-01T00:00:00Z');

type Doc = PDFKit.PDFDocument;

/** A document set up as render.ts sets one up: the fonts registered, pdfkit shaping via shapeText. */
function newDoc(compress: boolean): { doc: Doc; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress,
    font: fonts.regular as unknown as string,
    info: { CreationDate: DATE, ModDate: DATE },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const bytes = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const table = doc as unknown as { _font: unknown; _fontFamilies: Record<string, unknown> };
  for (const key of Object.keys(fonts) as FontKey[]) {
    doc.registerFont(key, fonts[key]);
    doc.font(key);
    table._fontFamilies[key] = table._font;
    const font = fonts[key];
    (table._font as { layoutCached: (t: string) => unknown }).layoutCached = (t) =>
      shapeText(font, t);
  }
  return { doc, bytes };
}

/** Lines as the layout hands them to the render stage: words, kerning, marks, tabs, spaces. */
const LINES: { text: string; font: FontKey; size: number; x: number; y: number }[] = [
  { text: 'Every service we expose to customers, ', font: 'regular', size: 10, x: 56.69, y: 90.5 },
  { text: 'AVATAR To Wa Yo LT’s “quoted” ', font: 'bold', size: 13.5, x: 60.123456, y: 120.25 },
  { text: 'e\u0301 a\u0300 o\u0302\u0323 Cymraeg ŵ ŷ, ', font: 'italic', size: 9, x: 70, y: 140 },
  { text: 'Ελληνικά, кириллица, £10 €20 – en — em', font: 'boldItalic', size: 8, x: 71.5, y: 160 },
  { text: 'tab\tseparated  double  spaces ', font: 'regular', size: 11, x: 62, y: 180.333 },
  { text: ' ', font: 'regular', size: 10, x: 300, y: 200 },
  { text: '', font: 'bold', size: 10, x: 300, y: 210 },
  { text: 'https://www.ncsc.gov.uk/', font: 'regular', size: 7.25, x: 62, y: 220 },
];

async function drawBoth(
  compress: boolean,
  collect: boolean,
): Promise<{ pdfkit: Buffer; srq: Buffer; at: number[][] }> {
  const a = newDoc(compress);
  const b = newDoc(compress);
  const at: number[][] = [];
  for (const page of [0, 1]) {
    a.doc.addPage({ size: [595.28, 841.89], margin: 0 });
    b.doc.addPage({ size: [595.28, 841.89], margin: 0 });
    if (collect) collectPageContent(b.doc);
    for (const l of LINES) {
      const y = l.y + page * 3;
      a.doc.font(l.font).fontSize(l.size).fillColor('#1a1a1a');
      a.doc.text(l.text, l.x, y, { lineBreak: false });
      b.doc.font(l.font).fontSize(l.size).fillColor('#1a1a1a');
      drawTextLine(b.doc, l.text, { x: l.x, y, font: fonts[l.font] });
      at.push([a.doc.x, a.doc.y, b.doc.x, b.doc.y]);
    }
  }
  a.doc.end();
  b.doc.end();
  return { pdfkit: await a.bytes, srq: await b.bytes, at };
}

test('a line drawn by drawTextLine is the bytes pdfkit text() writes (content, widths, ToUnicode)', async () => {
  const { pdfkit, srq, at } = await drawBoth(false, false);
  const content = (pdf: Buffer) => pdf.toString('latin1');
  // The drawn operators, as text: a failure shows where they part.
  const shown = (pdf: Buffer) => content(pdf).match(/BT[^]*?ET/g) ?? [];
  expect(shown(srq)).toEqual(shown(pdfkit));
  // The lines exercise both of pdfkit's glyph paths: kerned runs (TJ with adjustments) and
  // marks placed by their own Tm (combining accents), with the line's origin restored after.
  expect(shown(pdfkit).join('\n')).toMatch(/<[0-9a-f]+> -?[1-9][\d.]* <[0-9a-f]+>/);
  expect(Math.max(...shown(pdfkit).map((t) => t.split(' Tm').length - 1))).toBeGreaterThan(3);
  expect(srq.equals(pdfkit)).toBe(true);
  // doc.x and doc.y end where pdfkit's leave them.
  for (const [ax, ay, bx, by] of at) expect([bx, by]).toEqual([ax, ay]);
});

/** A file's streams, inflated, and the rest of it without stream lengths and offsets. */
function opened(pdf: Buffer): { streams: string[]; rest: string } {
  const text = pdf.toString('latin1');
  const streams: string[] = [];
  const rest = text
    .slice(0, text.lastIndexOf('\nxref\n'))
    .replace(/stream\n([^]*?)\nendstream/g, (_, body: string) => {
      streams.push(zlib.inflateSync(Buffer.from(body, 'latin1')).toString('latin1'));
      return 'stream';
    })
    .replace(/\/Length \d+/g, '/Length');
  return { streams, rest };
}

test('a page collected as text (collectPageContent) is the same file, compressed or not', async () => {
  const plain = await drawBoth(false, true);
  expect(plain.srq.equals(plain.pdfkit)).toBe(true);
  // Compressed, the page is deflated at srq's level (pdfkit-fixes.ts DEFLATE_LEVEL), not
  // pdfkit's: every stream inflates to pdfkit's bytes, and the rest of the file is the same.
  const { pdfkit, srq } = await drawBoth(true, true);
  const a = opened(pdfkit);
  const b = opened(srq);
  expect(b.streams.length).toBeGreaterThan(4);
  expect(b.streams).toEqual(a.streams);
  expect(b.rest).toBe(a.rest);
});

test('a word drawn again, and in the next document with another glyph order, is the bytes pdfkit writes', async () => {
  // draw-text.ts encodes each word once per document; the next document's subset numbers its
  // glyphs in another order (first use), so the words must be encoded again for it.
  const orders = [
    ['Zebra quiz, jump over Every ', 'Every service we expose, Every service '],
    ['Every service we expose, Every service ', 'Zebra quiz, jump over Every '],
  ];
  for (const texts of orders) {
    const a = newDoc(false);
    const b = newDoc(false);
    a.doc.addPage({ size: [595.28, 841.89], margin: 0 });
    b.doc.addPage({ size: [595.28, 841.89], margin: 0 });
    texts.forEach((text, k) => {
      a.doc.font('regular').fontSize(10).fillColor('#1a1a1a');
      a.doc.text(text, 60, 100 + k * 20, { lineBreak: false });
      b.doc.font('regular').fontSize(10).fillColor('#1a1a1a');
      drawTextLine(b.doc, text, { x: 60, y: 100 + k * 20, font: fonts.regular });
    });
    a.doc.end();
    b.doc.end();
    const [pa, pb] = [await a.bytes, await b.bytes];
    expect(pb.toString('latin1').match(/BT[^]*?ET/g)).toEqual(
      pa.toString('latin1').match(/BT[^]*?ET/g),
    );
    expect(pb.equals(pa)).toBe(true);
  }
});
