import type { Block } from '../normalise';
import { placeBlocks } from './blocks';
import { contentsEntries } from './contents';
import { Flow, LEFT, WIDTH } from './flow';
import type { LayoutOptions, LayoutResult } from './types';

/**
 * Stage 3 of the layout: places measured blocks on pages. The result is a list of pages of
 * drawing operations, each tied to the structure element it belongs to (or none: an artifact),
 * so the render stage only draws and tags, and decides nothing.
 *
 * Its own stages, one file each: flow (the cursor and pages), blocks (dispatch), text
 * (paragraphs, headings), list, table/size then table/place, cover, signature.
 */

export type {
  Bookmark,
  LayoutOptions,
  LayoutResult,
  Op,
  PageLayout,
  PageRect,
  StructNode,
} from './types';

/** Lays out normalised blocks on A4 pages. Pure: no pdfkit here. */
export function layoutBlocks(blocks: Block[], options: LayoutOptions): LayoutResult {
  const flow = new Flow(options);
  const at = blocks.findIndex((b) => b.kind === 'contents');
  if (at >= 0) flow.contents = contentsEntries(blocks, at);
  placeBlocks(flow, blocks, { x: LEFT, width: WIDTH });
  // Page numbers of the contents page, now that every heading has its page.
  for (const finish of flow.finishers) finish();
  // A trailing page break or cover leaves an empty last page.
  const last = flow.pages[flow.pages.length - 1];
  if (
    flow.pages.length > 1 &&
    last &&
    !last.ops.length &&
    flow.signature?.page !== flow.pages.length - 1
  )
    flow.pages.pop();
  return {
    pages: flow.pages,
    ...(flow.signature ? { signature: flow.signature } : {}),
    ...(flow.countersignature ? { countersignature: flow.countersignature } : {}),
    ...(flow.signatureParent ? { signatureParent: flow.signatureParent } : {}),
    ...(flow.signOffPage !== undefined ? { signOffPage: flow.signOffPage } : {}),
    uncovered: flow.uncovered,
  };
}
