import type { Block } from '../normalise';
import { STYLE } from '../styles';
import { placeContents } from './contents';
import { placeCover } from './cover';
import type { Flow } from './flow';
import { keepAfter } from './keep';
import { placeList } from './list';
import {
  clearSignature,
  reserveSignature,
  markSignOff,
  signatureSectionHeight,
  widthBesideSignature,
} from './signature';
import { placeTable } from './table/place';
import { placeHeading, placeText } from './text';
import type { Box } from './types';

/** Stage: walks the normalised blocks and hands each to the stage that places it. */

export function placeBlocks(flow: Flow, list: Block[], box: Box): void {
  list.forEach((b, i) => {
    if (b.kind === 'heading') {
      // Keep a section that holds the signature field on one page: a field (or a signatory)
      // alone on a page reads as detached from what it signs.
      const h = signatureSectionHeight(flow, list, { start: i, width: box.width });
      if (h !== undefined) flow.ensure(h);
    }
    if (b.kind === 'heading') clearSignature(flow);
    // Paragraphs after the marker run in the column left of the signature box.
    const width = widthBesideSignature(flow, box.width);
    placeBlock(flow, b, { ...box, width, keep: keepAfter(flow, { list, i }, width) });
  });
  clearSignature(flow);
}

/** Places one block; `keep`: the height of what follows that must share its page (keep.ts). */
export function placeBlock(flow: Flow, b: Block, placement: Box & { keep?: number }): void {
  const { keep = 0, ...box } = placement;
  const parent = box.parent ?? flow.container;
  switch (b.kind) {
    case 'heading':
      placeHeading(flow, b, { ...box, keep });
      break;
    case 'paragraph':
      placeText(flow, b.label ? b.runs.map((r) => ({ ...r, font: STYLE.label.font })) : b.runs, {
        style: b.label ? STYLE.label : STYLE.body,
        x: box.x,
        width: box.width,
        // NOTE: a label outside lists and tables ("How does … adhere?", "Version history")
        // is a sub-heading to a reader: tagged one level below the heading it follows.
        struct: flow.node(b.label && !box.parent ? labelHeading(flow) : 'P', parent),
        ...(b.label
          ? { keep: Math.max(keep, STYLE.keepWithNext - 10) }
          : keep
            ? { keepAfter: keep }
            : {}),
      });
      break;
    case 'code':
      placeText(flow, [{ text: b.text, font: 'mono' }], {
        style: STYLE.code,
        x: box.x,
        width: box.width,
        struct: flow.node('P', parent),
      });
      break;
    case 'list':
      placeList(flow, b, {
        x: box.x,
        width: box.width,
        parent,
        placeBlock: (child, childBox) => placeBlock(flow, child, childBox),
      });
      break;
    case 'table':
      placeTable(flow, b, { x: box.x, width: box.width, parent });
      break;
    case 'pagebreak':
      if (!flow.atTop) flow.newPage();
      break;
    case 'rule':
      flow.y += STYLE.rule.before;
      flow.page.ops.push({
        kind: 'line',
        x1: box.x,
        y1: flow.y,
        x2: box.x + box.width,
        y2: flow.y,
        colour: STYLE.rule.colour,
        width: STYLE.rule.width,
      });
      flow.y += STYLE.rule.after;
      break;
    case 'signature':
      if (flow.opts.reserveSignature) reserveSignature(flow, box);
      else markSignOff(flow);
      break;
    case 'cover':
      placeCover(flow, b.fields);
      break;
    case 'contents':
      placeContents(flow, flow.contents);
      break;
  }
}

/** The heading tag of a run-in label: one below the last heading, H2 at least. */
function labelHeading(flow: Flow): string {
  return `H${Math.min(6, Math.max(2, flow.level + 1))}`;
}
