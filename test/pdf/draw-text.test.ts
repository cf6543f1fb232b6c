import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { loadFonts, pdfkitRun, shapeText, type FontKey } from '../../src/pdf/fonts';
import { collectPageContent, drawTextLine } from '../../src/pdf/draw-text';
import { breakLines } from '../../src/pdf/measure';
import { placedText, type Placed } from '../helpers/pdf-content';

/**
 * The render stage's own text path (draw-text.ts) against the one it replaces: pdfkit's
 * `doc.text(s, x, y, { lineBreak: false })`. Two documents are drawn from the same calls, one
 * each way, and must draw the same: the oracle is pdfkit itself, not srq. Every text-showing
 * operator is read with the graphics state a viewer applies (placedText: q/Q, cm, Tm, Tf) and
 * must show the same glyph string in the same font and size at the same place, upright; every
 * other object (fonts, widths, ToUnicode, pages) must be the same bytes. srq writes fewer
 * operators than pdfkit (no q/cm/Q per fragment, Tf only when it changes), so the content
 * streams themselves differ.
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
      pdfkitRun(shapeText(font, t));
  }
  return { doc, bytes };
}

/** Lines as the layout hands them to the render stage: words, kerning, marks, tabs, spaces. */
const LINES: { text: string; font: FontKey; size: number; x: number; y: number }[] = [
  { text: 'Every service we expose to customers, ', font: 'regular', size: 10, x: 56.69, y: 90.5 },
  { text: 'AVATAR To Wa Yo LT’s “quoted” ', font: 'bold', size: 13.5, x: 60.123456, y: 120.25 },
  { text: 'e\u0301 a\u0300 o\u0302\u0323 Cymraeg ŵ ŷ, ', font: 'italic', size: 9, x: 70, y: 140 },
  // Marks raised over capitals: drawn off the baseline (yOffset), each by its own Tm.
  { text: 'E\u0301 A\u030a O\u0302\u0323 ', font: 'regular', size: 12, x: 64, y: 150 },
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

/**
 * `lines` in the regular face, one under the other on one page: drawn by pdfkit's text() in one
 * document and by drawTextLine in the other (its page collected as text when `collect`).
 */
async function drawLinesBoth(
  lines: string[],
  o: { size: number; x: number; y: number; step: number; collect?: boolean },
): Promise<{ pdfkit: Buffer; srq: Buffer }> {
  const a = newDoc(false);
  const b = newDoc(false);
  a.doc.addPage({ size: [595.28, 841.89], margin: 0 });
  b.doc.addPage({ size: [595.28, 841.89], margin: 0 });
  if (o.collect) collectPageContent(b.doc);
  lines.forEach((text, k) => {
    const y = o.y + k * o.step;
    a.doc.font('regular').fontSize(o.size).fillColor('#1a1a1a');
    a.doc.text(text, o.x, y, { lineBreak: false });
    b.doc.font('regular').fontSize(o.size).fillColor('#1a1a1a');
    drawTextLine(b.doc, text, { x: o.x, y, font: fonts.regular });
  });
  a.doc.end();
  b.doc.end();
  return { pdfkit: await a.bytes, srq: await b.bytes };
}

/** A file's objects by number (streams inflated when compressed), and its pages' contents. */
function objectsOf(pdf: Buffer): { objects: Map<number, string>; contents: Set<number> } {
  const text = pdf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of text.matchAll(/\n(\d+) 0 obj\n([^]*?)\nendobj/g)) {
    const body = m[2].replace(/stream\n([^]*?)\nendstream/, (_, data: string) => {
      const raw = Buffer.from(data, 'latin1');
      return `stream\n${/\/FlateDecode/.test(m[2]) ? zlib.inflateSync(raw).toString('latin1') : data}\nendstream`;
    });
    objects.set(Number(m[1]), body.replace(/\/Length \d+/, '/Length'));
  }
  const contents = new Set([...text.matchAll(/\/Contents (\d+) 0 R/g)].map((m) => Number(m[1])));
  return { objects, contents };
}

const streamOf = (body: string) => /stream\n([^]*?)\nendstream/.exec(body)?.[1] ?? '';
const rounded = (p: Placed) => ({
  ...p,
  x: Math.round(p.x * 1e4) / 1e4,
  y: Math.round(p.y * 1e4) / 1e4,
  orientation: p.orientation.map((v) => Math.round(v * 1e9) / 1e9) as Placed['orientation'],
});

