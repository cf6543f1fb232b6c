import { breakLines } from '../measure';
import type { Block } from '../normalise';
import { COLOURS, STYLE } from '../styles';
import type { Flow } from './flow';
import { keepAfter } from './keep';
import { placeText } from './text';
import type { Box, StructNode } from './types';

/** Stage: lists (L, LI, Lbl, LBody), nested lists indented one level per depth. */

/** ListNumbering of an unordered list by depth, matching STYLE.list.bullets (•, ▪, ◦). */
const BULLET_NUMBERING = ['Disc', 'Square', 'Circle'] as const;

export interface ListOptions {
  x: number;
  width: number;
  parent: StructNode;
  depth?: number;
  /** Places any other block inside an item (passed in, so list and blocks import no cycle). */
  placeBlock: (b: Block, box: Box) => void;
}

export function placeList(flow: Flow, b: Extract<Block, { kind: 'list' }>, o: ListOptions): void {
  const { x, width, parent } = o;
  const depth = o.depth ?? 0;
  const L = flow.node('L', parent, {
    listNumbering: b.ordered ? 'Decimal' : BULLET_NUMBERING[depth % 3],
  });
  const s = STYLE.list;
  const labelWidth = b.ordered ? s.indent + 4 : s.indent;
  const bodyX = x + labelWidth;
  const bodyWidth = width - labelWidth;
  const lh = STYLE.body.size * STYLE.body.leading;
  b.items.forEach((item, i) => {
    const li = flow.node('LI', L);
    const lbl = flow.node('Lbl', li);
    const body = flow.node('LBody', li);
    const first = item[0];
    const firstLines =
      first?.kind === 'paragraph'
        ? breakLines(first.runs, flow.ctx(STYLE.body), bodyWidth).length
        : 1;
    // The label sits on the body's first line: make room for it before drawing either.
    flow.ensure(Math.min(firstLines, 2) * lh);
    const label = b.ordered ? `${b.start + i}.` : s.bullets[depth % s.bullets.length];
    const labelLine = breakLines(
      [{ text: label, font: 'regular' }],
      flow.ctx(STYLE.body),
      labelWidth,
    )[0];
    flow.drawLine(labelLine, {
      x: x + (b.ordered ? 0 : 3),
      y: flow.y + (lh - STYLE.body.size) / 2,
      size: STYLE.body.size,
      colour: COLOURS.accent,
      struct: lbl,
    });
    if (!item.length) flow.y += lh;
    item.forEach((child, k) => {
      if (child.kind === 'list')
        placeList(flow, child, {
          ...o,
          x: bodyX,
          width: bodyWidth,
          parent: body,
          depth: depth + 1,
        });
      else if (child.kind === 'paragraph') {
        const style = {
          ...STYLE.body,
          after: k === item.length - 1 ? s.itemAfter : STYLE.body.after,
        };
        // A lead-in inside an item keeps with its nested list too.
        const keep = keepAfter(flow, { list: item, i: k }, bodyWidth);
        placeText(flow, child.runs, {
          style,
          x: bodyX,
          width: bodyWidth,
          struct: flow.node('P', body),
          ...(keep ? { keepAfter: keep } : {}),
        });
      } else o.placeBlock(child, { x: bodyX, width: bodyWidth, parent: body });
    });
  });
  if (depth === 0) flow.y += STYLE.body.after - s.itemAfter;
}
