import { loadFonts } from '../../src/pdf/fonts';
import { layoutBlocks, type Op } from '../../src/pdf/layout';
import { breakLines } from '../../src/pdf/measure';
import { normaliseMarkdown } from '../../src/pdf/normalise';

const fonts = loadFonts();
const texts = (ops: Op[]) =>
  ops
    .filter((o): o is Extract<Op, { kind: 'text' }> => o.kind === 'text')
    .map((o) => o.text)
    .join(' ');

describe('normalise', () => {
  test('conventions: cover, page break, matrix, signature, labels; HTML is literal', () => {
    const blocks = normaliseMarkdown(
      '```cover\ntitle: A \\<b\\>\n```\n\n<!-- pagebreak -->\n\n**Label**\n\n<b>x</b> &amp; y\n\n<!-- matrix -->\n| a | b |\n|---|---|\n| Shared | N/A |\n\n<!-- signature -->\n',
    );
    expect(blocks.map((b) => b.kind)).toEqual([
      'cover',
      'pagebreak',
      'paragraph',
      'paragraph',
      'table',
      'signature',
    ]);
    const [cover, , label, html, table] = blocks;
    expect(cover?.kind === 'cover' && cover.fields.title?.map((r) => r.text).join('')).toBe(
      'A <b>',
    );
    expect(label?.kind === 'paragraph' && label.label).toBe(true);
    expect(html?.kind === 'paragraph' && html.runs.map((r) => r.text).join('')).toBe(
      '<b>x</b> & y',
    );
    expect(table?.kind === 'table' && table.matrix).toBe(true);
  });
});

describe('measure', () => {
  test('lines never exceed the width, and keep every word, with a space at each soft break', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    const lines = breakLines([{ text, font: 'regular' }], { fonts, size: 10 }, 200);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(200.001);
    // The drawn text alone, lines joined with nothing, is the source: each line that ends at a
    // space keeps it (screen readers and copy/paste read the drawn text).
    expect(lines.map((l) => l.fragments.map((f) => f.text).join('')).join('')).toBe(text.trim());
  });

  test('a long word split across lines gets no space; a line break gets one', () => {
    const word = 'x'.repeat(120);
    const split = breakLines([{ text: word, font: 'regular' }], { fonts, size: 10 }, 100);
    expect(split.length).toBeGreaterThan(1);
    expect(split.map((l) => l.fragments.map((f) => f.text).join('')).join('')).toBe(word);
    const hard = breakLines(
      [{ text: 'first line\nsecond', font: 'regular' }],
      { fonts, size: 10 },
      300,
    );
    expect(hard.map((l) => l.fragments.map((f) => f.text).join(''))).toEqual([
      'first line ',
      'second',
    ]);
  });
});

describe('layout', () => {
  test('a table split across pages repeats its header row', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `| row ${i} | value ${i} |`).join('\n');
    const { pages } = layoutBlocks(normaliseMarkdown(`| Name | Value |\n|---|---|\n${rows}\n`), {
      fonts,
    });
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(texts(p.ops)).toMatch(/^Name Value/);
    // Only the first header is tagged as TH; the repeats are pagination artifacts.
    const tagged = pages
      .flatMap((p) => p.ops)
      .filter((o) => o.kind === 'text' && o.struct?.type === 'TH');
    expect(tagged).toHaveLength(2);
  });

  test('a heading is never the last thing on a page', () => {
    const para = 'Words and more words. '.repeat(30);
    const md = Array.from({ length: 30 }, (_, i) => `## Heading ${i}\n\n${para}\n`).join('\n');
    const { pages } = layoutBlocks(normaliseMarkdown(md), { fonts });
    for (const p of pages) {
      const last = [...p.ops].reverse().find((o) => o.kind === 'text');
      expect(last?.kind === 'text' && last.struct?.type).not.toBe('H2');
    }
  });

  test('an explicit page break starts a new page; bookmarks for H1-H3', () => {
    const { pages } = layoutBlocks(
      normaliseMarkdown(
        '# One\n\ntext\n\n<!-- pagebreak -->\n\n# Two\n\n## Sub\n\n### Subsub\n\n#### Not\n',
      ),
      { fonts },
    );
    expect(pages).toHaveLength(2);
    expect(pages[1].bookmarks.map((b) => b.title)).toEqual(['Two', 'Sub', 'Subsub']);
  });

  test('reports characters the fonts cannot draw, with the heading', () => {
    const { uncovered } = layoutBlocks(normaliseMarkdown('## Principle 9\n\nCrab 🦀 and 漢.\n'), {
      fonts,
    });
    expect(uncovered.map((u) => `${u.where}: ${u.char}`)).toEqual([
      'Principle 9: 🦀',
      'Principle 9: 漢',
    ]);
  });
});