/** What each page draws, as placed text, and every other object: the two files must agree. */
function expectSameDrawing(srq: Buffer, pdfkit: Buffer): Placed[] {
  const a = objectsOf(pdfkit);
  const b = objectsOf(srq);
  expect([...b.contents]).toEqual([...a.contents]);
  expect([...b.objects.keys()]).toEqual([...a.objects.keys()]);
  const drawn: Placed[] = [];
  for (const [num, body] of a.objects) {
    if (!a.contents.has(num)) {
      expect(b.objects.get(num)).toBe(body);
      continue;
    }
    const want = placedText(streamOf(body)).map(rounded);
    expect(placedText(streamOf(b.objects.get(num)!)).map(rounded)).toEqual(want);
    drawn.push(...want);
  }
  return drawn;
}

test('a line drawn by drawTextLine draws what pdfkit text() draws (glyphs, places, widths, ToUnicode)', async () => {
  const { pdfkit, srq, at } = await drawBoth(false, false);
  const drawn = expectSameDrawing(srq, pdfkit);
  // Every line of both pages, upright.
  expect(drawn.length).toBeGreaterThan(LINES.length);
  for (const d of drawn) expect(d.orientation).toEqual([1, 0, 0, 1]);
  // The lines exercise both of pdfkit's glyph paths: kerned runs (TJ with adjustments) and
  // marks placed by their own Tm (combining accents), with the line's origin restored after.
  const operands = drawn.map((d) => d.operand).join('\n');
  expect(operands).toMatch(/<[0-9a-f]+> -?[1-9][\d.]* <[0-9a-f]+>/);
  const accents = drawn.filter((d) => d.y === drawn.find((e) => e.operand.includes('<'))?.y);
  expect(accents.length).toBeGreaterThan(0);
  // srq's stream is shorter: no q, cm or Q per fragment, one Tf per change of font or size.
  const streams = (pdf: Buffer) => {
    const { objects, contents } = objectsOf(pdf);
    return [...contents].map((n) => streamOf(objects.get(n)!)).join('\n');
  };
  expect(streams(srq).length).toBeLessThan(streams(pdfkit).length);
  expect(streams(pdfkit).match(/^q$/gm)!.length).toBeGreaterThan(10);
  expect(streams(srq).match(/^(q|Q)$/gm)).toBeNull();
  // The one cm of each page is pdfkit's own, at its start (the page's top-down space).
  expect(streams(srq).match(/^.* cm$/gm)).toEqual(['1 0 0 -1 0 841.89 cm', '1 0 0 -1 0 841.89 cm']);
  expect(streams(srq).match(/ Tf$/gm)!.length).toBeLessThanOrEqual(
    streams(pdfkit).match(/ Tf$/gm)!.length,
  );
  // doc.x and doc.y end where pdfkit's leave them.
  for (const [ax, ay, bx, by] of at) expect([bx, by]).toEqual([ax, ay]);
});

test('a page collected as text (collectPageContent) draws the same, compressed or not', async () => {
  const plain = await drawBoth(false, true);
  expectSameDrawing(plain.srq, plain.pdfkit);
  // Compressed, the page is deflated at srq's level (pdfkit-fixes.ts DEFLATE_LEVEL), not
  // pdfkit's: every stream inflates to what the uncompressed file holds.
  const { pdfkit, srq } = await drawBoth(true, true);
  expectSameDrawing(srq, pdfkit);
  const inflated = objectsOf(srq).objects;
  const raw = objectsOf(plain.srq).objects;
  expect([...inflated.values()].map((b) => b.replace(/\/Filter \/FlateDecode\s*/, ''))).toEqual(
    [...raw.values()].map((b) => b.replace(/\/Filter \/FlateDecode\s*/, '')),
  );
});

test('a font set by pdfkit inside q ... Q (a link, right-to-left text) is set again after it', async () => {
  const b = newDoc(false);
  b.doc.addPage({ size: [595.28, 841.89], margin: 0 });
  collectPageContent(b.doc);
  b.doc.font('regular').fontSize(10);
  drawTextLine(b.doc, 'before ', { x: 60, y: 100, font: fonts.regular });
  b.doc.font('bold').fontSize(12);
  b.doc.text('pdfkit ', 60, 120, { lineBreak: false });
  b.doc.font('regular').fontSize(10);
  drawTextLine(b.doc, 'after ', { x: 60, y: 140, font: fonts.regular });
  drawTextLine(b.doc, 'again ', { x: 60, y: 160, font: fonts.regular });
  b.doc.end();
  const { objects, contents } = objectsOf(await b.bytes);
  const placed = placedText(streamOf(objects.get([...contents][0])!));
  const bold = placed[1].font;
  expect(bold).not.toBe('F1');
  expect(placed.map((p) => [p.font, p.size])).toEqual([
    ['F1', 10],
    [bold, 12],
    ['F1', 10],
    ['F1', 10],
  ]);
  // "after" sets its font again (pdfkit's Q restored the state before its q); "again" needs none.
  expect(streamOf(objects.get([...contents][0])!).match(/\/F1 10 Tf/g)).toHaveLength(2);
});

