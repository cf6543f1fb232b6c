import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';
import { readDocx, readWorkbookForTest } from '../helpers/export';
import { paintedState } from '../helpers/pdf-content';
import { inside, pdfPages } from '../helpers/pdf-pages';
import { nameOf, PdfObjects, PdfRef, type PdfDict, type PdfValue } from '../helpers/pdf-objects';

/**
 * One colour key in every format: each responsibility mark is shaded with the same colour in the
 * PDF's matrix and legend, the XLSX matrix, the HTML page and the Word file. The colours are
 * written out by hand here (not imported from srq), and each format is read on its own terms:
 * the PDF's content streams and pdf.js text positions, the HTML's CSS, the XLSX and DOCX XML.
 */

const KEY: Record<string, string> = {
  Provider: 'cfe3f7',
  Shared: 'fbe3b0',
  Customer: 'd7efd2',
  'N/A': 'e6e6e6',
};

const dir = tempDir('srq-colours-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): string {
  const r = srq(args, { cwd: dir });
  if (r.code !== 0) throw new Error(`srq ${args.join(' ')}: ${r.code} ${r.stderr}`);
  return path.join(dir, args[args.indexOf('-o') + 1]);
}

/** Label → the set of colours it is shaded with, to compare with KEY. */
function record(seen: Map<string, Set<string>>, label: string, colour: string): void {
  const s = seen.get(label) ?? new Set<string>();
  s.add(colour.toLowerCase());
  seen.set(label, s);
}

const expected = () => new Map(Object.entries(KEY).map(([k, v]) => [k, new Set([v])]));

/** The pages' dictionaries in page order. */
function pageDicts(o: PdfObjects): PdfDict[] {
  const out: PdfDict[] = [];
  const walk = (v: PdfValue | undefined) => {
    const node = o.dict(v);
    if (!node) return;
    if (nameOf(node.Type) === 'Pages') for (const kid of o.array(node.Kids)) walk(kid);
    else out.push(node);
  };
  walk(o.catalog.Pages);
  return out;
}

const hex = (v: number) =>
  Math.round(v * 255)
    .toString(16)
    .padStart(2, '0');

test('PDF: every mark in the matrix and its legend sits on a rectangle filled with its colour', () => {
  const pdf = fs.readFileSync(run(['build', EXAMPLE, '-o', 'statement.pdf']));
  const o = new PdfObjects(pdf);
  const { pages } = pdfPages(pdf);
  const seen = new Map<string, Set<string>>();
  pageDicts(o).forEach((page, n) => {
    const content = o
      .array(page.Contents instanceof PdfRef ? [page.Contents] : page.Contents)
      .map((ref) => o.stream(ref).toString('latin1'))
      .join('\n');
    // Filled rectangles, in the fill colour in force when they are painted, as a viewer reads
    // the stream (a colour is set only when it changes; pdfkit's top-down coordinates).
    const rects = paintedState(content)
      .filter((e) => e.kind === 'fill' && e.fill.length === 3)
      .flatMap((e) =>
        e.rects.map(([x, y, w, h]) => ({ x, y, w, h, colour: e.fill.map(hex).join('') })),
      );
    for (const it of pages[n].items) {
      const label = it.text.trim();
      if (!(label in KEY) || !inside(it, 'Table')) continue;
      const mid = (it.top + it.bottom) / 2;
      const under = rects.filter(
        (r) => it.x >= r.x && it.x <= r.x + r.w && mid >= r.y && mid <= r.y + r.h,
      );
      expect([label, under.length]).toEqual([label, 1]);
      record(seen, label, under[0].colour);
    }
  });
  expect(seen).toEqual(expected());
});

test('HTML: each mark class is shaded with its colour, and each cell carries the class of its word', () => {
  const html = fs.readFileSync(
    run(['export', EXAMPLE, '--format', 'html', '-o', 'x.html']),
    'utf8',
  );
  const css = new Map(
    [...html.matchAll(/\.r-([a-z-]+) \{ background: #([0-9a-f]{6});/g)].map((m) => [m[1], m[2]]),
  );
  const seen = new Map<string, Set<string>>();
  for (const m of html.matchAll(/<t[dh] class="r r-([a-z-]+)">([^<]*)<\/t[dh]>/g)) {
    record(seen, m[2], css.get(m[1]) ?? 'none');
  }
  expect(seen).toEqual(expected());
});

test('XLSX: the matrix sheet shades each mark with its colour', () => {
  const wb = readWorkbookForTest(run(['export', EXAMPLE, '--format', 'xlsx', '-o', 'x.xlsx']));
  const seen = new Map<string, Set<string>>();
  const ws = 'Responsibility matrix';
  for (let row = 2; row <= wb.rowCount(ws); row++) {
    for (const c of ['C', 'D', 'E']) {
      const cell = wb.cell(ws, `${c}${row}`);
      if (cell && typeof cell.value === 'string' && cell.value in KEY)
        record(seen, cell.value, cell.fill ?? 'none');
    }
  }
  // The sheet has no legend: the marks its cells hold, at least three of the four.
  expect(seen.size).toBeGreaterThanOrEqual(3);
  for (const [label, colours] of seen) expect([label, [...colours]]).toEqual([label, [KEY[label]]]);
});

test('DOCX: every table cell holding a mark is shaded with its colour', async () => {
  const parts = await readDocx(run(['export', EXAMPLE, '--format', 'docx', '-o', 'x.docx']));
  const seen = new Map<string, Set<string>>();
  for (const m of parts['word/document.xml'].matchAll(/<w:tc>(.*?)<\/w:tc>/g)) {
    const words = [...m[1].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('');
    if (!(words in KEY)) continue;
    record(seen, words, /<w:shd [^>]*w:fill="([0-9A-Fa-f]{6})"/.exec(m[1])?.[1] ?? 'none');
  }
  expect(seen).toEqual(expected());
});
