import { breakLines } from '../measure';
import type { Block, Run } from '../normalise';
import { STYLE, type TextStyle } from '../styles';
import { BOTTOM, TOP, type Flow } from './flow';
import { capKeep } from './keep';
import type { StructNode } from './types';

/** Stage: paragraphs and headings, line by line, split across pages as needed. */

/**
 * Lines of text, split across pages as needed; never a lone first line at a page bottom.
 * `keep` (labels): the whole block and that much more stay together. `keepAfter` (a lead-in or
 * a caption): the last lines are followed by that much on their page.
 */
export function placeText(
  flow: Flow,
  runs: Run[],
  o: {
    style: TextStyle;
    x: number;
    width: number;
    struct: StructNode;
    keep?: number;
    keepAfter?: number;
  },
): void {
  const { style } = o;
  const lines = breakLines(runs, flow.ctx(style), o.width);
  const lh = style.size * style.leading;
  if (!flow.atTop) flow.y += style.before;
  // No single line at the foot or the top of a page (orphans, widows): a paragraph splits
  // only with two lines or more on each side, so one of three lines or fewer never splits.
  // Labels and headings keep their whole block plus `keep` with what follows.
  const n = lines.length;
  const after = o.keepAfter ?? 0;
  const first =
    o.keep !== undefined
      ? n * lh + style.after + o.keep
      : n <= 3
        ? n * lh + (after && capKeep(after + style.after))
        : 2 * lh;
  flow.ensure(capKeep(first));
  // A paragraph of four lines or more keeps its last two with what must follow it.
  const tail = n > 3 && after ? capKeep(2 * lh + style.after + after) : 2 * lh;
  lines.forEach((line, i) => {
    const widow = n - i === 2 && flow.y + lh <= BOTTOM && flow.y + tail > BOTTOM;
    if ((flow.y + lh > BOTTOM || widow) && !flow.atTop) flow.newPage();
    flow.drawLine(line, {
      x: o.x,
      // Preformatted text (code) stays flush left whatever its direction.
      ...(style === STYLE.code ? {} : { width: o.width }),
      y: flow.y + (lh - style.size) / 2,
      size: style.size,
      colour: style.colour,
      struct: o.struct,
    });
    flow.y += lh;
  });
  flow.y += style.after;
}

/**
 * A heading, kept with what follows; levels 1 and 2 open a Sect. Inside a list item or a table
 * (`parent` given) it belongs to that element instead.
 */
export function placeHeading(
  flow: Flow,
  b: Extract<Block, { kind: 'heading' }>,
  o: { x: number; width: number; parent?: StructNode | undefined; keep?: number },
): void {
  const { x, width } = o;
  const style = STYLE.headings[b.level];
  let container = o.parent;
  if (!container) {
    if (b.level <= 2) {
      flow.sects = flow.sects.slice(0, b.level - 1);
      const sect = flow.node('Sect', flow.container);
      flow.sects.push(sect);
    }
    container = flow.container;
  }
  flow.where = b.text;
  if (!o.parent) flow.level = b.level;
  const lines = breakLines(b.runs, flow.ctx(style, style.font), width);
  const lh = style.size * style.leading;
  const ruleSpace = b.level === 1 ? STYLE.h1Rule.gap + STYLE.h1Rule.width : 0;
  if (!flow.atTop) flow.y += style.before;
  // Never the last thing on a page: the heading with the start of what follows (keep.ts).
  const keep = Math.max(STYLE.keepWithNext, o.keep ?? 0);
  flow.ensure(capKeep(lines.length * lh + ruleSpace + style.after + keep));
  if (flow.atTop && b.level > 1) flow.y = TOP;
  const struct = flow.node(`H${b.level}`, container);
  if (b.level <= 3) flow.page.bookmarks.push({ title: b.text, level: b.level, y: flow.y });
  const dest = flow.anchors.get(b);
  if (dest) {
    flow.page.dests.push({ name: dest, y: flow.y });
    flow.destPages.set(dest, flow.pages.length - 1);
  }
  for (const line of lines) {
    flow.drawLine(line, {
      x,
      width,
      y: flow.y + (lh - style.size) / 2,
      size: style.size,
      colour: style.colour,
      struct,
    });
    flow.y += lh;
  }
  if (b.level === 1) {
    flow.y += STYLE.h1Rule.gap;
    flow.page.ops.push({
      kind: 'line',
      x1: x,
      y1: flow.y,
      x2: x + width,
      y2: flow.y,
      colour: STYLE.h1Rule.colour,
      width: STYLE.h1Rule.width,
    });
    flow.y += STYLE.h1Rule.width;
  }
  flow.y += style.after;
}
