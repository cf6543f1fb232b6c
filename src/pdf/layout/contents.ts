import { textWidth } from '../fonts';
import { breakLines } from '../measure';
import type { Block } from '../normalise';
import { COLOURS, STYLE } from '../styles';
import { BOTTOM, LEFT, WIDTH, type Flow } from './flow';
import { placeHeading } from './text';
import type { Op } from './types';

/**
 * Stage: the contents page (`<!-- contents -->`). It starts a page, lists every level 1 and 2
 * heading that comes after it with the page it is on, and ends its page. Each entry is a TOCI
 * holding a Link (its title and page number) tied to a GoTo annotation that leads to a named
 * destination at the heading (PDF/UA-1 7.18.5; ISO 32000-1 14.8.4.3 TOC/TOCI).
 *
 * The entries' page numbers are not known until the rest is laid out: their height does not
 * depend on them (a number sits right-aligned in room kept for it), so each number is drawn as
 * a placeholder and filled in when the layout ends (`flow.finishers`).
 */

type Heading = Extract<Block, { kind: 'heading' }>;

/** The level 1 and 2 headings after the contents block, in order. */
export function contentsEntries(blocks: Block[], at: number): Heading[] {
  return blocks.slice(at + 1).filter((b): b is Heading => b.kind === 'heading' && b.level <= 2);
}

const C = STYLE.contents;

export function placeContents(flow: Flow, entries: Heading[]): void {
  if (!flow.atTop) flow.newPage();
  const title: Heading = {
    kind: 'heading',
    level: 1,
    text: C.title,
    runs: [{ text: C.title, font: 'bold' }],
  };
  placeHeading(flow, title, { x: LEFT, width: WIDTH });
  const toc = flow.node('TOC', flow.container);
  const right = LEFT + WIDTH;
  entries.forEach((h, i) => {
    const dest = `srq-contents-${i + 1}`;
    flow.anchors.set(h, dest);
    const top = h.level === 1;
    const style = top ? C.section : C.principle;
    const x = LEFT + (top ? 0 : C.indent);
    const lh = style.size * style.leading;
    const lines = breakLines(
      h.runs.map((r) => ({ text: r.text, font: style.font })),
      flow.ctx(style, style.font),
      right - x - C.numberRoom,
    );
    const before = top && i > 0 ? style.before : 0;
    flow.ensure(before + lines.length * lh);
    if (!flow.atTop) flow.y += before;
    const item = flow.node('TOCI', toc);
    const link = flow.node('Link', item, { link: `#${dest}` });
    const y0 = flow.y;
    const page = flow.pages.length - 1;
    for (const line of lines) {
      flow.drawLine(line, {
        x,
        y: flow.y + (lh - style.size) / 2,
        size: style.size,
        colour: COLOURS.text,
        struct: link,
      });
      flow.y += lh;
    }
    // The page number, on the entry's last line, after a space (a screen reader hears "Context
    // 4", not "Context4"); filled in once the heading is placed.
    const width = (text: string) => textWidth(flow.opts.fonts, text, style);
    const numberY = flow.y - lh + (lh - style.size) / 2;
    const number: Extract<Op, { kind: 'text' }> = {
      kind: 'text',
      x: right - width(' 0'),
      y: numberY,
      text: ' 0',
      font: style.font,
      size: style.size,
      colour: COLOURS.text,
      width: width(' 0'),
      struct: link,
    };
    flow.page.ops.push(number);
    const target = `${h.text}`;
    flow.pages[page].ops.push({
      kind: 'goto',
      x,
      y: y0,
      w: right - x,
      h: flow.y - y0,
      dest,
      contents: `Go to ${target}`,
      struct: link,
    });
    flow.finishers.push(() => {
      const at = flow.destPages.get(dest);
      if (at === undefined) return;
      const text = String(at + 1);
      number.text = ` ${text}`;
      number.width = width(number.text);
      number.x = right - number.width;
      const op = flow.pages[page].ops.find((o) => o.kind === 'goto' && o.dest === dest);
      if (op?.kind === 'goto') op.contents = `Go to ${target}, page ${text}`;
    });
    if (flow.y > BOTTOM) flow.newPage();
  });
  flow.newPage();
}
