import PDFDocument from 'pdfkit';
import { loadFonts } from '../../src/pdf/fonts';
import { layoutBlocks } from '../../src/pdf/layout';
import { normaliseMarkdown } from '../../src/pdf/normalise';
import { renderPdf } from '../../src/pdf/render';
import { pdfText } from '../helpers/pdf';

/**
 * Issue 15 (peak memory of a 700-page statement): the render stage lets go of each page's
 * drawing operations once the page is drawn, instead of holding every page's until the file
 * ends, and the file it returns is still whole (the text of every page, read back by pdf.js).
 */

const fonts = loadFonts();

test('each page of the layout is released once drawn, and the file keeps every page', async () => {
  const paragraphs = Array.from(
    { length: 60 },
    (_, i) => `Paragraph ${i + 1} of the memory test, long enough to wrap over a line or two.`,
  );
  const markdown = paragraphs.map((p, i) => `${i % 20 === 0 ? '# Part\n\n' : ''}${p}`);
  const layout = layoutBlocks(normaliseMarkdown(markdown.join('\n\n')), { fonts });
  const pages = layout.pages.length;
  expect(pages).toBeGreaterThan(1);
  const ops = layout.pages.reduce((n, p) => n + p.ops.length, 0);
  expect(ops).toBeGreaterThan(60);

  const pdf = await renderPdf(layout, {
    fonts,
    info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date(0) },
    furniture: { shortTitle: 't', draft: false },
  });

  expect(layout.pages).toHaveLength(pages);
  expect(layout.pages.every((p) => p.ops.length === 0)).toBe(true);
  const read = pdfText(pdf);
  expect(read.pages).toHaveLength(pages);
  const text = read.text.replace(/\s+/g, ' ');
  for (const p of paragraphs) expect(text).toContain(p);
});

test('structure elements are written out on the page their content ends, not all at the end', async () => {
  // NOTE: pdfkit writes an element (and lets go of its children) when it is ended and its kids
  // are; render ends each element after the last page holding its content. Observed through
  // pdfkit itself: which page was the current one when each element's object was written.
  const probe = new PDFDocument();
  interface Flushable {
    _flushed: boolean;
    dictionary: { data: { S: string } };
  }
  const proto = Object.getPrototypeOf(probe.struct('P')) as {
    _flush: (this: Flushable) => void;
  };
  const flush = proto._flush;
  const docProto = PDFDocument.prototype as unknown as {
    addPage: (this: PDFKit.PDFDocument, ...args: unknown[]) => PDFKit.PDFDocument;
  };
  const addPage = docProto.addPage;
  let page = 0;
  const written: { type: string; page: number }[] = [];
  proto._flush = function (this: Flushable) {
    const was = this._flushed;
    flush.call(this);
    if (!was && this._flushed) written.push({ type: String(this.dictionary.data.S), page });
  };
  docProto.addPage = function (...args) {
    page++;
    return addPage.apply(this, args);
  };
  try {
    const markdown = Array.from(
      { length: 150 },
      (_, i) =>
        `${i % 10 === 0 ? `# Part ${i / 10 + 1}\n\n` : ''}Paragraph ${i + 1}, long enough to wrap over a line or two of the page it sits on.`,
    );
    const layout = layoutBlocks(normaliseMarkdown(markdown.join('\n\n')), { fonts });
    const pages = layout.pages.length;
    expect(pages).toBeGreaterThan(3);
    const pdf = await renderPdf(layout, {
      fonts,
      info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date(0) },
      furniture: { shortTitle: 't', draft: false },
    });
    const paragraphs = written.filter((w) => w.type === 'P');
    expect(paragraphs).toHaveLength(150);
    // Every paragraph not on the last page is written before the last page starts.
    const early = paragraphs.filter((w) => w.page < pages).length;
    expect(early).toBeGreaterThan(paragraphs.length * 0.6);
    // Written in page order (the pages they end on), and the whole tree is still there.
    expect(paragraphs.map((w) => w.page)).toEqual(
      [...paragraphs.map((w) => w.page)].sort((a, b) => a - b),
    );
    expect(written.at(-1)?.type).toBe('Document');
    expect(pdfText(pdf).text).toContain('Paragraph 150,');
  } finally {
    proto._flush = flush;
    docProto.addPage = addPage;
  }
});

test("pdfkit's output reaches the file page by page, not queued in its stream until the end", async () => {
  // NOTE: observed through the stream's own state when each page starts: what pdfkit has
  // pushed that no 'data' listener has taken yet.
  const docProto = PDFDocument.prototype as unknown as {
    addPage: (this: PDFKit.PDFDocument, ...args: unknown[]) => PDFKit.PDFDocument;
  };
  const addPage = docProto.addPage;
  const queued: number[] = [];
  docProto.addPage = function (...args) {
    const state = (this as unknown as { _readableState: { length: number } })._readableState;
    queued.push(state.length);
    return addPage.apply(this, args);
  };
  try {
    const markdown = Array.from(
      { length: 120 },
      (_, i) =>
        `Paragraph ${i + 1}, long enough to wrap over a line or two of the page it sits on.`,
    );
    const layout = layoutBlocks(normaliseMarkdown(markdown.join('\n\n')), { fonts });
    const pages = layout.pages.length;
    const pdf = await renderPdf(layout, {
      fonts,
      info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date(0) },
      furniture: { shortTitle: 't', draft: false },
    });
    expect(queued).toHaveLength(pages);
    expect(pdf.length).toBeGreaterThan(10_000);
    // Nothing waits in the stream when a page starts: the earlier pages are in the file.
    expect(Math.max(...queued)).toBe(0);
    expect(pdfText(pdf).pages).toHaveLength(pages);
  } finally {
    docProto.addPage = addPage;
  }
});
