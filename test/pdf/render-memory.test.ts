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
