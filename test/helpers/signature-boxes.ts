import { parseToUnicode, pageShows } from './pdf-content';
import { PdfObjects, PdfRef, nameOf, type PdfDict, type PdfValue } from './pdf-objects';

/**
 * The signature widgets of a PDF as a viewer draws them, read with the independent object
 * reader (test/helpers/pdf-objects.ts), nothing from src/: each widget's /Rect, its page's media
 * box, and every text run of its appearance stream with the size set by `Tf` and the extent
 * measured from the embedded font's own /W widths and descriptor (ascent, descent).
 */

export interface TextRun {
  text: string;
  size: number;
  /** In the appearance's form space (its /BBox). */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface SignatureWidget {
  field: string;
  /** From 1. */
  page: number;
  filled: boolean;
  rect: [number, number, number, number];
  bbox: [number, number, number, number];
  mediaBox: [number, number, number, number];
  runs: TextRun[];
  /** The runs' text joined by spaces. */
  text: string;
  /** Text runs of the page's own content (start point, size, text), for overlap checks. */
  pageText: { x: number; y: number; size: number; text: string }[];
}

/** A string value as read (text strings come back as JS strings); '' for anything else. */
export function text(v: PdfValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function numbers(objects: PdfObjects, v: PdfValue | undefined): number[] {
  return objects.array(v).map((x) => objects.get(x) as number);
}

function leafPages(objects: PdfObjects): { dict: PdfDict; mediaBox: number[] }[] {
  const out: { dict: PdfDict; mediaBox: number[] }[] = [];
  const walk = (v: PdfValue | undefined, inherited: number[]) => {
    const d = objects.dict(v)!;
    const box = d.MediaBox ? numbers(objects, d.MediaBox) : inherited;
    if (d.Kids) for (const k of objects.array(d.Kids)) walk(k, box);
    else out.push({ dict: d, mediaBox: box });
  };
  walk(objects.catalog.Pages, [0, 0, 612, 792]);
  return out;
}

/** Widths of a Type0 font's glyphs by code (its descendant's /W and /DW), 1/1000 em. */
function glyphWidths(objects: PdfObjects, font: PdfDict): (code: number) => number {
  const cid = objects.dict(objects.array(font.DescendantFonts)[0]) ?? font;
  const dw = typeof cid.DW === 'number' ? cid.DW : 1000;
  const widths = new Map<number, number>();
  const w = objects.array(cid.W).map((x) => objects.get(x));
  for (let i = 0; i < w.length;) {
    const first = w[i] as number;
    const next = w[i + 1];
    if (Array.isArray(next)) {
      next.forEach((x, j) => widths.set(first + j, objects.get(x) as number));
      i += 2;
    } else {
      for (let c = first; c <= (next as number); c++) widths.set(c, w[i + 2] as number);
      i += 3;
    }
  }
  return (code) => widths.get(code) ?? dw;
}

/** The appearance's text runs: `Tf`, `Tm` and hex `Tj` (what any signature appearance uses). */
function appearanceRuns(objects: PdfObjects, ap: PdfValue): TextRun[] {
  const form = objects.dict(ap)!;
  const fonts = objects.dict(objects.dict(form.Resources)?.Font) ?? {};
  const content = objects.stream(ap).toString('latin1');
  const tokens = content.match(/<[0-9A-Fa-f\s]*>|\/[^\s/<>[\]()]+|\[|\]|[^\s/<>[\]()]+/g) ?? [];
  const runs: TextRun[] = [];
  let operands: string[] = [];
  let font: PdfDict | undefined;
  let size = 0;
  let tm = [1, 0, 0, 1, 0, 0];
  for (const t of tokens) {
    if (/^[A-Za-z'"]+\*?$/.test(t) && !/^(true|false|null)$/.test(t)) {
      if (t === 'Tf') {
        font = objects.dict(fonts[operands[0].slice(1)]);
        size = Number(operands[1]);
      } else if (t === 'Tm') {
        tm = operands.map(Number);
      } else if (t === 'Tj' || t === 'TJ') {
        if (!font) throw new Error('text shown before any Tf');
        const hex = operands
          .filter((o) => o.startsWith('<'))
          .join('')
          .replace(/[<>\s]/g, '');
        const width = glyphWidths(objects, font);
        const cmap = parseToUnicode(objects.stream(font.ToUnicode).toString('latin1'));
        const descriptor =
          objects.dict(
            objects.dict(objects.array(font.DescendantFonts)[0])?.FontDescriptor ??
              font.FontDescriptor,
          ) ?? {};
        let advance = 0;
        let text = '';
        for (let i = 0; i < hex.length; i += 4) {
          const code = parseInt(hex.slice(i, i + 4), 16);
          advance += width(code);
          text += cmap.get(code) ?? '\ufffd';
        }
        // Text space to form space: only translation and uniform scale occur here.
        const scale = Math.hypot(tm[0], tm[1]) || 1;
        const s = size * scale;
        const ascent = objects.get(descriptor.Ascent) as number;
        const descent = objects.get(descriptor.Descent) as number;
        runs.push({
          text,
          size: s,
          x0: tm[4],
          x1: tm[4] + (advance / 1000) * s,
          y0: tm[5] + (descent / 1000) * s,
          y1: tm[5] + (ascent / 1000) * s,
        });
      }
      operands = [];
    } else operands.push(t);
  }
  return runs;
}

export function signatureWidgets(pdf: Buffer): SignatureWidget[] {
  const objects = new PdfObjects(pdf);
  const out: SignatureWidget[] = [];
  leafPages(objects).forEach(({ dict: page, mediaBox }, i) => {
    for (const a of objects.array(page.Annots)) {
      const w = objects.dict(a);
      if (!w || nameOf(w.FT) !== 'Sig') continue;
      const rect = numbers(objects, w.Rect) as SignatureWidget['rect'];
      const ap = objects.dict(w.AP)?.N;
      const runs = ap ? appearanceRuns(objects, ap) : [];
      const bbox = ap
        ? (numbers(objects, objects.dict(ap)!.BBox) as SignatureWidget['bbox'])
        : ([0, 0, 0, 0] as SignatureWidget['bbox']);
      out.push({
        field: text(objects.get(w.T)),
        page: i + 1,
        filled: w.V instanceof PdfRef,
        rect,
        bbox,
        mediaBox: mediaBox as SignatureWidget['mediaBox'],
        runs,
        text: runs.map((r) => r.text).join(' '),
        pageText: pageShows(objects, page).map((s) => ({
          x: s.x,
          y: s.y,
          size: s.size,
          text: s.text,
        })),
      });
    }
  });
  return out;
}

/**
 * What is wrong with a widget as a reader sees it: text under 8 pt, a run outside the box or
 * the box outside its page, a box over the page's own text. Empty when it is right.
 */
export function widgetProblems(w: SignatureWidget): string[] {
  const problems: string[] = [];
  const eps = 0.01;
  const [x0, y0, x1, y1] = w.rect;
  const [m0, n0, m1, n1] = w.mediaBox;
  if (x0 < m0 - eps || y0 < n0 - eps || x1 > m1 + eps || y1 > n1 + eps)
    problems.push(
      `${w.field}: its box ${w.rect.join(' ')} is not inside the page ${w.mediaBox.join(' ')}`,
    );
  const [b0, c0, b1, c1] = w.bbox;
  if (Math.abs(b1 - b0 - (x1 - x0)) > eps || Math.abs(c1 - c0 - (y1 - y0)) > eps)
    problems.push(
      `${w.field}: the appearance is scaled (BBox ${w.bbox.join(' ')}, Rect ${w.rect.join(' ')})`,
    );
  if (!w.runs.length) problems.push(`${w.field}: no text`);
  for (const r of w.runs) {
    if (r.size < 8 - eps) problems.push(`${w.field}: "${r.text}" at ${r.size} pt`);
    if (r.x0 < b0 - eps || r.x1 > b1 + eps || r.y0 < c0 - eps || r.y1 > c1 + eps)
      problems.push(
        `${w.field}: "${r.text}" (${r.x0}..${r.x1}, ${r.y0}..${r.y1}) outside its box ${w.bbox.join(' ')}`,
      );
  }
  // The page's own text: a run's start and a cautious estimate of its extent (half an em a
  // character, under DejaVu's average, so no false alarms; pdftotext -bbox in interop is exact).
  for (const t of w.pageText) {
    const tx1 = t.x + 0.5 * t.size * [...t.text].length;
    if (t.x < x1 && tx1 > x0 && t.y - 0.2 * t.size < y1 && t.y + 0.7 * t.size > y0)
      problems.push(`${w.field}: over the page's text "${t.text}"`);
  }
  return problems;
}
