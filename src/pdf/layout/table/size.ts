import type { FontKey } from '../../fonts';
import { breakLines, naturalWidths, type Line, type MeasureContext } from '../../measure';
import { plainText, type Block, type Run } from '../../normalise';
import type { Responsibility } from '../../../answers/schema';
import { markOf as markOfText } from '../../../render/marks';
import { STYLE } from '../../styles';

/**
 * Table stage 1: sizes. Font size, column widths and every cell's lines, before anything is
 * placed, so the placing stage knows each row's height.
 */

type TableBlock = Extract<Block, { kind: 'table' }>;

export interface SizedCell {
  runs: Run[];
  /** The responsibility mark the cell shows, in a matrix. */
  mark: Responsibility | undefined;
  lines: Line[];
}

export interface SizedTable {
  size: number;
  /** Line height. */
  lh: number;
  widths: number[];
  /** The first column names each row: its cells are TH with /Scope /Row. */
  rowHeaders: boolean;
  header: SizedCell[];
  rows: SizedCell[][];
}

export function markOf(runs: Run[]): Responsibility | undefined {
  return markOfText(plainText(runs));
}

/** Height of a row of sized cells, padding included. */
export function rowHeight(cells: SizedCell[], lh: number): number {
  return Math.max(...cells.map((c) => c.lines.length)) * lh + 2 * STYLE.table.padY;
}

type Ctx = (style: { size: number }, font?: FontKey) => MeasureContext;

export function sizeTable(b: TableBlock, o: { width: number; ctx: Ctx }): SizedTable {
  const t = STYLE.table;
  const { width, ctx } = o;
  // Many tiers: a smaller size keeps every mark on one line.
  const size = b.matrix
    ? b.header.length > 5
      ? STYLE.matrix.sizeMany
      : STYLE.matrix.size
    : t.size;
  const cols = b.header.length;
  // A matrix whose first header cell is itself a mark is a legend: equal columns.
  const legend = b.matrix && b.header[0] !== undefined && markOf(b.header[0]) !== undefined;
  const widths = legend
    ? b.header.map(() => width / cols)
    : b.matrix
      ? matrixWidths(b, { width, size, ctx })
      : columnWidths(b, { width, size, ctx });
  const measure = (cells: Run[][], header: boolean): SizedCell[] =>
    cells.map((runs, c) => {
      // In a matrix, any cell (header cells too: the legend) whose text is a mark is coloured.
      const mark = b.matrix ? markOf(runs) : undefined;
      const font: FontKey | undefined = header
        ? t.headerFont
        : mark
          ? STYLE.matrix.markFont
          : undefined;
      return { runs, mark, lines: breakLines(runs, ctx({ size }, font), widths[c] - 2 * t.padX) };
    });
  return {
    size,
    lh: size * t.leading,
    widths,
    rowHeaders: b.rowHeaders || (b.matrix && !legend),
    header: measure(b.header, true),
    rows: b.rows.map((r) => measure(r, false)),
  };
}

/** First column for the item, equal columns for the tiers, each tier column wide enough for its longest word. */
function matrixWidths(b: TableBlock, o: { width: number; size: number; ctx: Ctx }): number[] {
  const { width, size, ctx } = o;
  const cols = b.header.length;
  if (cols <= 1) return [width];
  const t = STYLE.table;
  let minTier = 0;
  for (const row of [b.header, ...b.rows]) {
    row.forEach((runs, c) => {
      if (c === 0) return;
      minTier = Math.max(
        minTier,
        naturalWidths(runs, ctx({ size }, STYLE.matrix.markFont)).min + 2 * t.padX + 1,
      );
    });
  }
  const first = Math.max(
    width * STYLE.matrix.minFirstColumnShare,
    Math.min(width * STYLE.matrix.firstColumnShare, width - minTier * (cols - 1)),
  );
  const rest = (width - first) / (cols - 1);
  return [first, ...Array.from({ length: cols - 1 }, () => rest)];
}

function columnWidths(b: TableBlock, o: { width: number; size: number; ctx: Ctx }): number[] {
  const { width, size, ctx } = o;
  const t = STYLE.table;
  const cols = b.header.length;
  const min = new Array<number>(cols).fill(t.minColumn);
  const max = new Array<number>(cols).fill(t.minColumn);
  const note = (runs: Run[], c: number, font?: FontKey) => {
    const n = naturalWidths(runs, ctx({ size }, font));
    min[c] = Math.max(min[c], Math.min(n.min + 2 * t.padX, width / cols));
    max[c] = Math.max(max[c], n.max + 2 * t.padX);
  };
  b.header.forEach((runs, c) => note(runs, c, t.headerFont));
  for (const row of b.rows) row.forEach((runs, c) => c < cols && note(runs, c));
  const sumMax = max.reduce((a, v) => a + v, 0);
  if (sumMax <= width) return max.map((v) => v + ((width - sumMax) * v) / sumMax);
  // NOTE: a narrow column (a date, a reference) keeps its widest cell on one line when the
  // others can still have their widest word: wrapping "14 March 2028" costs a line per row.
  const narrow = max.map((v) => v <= width * STYLE.table.narrowShare);
  const narrowSum = max.reduce((a, v, c) => a + (narrow[c] ? v : 0), 0);
  const wideMin = min.reduce((a, v, c) => a + (narrow[c] ? 0 : v), 0);
  const fixed = narrow.some(Boolean) && narrow.some((n) => !n) && narrowSum + wideMin <= width;
  const share = (cols: number[], room: number): number[] => {
    const sumMin = cols.reduce((a, c) => a + min[c], 0);
    if (sumMin >= room) return cols.map((c) => (min[c] * room) / sumMin);
    const sumSlack = cols.reduce((a, c) => a + max[c] - min[c], 0);
    return cols.map((c) => min[c] + ((room - sumMin) * (max[c] - min[c])) / sumSlack);
  };
  const all = max.map((_, c) => c);
  if (!fixed) return share(all, width);
  const wide = all.filter((c) => !narrow[c]);
  const wideWidths = share(wide, width - narrowSum);
  return all.map((c) => (narrow[c] ? max[c] : wideWidths[wide.indexOf(c)]));
}
