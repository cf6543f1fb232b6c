import { breakLines } from '../measure';
import type { Block } from '../normalise';
import { STYLE, type TextStyle } from '../styles';
import type { Flow } from './flow';

/**
 * Stage: the visible signature field. The box sits at the right of the column, level with the
 * text after the `<!-- signature -->` marker (the signatory's name and role), the way a signature
 * sits beside a printed name; the section holding it is kept on one page.
 */

/** Reserves the signature box at the cursor, with the text after it running to its left. */
export function reserveSignature(flow: Flow, o: { x: number; width: number }): void {
  const s = STYLE.signature;
  // Two boxes: the provider's signature and, below it, the customer's countersignature.
  flow.ensure(boxesHeight(flow));
  markSignOff(flow);
  const height = flow.opts.signatureHeight ?? s.height;
  flow.signature = {
    page: flow.pages.length - 1,
    x: o.x + o.width - s.width,
    y: flow.y,
    width: s.width,
    height,
  };
  flow.countersignature = {
    ...flow.signature,
    y: flow.y + height + s.gap,
    height: s.reservedHeight,
  };
  flow.float = {
    page: flow.pages.length - 1,
    bottom: flow.y + boxesHeight(flow),
    width: s.width + s.gap,
  };
}

/** The two boxes one above the other, with their gaps. */
function boxesHeight(flow: Flow): number {
  const s = STYLE.signature;
  return (flow.opts.signatureHeight ?? s.height) + s.reservedHeight + 2 * s.gap;
}

/**
 * The sign-off section and its page, signed or not: `srq sign` finds them in the file (the
 * section's structure element carries the ID `srq-sign-off`) to place its boxes as build does.
 */
export function markSignOff(flow: Flow): void {
  flow.signatureParent = flow.container;
  flow.signOffPage = flow.pages.length - 1;
}

/** The column width for the next block: narrower while it runs beside the signature box. */
export function widthBesideSignature(flow: Flow, width: number): number {
  const float = flow.float;
  const beside = float && float.page === flow.pages.length - 1 && flow.y < float.bottom;
  return beside ? width - float.width : width;
}

/** Moves below the signature box, if one floats beside the text. */
export function clearSignature(flow: Flow): void {
  if (flow.float && flow.float.page === flow.pages.length - 1)
    flow.y = Math.max(flow.y, flow.float.bottom);
  flow.float = undefined;
}

/**
 * Height of the section starting at heading `start`, if it holds the signature marker (with the
 * box when one is reserved; without, the sign-off still stays with its signatory).
 */
export function signatureSectionHeight(
  flow: Flow,
  list: Block[],
  o: { start: number; width: number },
): number | undefined {
  const { start, width } = o;
  const head = list[start] as Extract<Block, { kind: 'heading' }>;
  // NOTE: called for every heading; most sections hold no marker, so look before measuring
  // (breaking each section's paragraphs for every heading was ~14% of a warm build, issue 15).
  if (!holdsMarker(list, start, head.level)) return undefined;
  const s = STYLE.signature;
  const paragraph = (b: Extract<Block, { kind: 'paragraph' }>, w: number): number => {
    const style = b.label ? STYLE.label : STYLE.body;
    return (
      breakLines(b.runs, flow.ctx(style), w).length * style.size * style.leading +
      style.after +
      style.before
    );
  };
  const hs: TextStyle = STYLE.headings[head.level];
  const ruleSpace = head.level === 1 ? STYLE.h1Rule.gap + STYLE.h1Rule.width : 0;
  let height =
    (flow.atTop ? 0 : hs.before) +
    breakLines(head.runs, flow.ctx(hs, hs.font), width).length * hs.size * hs.leading +
    ruleSpace +
    hs.after;
  let marker = -1;
  let beside = 0;
  for (let i = start + 1; i < list.length; i++) {
    const b = list[i];
    if (b.kind === 'heading' && b.level <= head.level) break;
    if (b.kind === 'signature') marker = i;
    else if (b.kind !== 'paragraph') return undefined;
    else if (marker < 0 || !flow.opts.reserveSignature) height += paragraph(b, width);
    else beside += paragraph(b, width - s.width - s.gap);
  }
  if (marker < 0) return undefined;
  // Two boxes: the provider's signature and, below it, the customer's countersignature.
  return flow.opts.reserveSignature ? height + Math.max(beside, boxesHeight(flow)) : height;
}

/** Whether the section from heading `start` holds the signature marker and only paragraphs. */
function holdsMarker(list: Block[], start: number, level: number): boolean {
  let marker = false;
  for (let i = start + 1; i < list.length; i++) {
    const b = list[i];
    if (b.kind === 'heading' && b.level <= level) break;
    if (b.kind === 'signature') marker = true;
    else if (b.kind !== 'paragraph') return false;
  }
  return marker;
}
