import { loadFonts, shapeText } from '../../src/pdf/fonts';
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

  test('each font measures with its own metrics, whichever font was asked before', () => {
    // The oracle: fontkit's own layout of each word in each face, not srq's cache.
    const words = ['Wolf', 'quarterly', 'WWW', 'illicit', 'Ægis'];
    const keys = ['regular', 'bold', 'italic', 'boldItalic', 'bold', 'regular'] as const;
    for (const word of words) {
      for (const key of keys) {
        const font = fonts[key];
        const expected = (font.layout(word).advanceWidth * 1000) / font.unitsPerEm;
        expect({ key, word, w: shapeText(font, word).advanceWidth }).toEqual({
          key,
          word,
          w: expected,
        });
      }
    }
    expect(shapeText(fonts.bold, 'WWW').advanceWidth).not.toBe(
      shapeText(fonts.regular, 'WWW').advanceWidth,
    );
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

/**
 * Keep-together rules, each hit exactly at a page boundary: the block under test follows k filler
 * lines, for every k that moves it across the foot of page 1, so some k put it where the rule
 * alone decides. The page geometry is written out by hand (A4, margins 70 top, 62 bottom).
 */
describe('keep-together at a page boundary', () => {
  const TOP = 70;
  const BOTTOM = 841.89 - 62;
  type TextOp = Extract<Op, { kind: 'text' }>;
  const at = (pages: { ops: Op[] }[], text: string) => {
    for (let p = 0; p < pages.length; p++) {
      const op = pages[p].ops.find((o): o is TextOp => o.kind === 'text' && o.text.includes(text));
      if (op) return { page: p, y: op.y, op };
    }
    throw new Error(`"${text}" is not laid out`);
  };
  /** k one-line paragraphs, then a code block of j lines: fine steps of the cursor. */
  const filler = (k: number, j: number) =>
    Array.from({ length: k }, (_, i) => `Filler line ${i}.`).join('\n\n') +
    (j ? `\n\n\`\`\`\n${Array.from({ length: j }, (_, i) => `code ${i}`).join('\n')}\n\`\`\`` : '');
  const sweep = (tail: string, check: (pages: { ops: Op[] }[]) => boolean) => {
    let decided = 0;
    for (let k = 28; k <= 44; k++) {
      for (let j = 0; j <= 2; j++) {
        const { pages } = layoutBlocks(normaliseMarkdown(`${filler(k, j)}\n\n${tail}`), { fonts });
        if (check(pages)) decided++;
      }
    }
    return decided;
  };
  /** The bottom of the last text on a page. */
  const lastBottom = (ops: Op[]) =>
    Math.max(...ops.filter((o): o is TextOp => o.kind === 'text').map((o) => o.y + o.size));

  test('the sign-off section (heading, signatory, marker, role) stays on one page', () => {
    const tail =
      '## Sign-off\n\nSigned for the provider by its accountable officer.\n\n<!-- signature -->\n\nJane Doe\n\nChief Information Security Officer\n\nDate of signature\n';
    const decided = sweep(tail, (pages) => {
      const head = at(pages, 'Sign-off');
      for (const t of ['Signed for the provider', 'Jane Doe', 'Chief Information', 'Date of'])
        expect(at(pages, t).page).toBe(head.page);
      // Decided by the rule: the heading and the line after it would have fitted before.
      return head.page > 0 && lastBottom(pages[head.page - 1].ops) + 60 < BOTTOM;
    });
    expect(decided).toBeGreaterThan(0);
  });

  test('a lead-in ending in ":" stays on the page of the first two items of its list', () => {
    const decided = sweep(
      'It describes:\n\n- first item\n- second item\n- third item\n',
      (pages) => {
        const lead = at(pages, 'It describes:');
        expect(at(pages, 'first item').page).toBe(lead.page);
        expect(at(pages, 'second item').page).toBe(lead.page);
        // Decided by the rule: the lead-in's own line would have fitted on the page before.
        return lead.page > 0 && lastBottom(pages[lead.page - 1].ops) + 20 < BOTTOM;
      },
    );
    expect(decided).toBeGreaterThan(0);
  });

  test("a table's caption stays with its header row and first two rows", () => {
    const table = '| Name | Value |\n|---|---|\n| r1 | a |\n| r2 | b |\n| r3 | c |\n| r4 | d |\n';
    const decided = sweep(`Certifications held by us.\n\n${table}`, (pages) => {
      const caption = at(pages, 'Certifications held');
      for (const t of ['Name', 'r1', 'r2'])
        expect([t, at(pages, t).page]).toEqual([t, caption.page]);
      return caption.page > 0 && lastBottom(pages[caption.page - 1].ops) + 20 < BOTTOM;
    });
    expect(decided).toBeGreaterThan(0);
  });

  test('a heading, its caption and the table start share a page (the keeps chain)', () => {
    const table = '| Name | Value |\n|---|---|\n| r1 | a |\n| r2 | b |\n| r3 | c |\n';
    const decided = sweep(`## Evidence\n\nWe hold these.\n\n${table}`, (pages) => {
      const h = at(pages, 'Evidence');
      for (const t of ['We hold these.', 'Name', 'r1', 'r2'])
        expect([t, at(pages, t).page]).toEqual([t, h.page]);
      return h.page > 0 && lastBottom(pages[h.page - 1].ops) + 60 < BOTTOM;
    });
    expect(decided).toBeGreaterThan(0);
  });

  test('a run-in label is never the last line of a page', () => {
    const decided = sweep('**Your responsibilities**\n\nOne. Two. Three words here.\n', (pages) => {
      const label = at(pages, 'Your responsibilities');
      expect(at(pages, 'One. Two.').page).toBe(label.page);
      return label.page > 0 && lastBottom(pages[label.page - 1].ops) + 20 < BOTTOM;
    });
    expect(decided).toBeGreaterThan(0);
  });

  test('widows and orphans: a paragraph splits with two lines at least on each side', () => {
    const words = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ');
    let split = 0;
    sweep(`${words}\n`, (pages) => {
      const lines = pages.map(
        (p) => p.ops.filter((o): o is TextOp => o.kind === 'text' && /word\d/.test(o.text)).length,
      );
      const on = lines.filter((n) => n > 0);
      if (on.length > 1) {
        split++;
        for (const n of on) expect(n).toBeGreaterThanOrEqual(2);
      }
      return false;
    });
    expect(split).toBeGreaterThan(0);
  });

  test('a page is not left 80% empty before a table that could start on it', () => {
    // Two first rows taller than a page's remaining 80%: the table still starts after the
    // short text (its header row repeats on the next page), whatever the caption asks for.
    const tall = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
    const table = `| Name | Value |\n|---|---|\n| rowA | ${tall} |\n| rowB | ${tall} |\n| rowC | x |\n`;
    for (let k = 1; k <= 7; k++) {
      const md = `${filler(k, 0)}\n\nThe table below.\n\n${table}`;
      const { pages } = layoutBlocks(normaliseMarkdown(md), { fonts });
      const caption = at(pages, 'The table below.');
      const filled = (caption.y - TOP) / (BOTTOM - TOP);
      expect(filled).toBeLessThan(0.2);
      expect([k, at(pages, 'Name').page]).toEqual([k, 0]);
      expect(at(pages, 'w0 ').page).toBe(0);
      // The rows really are tall: the second goes on to the next page.
      expect(at(pages, 'rowB').page).toBe(1);
    }
  });
});

test('shaded rows hide no table rule: every rule is drawn after every fill it crosses', () => {
  const rows = Array.from({ length: 70 }, (_, i) =>
    i % 3 ? `| ${i} Item | Shared | Provider |` : `| ${i} Item | Customer | N/A |`,
  ).join('\n');
  const md = `<!-- matrix -->\n| Principle | Tier A | Tier B |\n|---|---|---|\n${rows}\n\n| Name | Value |\n|---|---|\n${rows.replace(/ \| (Shared|Customer) \|/g, ' |')}\n`;
  const { pages } = layoutBlocks(normaliseMarkdown(md), { fonts });
  let crossings = 0;
  for (const p of pages) {
    p.ops.forEach((op, i) => {
      if (op.kind !== 'line') return;
      const later = p.ops.slice(i + 1);
      for (const r of later) {
        if (r.kind !== 'rect' || !r.fill) continue;
        // A fill drawn later that reaches the rule's line covers (part of) it.
        const horizontal = op.y1 === op.y2;
        const covers = horizontal
          ? op.y1 >= r.y - 0.5 && op.y1 <= r.y + r.h + 0.5 && op.x2 > r.x && op.x1 < r.x + r.w
          : op.x1 >= r.x - 0.5 && op.x1 <= r.x + r.w + 0.5 && op.y2 > r.y && op.y1 < r.y + r.h;
        if (covers) crossings++;
      }
    });
  }
  expect(crossings).toBe(0);
  // The rules are there: under every shaded cell, on its page, a rule along its bottom edge.
  let cells = 0;
  for (const p of pages) {
    for (const r of p.ops) {
      if (r.kind !== 'rect' || !r.fill) continue;
      cells++;
      const under = p.ops.some(
        (l) =>
          l.kind === 'line' &&
          l.y1 === l.y2 &&
          Math.abs(l.y1 - (r.y + r.h)) < 0.01 &&
          l.x1 <= r.x + 0.01 &&
          l.x2 >= r.x + r.w - 0.01,
      );
      expect(under).toBe(true);
    }
  }
  expect(cells).toBeGreaterThan(140);
});
