import type { Block } from '../../normalise';
import { COLOURS, MARKS, STYLE } from '../../styles';
import { BOTTOM, type Flow } from '../flow';
import type { Op, StructNode } from '../types';
import { capKeep, sizedTable, tableStart } from '../keep';
import { rowHeight, type SizedCell, type SizedTable } from './size';

/**
 * Table stage 2: placing. Rows go down the page; a row that does not fit starts a new page,
 * which repeats the header row (as an artifact: it is not a second header row).
 */

type LineOp = Extract<Op, { kind: 'line' }>;

interface RowOptions {
  cells: SizedCell[];
  x: number;
  width: number;
  header: boolean;
  struct?: StructNode;
  zebra: boolean;
  /** The table's rules on this page, drawn after every fill (a shaded row hides no rule). */
  rules: LineOp[];
}

function drawRow(flow: Flow, table: SizedTable, o: RowOptions): void {
  const t = STYLE.table;
  const { size, lh, widths } = table;
  const { cells, x, width } = o;
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
    // NOTE: a row header lets a screen reader going down a tier column say which principle
    // each "Shared" belongs to (PDF/UA-1 7.5).
    const rowHeader = !o.header && c === 0 && table.rowHeaders;
    const cellStruct = o.struct
      ? flow.node(
          o.header || rowHeader ? 'TH' : 'TD',
          o.struct,
          o.header ? { scope: 'Column' } : rowHeader ? { scope: 'Row' } : {},
        )
      : undefined;
    const colour = cell.mark ? MARKS[cell.mark].text : o.header ? COLOURS.heading : COLOURS.text;
    let ly = flow.y + t.padY;
    const hasText = cell.lines.some((l) => l.fragments.some((f) => f.text.trim()));
    if (cellStruct && !hasText) flow.page.ops.push({ kind: 'anchor', struct: cellStruct });
    for (const line of cell.lines) {
      flow.drawLine(line, {
        x: cx + t.padX,
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
    drawRow(flow, sized, {
      cells: sized.header,
      x,
      width,
      header: true,
      zebra: false,
      rules,
      ...(repeat ? {} : { struct: flow.node('TR', table) }),
    });
  };
  // The header row starts a page only with two body rows below it (a caption before the table
  // asked for the same room); a longer table then goes on after a repeated header row.
  flow.ensure(capKeep(tableStart(flow, b, { width })));
  startTable(false);
  sized.rows.forEach((cells, r) => {
    const h = rowHeight(cells, sized.lh);
    if (flow.y + h > BOTTOM) {
      flushRules();
      flow.newPage();
      startTable(true);
    }
    drawRow(flow, sized, {
      cells,
      x,
      width,
      header: false,
      struct: flow.node('TR', table),
      zebra: !b.matrix && r % 2 === 1,
      rules,
    });
  });
  flushRules();
  flow.y += b.matrix ? STYLE.matrix.legendGap : t.after;
}
