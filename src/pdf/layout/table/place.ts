import type { Block } from '../../normalise';
import { COLOURS, MARKS, STYLE } from '../../styles';
import { BOTTOM, type Flow } from '../flow';
import type { Op, StructNode } from '../types';
import { capKeep, rowLinesPerPage, sizedTable, tableStart } from '../keep';
import { rowHeight, type SizedCell, type SizedTable } from './size';

/**
 * Table stage 2: placing. Rows go down the page; a row that does not fit starts a new page,
 * which repeats the header row (as an artifact: it is not a second header row). A row taller
 * than a whole page is split between lines, each part under a repeated header; its cells stay
 * one TD (or TH) each in the structure tree, their text continued across the pages.
 */

type LineOp = Extract<Op, { kind: 'line' }>;

interface RowOptions {
  cells: SizedCell[];
  x: number;
  width: number;
  header: boolean;
  /** The row's cell elements (cellNodes); none for a repeated header (an artifact). */
  nodes?: StructNode[];
  /** The lines of each cell drawn here, [from, to): part of a row split across pages. */
  slice?: [number, number];
  zebra: boolean;
  /** The table's rules on this page, drawn after every fill (a shaded row hides no rule). */
  rules: LineOp[];
}

/** The cell elements of a row: TH for a header cell or a row header (PDF/UA-1 7.5), else TD. */
function cellNodes(
  flow: Flow,
  table: SizedTable,
  o: { cells: SizedCell[]; header: boolean; tr: StructNode },
): StructNode[] {
  return o.cells.map((_, c) => {
    // NOTE: a row header lets a screen reader going down a tier column say which principle
    // each "Shared" belongs to.
    const rowHeader = !o.header && c === 0 && table.rowHeaders;
    return flow.node(
      o.header || rowHeader ? 'TH' : 'TD',
      o.tr,
      o.header ? { scope: 'Column' } : rowHeader ? { scope: 'Row' } : {},
    );
  });
}

function drawRow(flow: Flow, table: SizedTable, o: RowOptions): void {
  const t = STYLE.table;
  const { size, lh, widths } = table;
  const { x, width } = o;
  const [from, to] = o.slice ?? [0, Number.POSITIVE_INFINITY];
  const cells = o.cells.map((cell) => ({ ...cell, lines: cell.lines.slice(from, to) }));
  const h = rowHeight(cells, lh);
  let cx = x;
  cells.forEach((cell, c) => {
    const w = widths[c];
    const fill = cell.mark
      ? MARKS[cell.mark].fill
      : o.header
        ? COLOURS.tableHeaderFill
        : o.zebra
          ? COLOURS.zebra
          : undefined;
    if (fill) flow.page.ops.push({ kind: 'rect', x: cx, y: flow.y, w, h, fill });
    const cellStruct = o.nodes?.[c];
    const colour = cell.mark ? MARKS[cell.mark].text : o.header ? COLOURS.heading : COLOURS.text;
    let ly = flow.y + t.padY;
    const hasText = o.cells[c].lines.some((l) => l.fragments.some((f) => f.text.trim()));
    if (cellStruct && !hasText && from === 0)
      flow.page.ops.push({ kind: 'anchor', struct: cellStruct });
    for (const line of cell.lines) {
      flow.drawLine(line, {
        x: cx + t.padX,
        width: w - 2 * t.padX,
        y: ly + (lh - size) / 2,
        size,
        colour,
        ...(cellStruct ? { struct: cellStruct } : {}),
      });
      ly += lh;
    }
    cx += w;
  });
  // Borders: a line under every row, and the vertical separators.
  o.rules.push({
    kind: 'line',
    x1: x,
    y1: flow.y + h,
    x2: x + width,
    y2: flow.y + h,
    colour: COLOURS.tableBorder,
    width: t.border,
  });
  let vx = x;
  for (let c = 0; c <= table.header.length; c++) {
    o.rules.push({
      kind: 'line',
      x1: vx,
      y1: flow.y,
      x2: vx,
      y2: flow.y + h,
      colour: COLOURS.tableBorder,
      width: t.border,
    });
    vx += widths[c] ?? 0;
  }
  flow.y += h;
}

export function placeTable(
  flow: Flow,
  b: Extract<Block, { kind: 'table' }>,
  o: { x: number; width: number; parent: StructNode },
): void {
  const t = STYLE.table;
  const { x, width } = o;
  const sized = sizedTable(flow, b, width);
  const table = flow.node('Table', o.parent);
  // NOTE: a fill drawn after a rule covers it (a zebra or matrix row hid the rule above and
  // below it), so the rules of each page are drawn once its rows are filled.
  let rules: LineOp[] = [];
  const flushRules = () => {
    flow.page.ops.push(...rules);
    rules = [];
  };
  const startTable = (repeat: boolean) => {
    rules.push({
      kind: 'line',
      x1: x,
      y1: flow.y,
      x2: x + width,
      y2: flow.y,
      colour: COLOURS.tableBorder,
      width: t.border,
    });
    // NOTE: a header repeated on a later page is a pagination artifact, not a second header row.
    const nodes = repeat
      ? undefined
      : cellNodes(flow, sized, { cells: sized.header, header: true, tr: flow.node('TR', table) });
    drawRow(flow, sized, {
      cells: sized.header,
      x,
      width,
      header: true,
      zebra: false,
      rules,
      ...(nodes ? { nodes } : {}),
    });
  };
  const breakPage = () => {
    flushRules();
    flow.newPage();
    startTable(true);
  };
  /** Whole lines of a row that fit between the cursor and the foot of the page. */
  const linesLeft = () => Math.floor((BOTTOM - flow.y - 2 * t.padY) / sized.lh + 1e-9);
  // The header row starts a page only with two body rows below it (a caption before the table
  // asked for the same room); a longer table then goes on after a repeated header row.
  flow.ensure(capKeep(tableStart(flow, b, { width })));
  startTable(false);
  const pageLines = rowLinesPerPage(sized);
  sized.rows.forEach((cells, r) => {
    const h = rowHeight(cells, sized.lh);
    const n = Math.max(...cells.map((c) => c.lines.length));
    const row = {
      cells,
      x,
      width,
      header: false,
      nodes: cellNodes(flow, sized, { cells, header: false, tr: flow.node('TR', table) }),
      zebra: !b.matrix && r % 2 === 1,
    };
    // NOTE: `rules` is a new array after each page break: read it at each call.
    if (flow.y + h <= BOTTOM) return drawRow(flow, sized, { ...row, rules });
    if (n <= pageLines) {
      breakPage();
      return drawRow(flow, sized, { ...row, rules });
    }
    // Taller than a page: split between lines, two at least on each side of a break.
    if (linesLeft() < 2) breakPage();
    for (let from = 0; from < n;) {
      let to = Math.min(n, from + Math.max(1, linesLeft()));
      if (n - to === 1 && to - from > 2) to--;
      drawRow(flow, sized, { ...row, rules, slice: [from, to] });
      from = to;
      if (from < n) breakPage();
    }
  });
  flushRules();
  flow.y += b.matrix ? STYLE.matrix.legendGap : t.after;
}
