import { uncoveredChars, type FontKey } from '../fonts';
import type { Line, MeasureContext } from '../measure';
import type { Block } from '../normalise';
import { COLOURS, STYLE } from '../styles';
import type { LayoutOptions, PageLayout, PageRect, StructNode } from './types';

/**
 * The cursor every placing stage moves: the pages so far, the current y, the open sections of
 * the structure tree, and what the layout has noticed (uncovered characters, the signature
 * field). The stages (text, list, table, cover, signature) place blocks through it.
 */

const P = STYLE.page;
export const LEFT = P.margin.left;
export const WIDTH = P.width - P.margin.left - P.margin.right;
export const TOP = P.margin.top;
export const BOTTOM = P.height - P.margin.bottom;

/** Text with something other than white space (what `trim()` keeps), tested without a copy. */
const NOT_BLANK = /\S/;

export class Flow {
  pages: PageLayout[] = [];
  page!: PageLayout;
  y: number = TOP;
  readonly root: StructNode = { type: 'Document' };
  /** The open Sect elements, one per heading level 1 and 2. */
  sects: StructNode[] = [];
  signature?: PageRect;
  countersignature?: PageRect;
  signatureParent?: StructNode;
  /** The page of the `<!-- signature -->` marker (zero-based). */
  signOffPage?: number;
  /** The signature box beside the text that follows its marker, until the text passes it. */
  float?: { page: number; bottom: number; width: number };
  uncovered: { char: string; where: string }[] = [];
  private seen = new Set<string>();
  /** The nearest heading, for messages about the text. */
  where = 'the cover';
  /** Level of the last heading outside lists and tables: a run-in label is tagged one below. */
  level = 0;
  /** Headings a contents page leads to, with their destination names (contents.ts). */
  anchors = new Map<object, string>();
  /** The page (zero-based) each destination landed on. */
  destPages = new Map<string, number>();
  /** Finishes the contents page once every heading is placed (its page numbers). */
  finishers: (() => void)[] = [];
  /** The headings the contents page lists (set by the layout before placing). */
  contents: Extract<Block, { kind: 'heading' }>[] = [];

  constructor(readonly opts: LayoutOptions) {
    this.newPage();
  }

  newPage(): void {
    this.page = { ops: [], bookmarks: [], dests: [], cover: false };
    this.pages.push(this.page);
    this.y = TOP;
  }

  get atTop(): boolean {
    return this.y <= TOP + 0.01;
  }

  /** Starts a new page unless `height` still fits. */
  ensure(height: number): void {
    if (this.y + height > BOTTOM && !this.atTop) this.newPage();
  }

  node(type: string, parent: StructNode, extra: Partial<StructNode> = {}): StructNode {
    return { type, parent, ...extra };
  }

  get container(): StructNode {
    return this.sects[this.sects.length - 1] ?? this.root;
  }

  private checkCoverage(text: string, font: FontKey): void {
    for (const ch of uncoveredChars(this.opts.fonts[font], text)) {
      const key = `${ch}\u0000${this.where}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.uncovered.push({ char: ch, where: this.where });
    }
  }

  /**
   * Draws a measured line with its left edge at `x` and its text box's top at `y`; a line of a
   * right-to-left paragraph is set flush right in the column `width` wide, when given. Linked text
   * goes into a Link element inside `struct` (one per link on a page, across its lines), which
   * the render stage ties to the link annotations (PDF/UA-1 7.18.5).
   */
  drawLine(
    line: Line,
    opts: {
      x: number;
      y: number;
      size: number;
      colour: string;
      struct?: StructNode;
      width?: number;
    },
  ): void {
    const shift = line.rtl && opts.width !== undefined ? Math.max(0, opts.width - line.width) : 0;
    for (const f of line.fragments) {
      if (!f.text) continue;
      this.checkCoverage(f.text, f.font);
      const struct = opts.struct && f.link ? this.linkNode(opts.struct, f.link) : opts.struct;
      if (!f.link && NOT_BLANK.test(f.text)) this.openLink = undefined;
      // NOTE: one literal with every field (undefined when unset): spread in, the optional ones
      // went into a second, out-of-object store, kept with the page until it was drawn.
      this.page.ops.push({
        kind: 'text',
        x: opts.x + shift + f.x,
        y: opts.y,
        text: f.text,
        font: f.font,
        size: opts.size,
        colour: f.link ? COLOURS.link : opts.colour,
        width: f.width,
        link: f.link || undefined,
        runs: f.runs,
        rtl: f.rtl || undefined,
        struct,
      });
    }
  }

  /** The link being drawn, continued by the next fragment with the same target. */
  private openLink?: { parent: StructNode; url: string; page: PageLayout; node: StructNode };

  private linkNode(parent: StructNode, url: string): StructNode {
    const open = this.openLink;
    if (open && open.parent === parent && open.url === url && open.page === this.page)
      return open.node;
    const node = this.node('Link', parent, { link: url });
    this.openLink = { parent, url, page: this.page, node };
    return node;
  }

  ctx(style: { size: number }, fontOverride?: FontKey): MeasureContext {
    return { fonts: this.opts.fonts, size: style.size, ...(fontOverride ? { fontOverride } : {}) };
  }
}
