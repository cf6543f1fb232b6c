import { breakLines } from '../measure';
import type { Block } from '../normalise';
import { STYLE } from '../styles';
import { BOTTOM, TOP, type Flow } from './flow';
import { rowHeight, sizeTable, type SizedTable } from './table/size';

/**
 * Stage: keep-together. How much of the blocks after block `i` must share its page, so that
 * - a heading or a run-in label is never the last thing on a page,
 * - a lead-in paragraph (one right before a list: "It describes:") stays with its first two items,
 * - a table's caption (the heading or paragraph right before it) stays with its header row and
 *   first two rows.
 * Chains add up: a heading before a caption before a table keeps all three. A keep never asks
 * for more than KEEP_SHARE of a page, so a page is never left 80% empty for one (a table that
 * could start on the page does, and goes on after a repeated header row).
 */

/** The largest share of a page's text height a keep may ask for (leaves ≥ 25% filled). */
export const KEEP_SHARE = 0.75;

const PAGE = BOTTOM - TOP;

/** Caps a keep so that breaking for it never leaves a page ≥ 80% empty. */
export function capKeep(height: number): number {
  return Math.min(height, KEEP_SHARE * PAGE);
}

type Table = Extract<Block, { kind: 'table' }>;

const sized = new WeakMap<Table, { width: number; table: SizedTable }>();

/** The table sized for `width`, measured once for the keep and the placing stages. */
export function sizedTable(flow: Flow, b: Table, width: number): SizedTable {
  const hit = sized.get(b);
  if (hit && hit.width === width) return hit.table;
  const table = sizeTable(b, { width, ctx: (style, font) => flow.ctx(style, font) });
  sized.set(b, { width, table });
  return table;
}

/**
 * The lines a body row gets on a page of its own, below the repeated header row: a row with
 * more is split between pages (table/place.ts).
 */
export function rowLinesPerPage(t: SizedTable): number {
  const room = PAGE - rowHeight(t.header, t.lh) - STYLE.table.border - 2 * STYLE.table.padY;
  return Math.floor(room / t.lh + 1e-9);
}

/**
 * Header row and the first `rows` body rows of a table, borders included; of a row taller
 * than a page (it splits), only its first two lines.
 */
export function tableStart(
  flow: Flow,
  b: Table,
  { width, rows = 2 }: { width: number; rows?: number },
): number {
  const t = sizedTable(flow, b, width);
  let h = rowHeight(t.header, t.lh) + STYLE.table.border;
  for (const r of t.rows.slice(0, rows)) {
    if (Math.max(...r.map((c) => c.lines.length)) > rowLinesPerPage(t))
      return h + 2 * t.lh + 2 * STYLE.table.padY;
    h += rowHeight(r, t.lh);
  }
  return h;
}

/** A block that must share its page with the start of the block after it. */
export function keepsWithNext(list: Block[], i: number): boolean {
  const b = list[i];
  const next = list[i + 1];
  if (!b || !next) return false;
  if (b.kind === 'heading') return true;
  if (b.kind !== 'paragraph') return false;
  return b.label || next.kind === 'list' || next.kind === 'table';
}

function lineCount(flow: Flow, b: Extract<Block, { kind: 'paragraph' }>, width: number): number {
  const style = b.label ? STYLE.label : STYLE.body;
  return breakLines(b.runs, flow.ctx(style), width).length;
}

/** Lines of a paragraph that must open a page together: all of a short one, else two. */
const minLines = (n: number) => (n <= 3 ? n : 2);

/**
 * Height of the part of block `j` that must be on the page where it starts, with its own keep
 * when it keeps with the next block.
 */
export function startHeight(
  flow: Flow,
  at: { list: Block[]; j: number },
  { width, depth = 0 }: { width: number; depth?: number },
): number {
  const { list, j } = at;
  const b = list[j];
  if (!b || depth > 8) return 0;
  const chain = () =>
    keepsWithNext(list, j) ? startHeight(flow, { list, j: j + 1 }, { width, depth: depth + 1 }) : 0;
  switch (b.kind) {
    case 'heading': {
      const style = STYLE.headings[b.level];
      const n = breakLines(b.runs, flow.ctx(style, style.font), width).length;
      const rule = b.level === 1 ? STYLE.h1Rule.gap + STYLE.h1Rule.width : 0;
      return style.before + n * style.size * style.leading + rule + style.after + chain();
    }
    case 'paragraph': {
      const style = b.label ? STYLE.label : STYLE.body;
      const n = lineCount(flow, b, width);
      const lh = style.size * style.leading;
      if (keepsWithNext(list, j) && (b.label || n <= 3))
        return style.before + n * lh + style.after + chain();
      return style.before + minLines(n) * lh;
    }
    case 'list':
      return listStart(flow, b, width);
    case 'table':
      return tableStart(flow, b, { width });
    case 'code':
      return 2 * STYLE.code.size * STYLE.code.leading;
    default:
      return 0;
  }
}

/** The first item of a list (its opening paragraph) and the start of the second. */
export function listStart(flow: Flow, b: Extract<Block, { kind: 'list' }>, width: number): number {
  const s = STYLE.list;
  const bodyWidth = width - (b.ordered ? s.indent + 4 : s.indent);
  const lh = STYLE.body.size * STYLE.body.leading;
  let h = 0;
  b.items.slice(0, 2).forEach((item, k) => {
    const first = item[0];
    const n = first?.kind === 'paragraph' ? lineCount(flow, first, bodyWidth) : 1;
    h += (k === 0 ? Math.min(n, 6) : minLines(n)) * lh + s.itemAfter;
  });
  return h;
}

/** What must follow block `i` on its page (0 when it keeps with nothing). */
export function keepAfter(flow: Flow, at: { list: Block[]; i: number }, width: number): number {
  const { list, i } = at;
  return keepsWithNext(list, i) ? startHeight(flow, { list, j: i + 1 }, { width }) : 0;
}