test('a word drawn again, and in the next document with another glyph order, draws what pdfkit draws', async () => {
  // draw-text.ts encodes each word once per document; the next document's subset numbers its
  // glyphs in another order (first use), so the words must be encoded again for it.
  const orders = [
    ['Zebra quiz, jump over Every ', 'Every service we expose, Every service '],
    ['Every service we expose, Every service ', 'Zebra quiz, jump over Every '],
  ];
  for (const texts of orders) {
    const { pdfkit, srq } = await drawLinesBoth(texts, { size: 10, x: 60, y: 100, step: 20 });
    expect(expectSameDrawing(srq, pdfkit)).toHaveLength(texts.length);
  }
});

test('glyph codes whose bytes need escaping in a literal string draw what pdfkit draws', async () => {
  // srq writes each glyph's two-byte code inside a literal string: the subset indices 10, 13,
  // 40, 41 and 92 (LF, CR, parentheses, backslash), alone or as the low byte of an index above
  // 255, must be escaped, or a reader sees other glyphs or an unbalanced string. 400 distinct
  // characters give the regular face's subset indices beyond 0x15c.
  const chars: string[] = [];
  const add = (from: number, to: number) => {
    for (let c = from; c <= to; c++) chars.push(String.fromCodePoint(c));
  };
  add(0x21, 0x7e);
  add(0xa1, 0x17f);
  add(0x391, 0x3a1);
  add(0x3a3, 0x3c9);
  add(0x410, 0x44f);
  expect(chars.length).toBeGreaterThan(400);
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += 50) lines.push(`${chars.slice(i, i + 50).join('')} `);
  for (const collect of [false, true]) {
    const { pdfkit, srq: pb } = await drawLinesBoth(lines, {
      size: 8,
      x: 40,
      y: 60,
      step: 14,
      collect,
    });
    expect(expectSameDrawing(pb, pdfkit)).toHaveLength(lines.length);
    const { objects, contents } = objectsOf(pb);
    const stream = streamOf(objects.get([...contents][0])!);
    for (const escape of ['\\n', '\\r', '\\(', '\\)', '\\\\', '\x01\\(', '\x01\\\\'])
      expect(stream).toContain(escape);
    // No unescaped end of line inside a string: each TJ is on one line.
    expect(stream.match(/ TJ$/gm)).toHaveLength(lines.length);
  }
});

test("a line drawn from the layout's shaped words draws what the line's text draws", async () => {
  // The render stage hands drawTextLine the words and spaces the line breaker shaped
  // (Fragment.runs) instead of the text; the bytes must be those of the text's path, which the
  // tests above hold to pdfkit: words broken without a space ("ISO/IEC", "To-Wa", two runs in
  // one font) are shaped together, kerning across the break, as pdfkit shapes them.
  const runs = [
    {
      text: 'AVATAR To-Wa Yo/AT LT/AV "quoted" T.V. ISO/IEC 27001:2022, ',
      font: 'regular' as const,
    },
    { text: 'Wo', font: 'regular' as const },
    { text: 'Ay bold ', font: 'bold' as const },
    { text: 'Every service we expose to customers, P.S. Vo/Te F/A ', font: 'regular' as const },
    { text: 'Ελληνικά, кириллица, £10 €20 – en — em AV—AV', font: 'italic' as const },
  ];
  const lines = breakLines(runs, { fonts, size: 10 }, 220);
  const fragments = lines.flatMap((l, k) => l.fragments.map((f) => ({ f, y: 80 + k * 14 })));
  expect(fragments.some(({ f }) => f.runs)).toBe(true);
  expect(fragments.some(({ f }) => !f.runs)).toBe(true);
  const draw = async (withRuns: boolean) => {
    const { doc, bytes } = newDoc(false);
    doc.addPage({ size: [595.28, 841.89], margin: 0 });
    collectPageContent(doc);
    const ends: number[] = [];
    for (const { f, y } of fragments) {
      doc.font(f.font).fontSize(10);
      drawTextLine(doc, f.text, {
        x: 50 + f.x,
        y,
        font: fonts[f.font],
        ...(withRuns && f.runs ? { runs: f.runs } : {}),
      });
      ends.push(doc.x);
    }
    doc.end();
    return { pdf: await bytes, ends };
  };
  const [fromRuns, fromText] = [await draw(true), await draw(false)];
  expect(fromRuns.pdf.equals(fromText.pdf)).toBe(true);
  for (const [i, x] of fromRuns.ends.entries()) expect(x).toBeCloseTo(fromText.ends[i], 9);
});
