import { oneLine } from '../errors';
import { describeChar, uncoveredChars, type FontKey, type FontSet } from './fonts';
import type { ImageInfo } from './image';
import { breakLines, naturalWidths, type Line, type MeasureContext } from './measure';
import { plainText, type Block, type Run } from './normalise';
import { COLOURS, MARKS, STYLE, type TextStyle } from './styles';

/**
 * Stage 3 of the layout: places measured blocks on pages. The result is a list of pages of
 * drawing operations, each tied to the structure element it belongs to (or none: an artifact),
 * so the render stage only draws and tags, and decides nothing.
 */

/** A node of the tagged structure tree; the render stage creates the PDF element on first use. */
export interface StructNode {
  type: string;
  parent?: StructNode;
  alt?: string;
  scope?: 'Column' | 'Row';
}

export type Op =
  | {
      kind: 'text';
      x: number;
      /** Top of the line box. */
      y: number;
      text: string;
      font: FontKey;
      size: number;
      colour: string;
      width: number;
      link?: string;
      struct?: StructNode;
    }
  | {
      kind: 'rect';
      x: number;
      y: number;
      w: number;
      h: number;
      fill?: string;
      stroke?: string;
      lineWidth?: number;
    }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; colour: string; width: number }
  | { kind: 'image'; x: number; y: number; w: number; h: number; struct: StructNode }
  /** Creates an element with no content (an empty table cell) so the tree keeps its shape. */
  | { kind: 'anchor'; struct: StructNode };

export interface Bookmark {
  title: string;
  level: number;
  y: number;
}

export interface PageLayout {
  ops: Op[];
  bookmarks: Bookmark[];
  /** The cover carries no running header or footer. */
  cover: boolean;
}

/** A rectangle on a page, in PDF points from the top-left corner (pdfkit's coordinates). */
export interface PageRect {
  /** Zero-based page index. */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutResult {
  pages: PageLayout[];
  /** Where the visible signature field goes, when one was asked for. */
  signature?: PageRect;
  /** The customer's countersignature field, reserved below the signature box. */
  countersignature?: PageRect;
  /** Characters the embedded fonts cannot draw, with the nearest heading. */
  uncovered: { char: string; where: string }[];
}

export interface LayoutOptions {
  fonts: FontSet;
  logo?: { info: ImageInfo; alt: string };
  /** Reserve the signature field at the `<!-- signature -->` marker. */
  reserveSignature?: boolean;
}

const P = STYLE.page;
const LEFT = P.margin.left;
const WIDTH = P.width - P.margin.left - P.margin.right;
const TOP = P.margin.top;
const BOTTOM = P.height - P.margin.bottom;

class Layouter {
  pages: PageLayout[] = [];
  page!: PageLayout;
  y: number = TOP;
  readonly root: StructNode = { type: 'Document' };
  private sects: StructNode[] = [];
  signature?: PageRect;
  countersignature?: PageRect;
  /** The signature box beside the text that follows its marker, until the text passes it. */
  private float?: { page: number; bottom: number; width: number };
  uncovered: { char: string; where: string }[] = [];
  private seen = new Set<string>();
  private where = 'the cover';

  constructor(private readonly opts: LayoutOptions) {
    this.newPage();
  }

  newPage(): void {
    this.page = { ops: [], bookmarks: [], cover: false };
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

  /** Draws measured lines at the cursor's x offset; the cursor moves to below them. */
  drawLine(
    line: Line,
    opts: { x: number; y: number; size: number; colour: string; struct?: StructNode },
  ): void {
    for (const f of line.fragments) {
      if (!f.text) continue;
      this.checkCoverage(f.text, f.font);
      this.page.ops.push({
        kind: 'text',
        x: opts.x + f.x,
        y: opts.y,
        text: f.text,
        font: f.font,
        size: opts.size,
        colour: f.link ? COLOURS.link : opts.colour,
        width: f.width,
        ...(f.link ? { link: f.link } : {}),
        ...(opts.struct ? { struct: opts.struct } : {}),
      });
    }
  }

  ctx(style: { size: number }, fontOverride?: FontKey): MeasureContext {
    return { fonts: this.opts.fonts, size: style.size, ...(fontOverride ? { fontOverride } : {}) };
  }

  /** Lines of text, split across pages as needed; never a lone first line at a page bottom. */
  textBlock(
    runs: Run[],
    style: TextStyle,
    o: { x: number; width: number; struct: StructNode; keep?: number },
  ): void {
    const lines = breakLines(runs, this.ctx(style), o.width);
    const lh = style.size * style.leading;
    if (!this.atTop) this.y += style.before;
    // Keep the first two lines together (or the whole block plus `keep` for labels and headings).
    const first =
      o.keep !== undefined ? lines.length * lh + o.keep : Math.min(lines.length, 2) * lh;
    this.ensure(first);
    for (const line of lines) {
      if (this.y + lh > BOTTOM && !this.atTop) this.newPage();
      this.drawLine(line, {
        x: o.x,
        y: this.y + (lh - style.size) / 2,
        size: style.size,
        colour: style.colour,
        struct: o.struct,
      });
      this.y += lh;
    }
    this.y += style.after;
  }

  heading(
    b: Extract<Block, { kind: 'heading' }>,
    x: number,
    width: number,
    parent?: StructNode,
  ): void {
    const style = STYLE.headings[b.level];
    let container = parent;
    if (!container) {
      if (b.level <= 2) {
        this.sects = this.sects.slice(0, b.level - 1);
        const sect = this.node('Sect', this.container);
        this.sects.push(sect);
      }
      container = this.container;
    }
    this.where = b.text;
    const lines = breakLines(b.runs, this.ctx(style, style.font), width);
    const lh = style.size * style.leading;
    const ruleSpace = b.level === 1 ? STYLE.h1Rule.gap + STYLE.h1Rule.width : 0;
    if (!this.atTop) this.y += style.before;
    this.ensure(lines.length * lh + ruleSpace + style.after + STYLE.keepWithNext);
    if (this.atTop && b.level > 1) this.y = TOP;
    const struct = this.node(`H${b.level}`, container);
    if (b.level <= 3) this.page.bookmarks.push({ title: b.text, level: b.level, y: this.y });
    for (const line of lines) {
      this.drawLine(line, {
        x,
        y: this.y + (lh - style.size) / 2,
        size: style.size,
        colour: style.colour,
        struct,
      });
      this.y += lh;
    }
    if (b.level === 1) {
      this.y += STYLE.h1Rule.gap;
      this.page.ops.push({
        kind: 'line',
        x1: x,
        y1: this.y,
        x2: x + width,
        y2: this.y,
        colour: STYLE.h1Rule.colour,
        width: STYLE.h1Rule.width,
      });
      this.y += STYLE.h1Rule.width;
    }
    this.y += style.after;
  }

  blocks(list: Block[], o: { x: number; width: number; parent?: StructNode }): void {
    list.forEach((b, i) => {
      if (b.kind === 'heading' && this.opts.reserveSignature) {
        // Keep a section that holds the signature field on one page: a field alone on a page
        // reads as detached from what it signs.
        const h = this.signatureSectionHeight(list, i, o.width);
        if (h !== undefined) this.ensure(h);
      }
      if (b.kind === 'heading') this.clearFloat();
      const float = this.float;
      const beside = float && float.page === this.pages.length - 1 && this.y < float.bottom;
      // Paragraphs after the marker run in the column left of the signature box.
      this.block(b, beside ? { ...o, width: o.width - float.width } : o);
    });
    this.clearFloat();
  }

  /** Moves below the signature box, if one floats beside the text. */
  private clearFloat(): void {
    if (this.float && this.float.page === this.pages.length - 1)
      this.y = Math.max(this.y, this.float.bottom);
    this.float = undefined;
  }

  /** Height of the section starting at heading `start`, if it holds the signature marker. */
  private signatureSectionHeight(list: Block[], start: number, width: number): number | undefined {
    const head = list[start] as Extract<Block, { kind: 'heading' }>;
    const s = STYLE.signature;
    const paragraph = (b: Extract<Block, { kind: 'paragraph' }>, w: number): number => {
      const style = b.label ? STYLE.label : STYLE.body;
      return (
        breakLines(b.runs, this.ctx(style), w).length * style.size * style.leading +
        style.after +
        style.before
      );
    };
    const hs: TextStyle = STYLE.headings[head.level];
    const ruleSpace = head.level === 1 ? STYLE.h1Rule.gap + STYLE.h1Rule.width : 0;
    let height =
      (this.atTop ? 0 : hs.before) +
      breakLines(head.runs, this.ctx(hs, hs.font), width).length * hs.size * hs.leading +
      ruleSpace +
      hs.after;
    let marker = -1;
    let beside = 0;
    for (let i = start + 1; i < list.length; i++) {
      const b = list[i];
      if (b.kind === 'heading' && b.level <= head.level) break;
      if (b.kind === 'signature') marker = i;
      else if (b.kind !== 'paragraph') return undefined;
      else if (marker < 0) height += paragraph(b, width);
      else beside += paragraph(b, width - s.width - s.gap);
    }
    if (marker < 0) return undefined;
    // Two boxes: the provider's signature and, below it, the customer's countersignature.
    return height + Math.max(beside, 2 * (s.height + s.gap));
  }

  block(b: Block, o: { x: number; width: number; parent?: StructNode }): void {
    const parent = o.parent ?? this.container;
    switch (b.kind) {
      case 'heading':
        this.heading(b, o.x, o.width, o.parent);
        break;
      case 'paragraph': {
        const style = b.label ? STYLE.label : STYLE.body;
        this.textBlock(
          b.label ? b.runs.map((r) => ({ ...r, font: STYLE.label.font })) : b.runs,
          style,
          {
            x: o.x,
            width: o.width,
            struct: this.node('P', parent),
            ...(b.label ? { keep: STYLE.keepWithNext - 10 } : {}),
          },
        );
        break;
      }
      case 'code':
        this.textBlock([{ text: b.text, font: 'mono' }], STYLE.code, {
          x: o.x,
          width: o.width,
          struct: this.node('P', parent),
        });
        break;
      case 'list':
        this.list(b, o.x, o.width, parent);
        break;
      case 'table':
        this.table(b, o.x, o.width, parent);
        break;
      case 'pagebreak':
        if (!this.atTop) this.newPage();
        break;
      case 'rule':
        this.y += STYLE.rule.before;
        this.page.ops.push({
          kind: 'line',
          x1: o.x,
          y1: this.y,
          x2: o.x + o.width,
          y2: this.y,
          colour: STYLE.rule.colour,
          width: STYLE.rule.width,
        });
        this.y += STYLE.rule.after;
        break;
      case 'signature':
        if (this.opts.reserveSignature) {
          // The box sits at the right of the column, level with the text after the marker
          // (the signatory's name and role), the way a signature sits beside a printed name.
          const s = STYLE.signature;
          this.ensure(2 * (s.height + s.gap));
          this.signature = {
            page: this.pages.length - 1,
            x: o.x + o.width - s.width,
            y: this.y,
            width: s.width,
            height: s.height,
          };
          this.countersignature = { ...this.signature, y: this.y + s.height + s.gap };
          this.float = {
            page: this.pages.length - 1,
            bottom: this.y + 2 * (s.height + s.gap),
            width: s.width + s.gap,
          };
        }
        break;
      case 'cover':
        this.cover(b.fields);
        break;
    }
  }

  list(
    b: Extract<Block, { kind: 'list' }>,
    x: number,
    width: number,
    parent: StructNode,
    depth = 0,
  ): void {
    const L = this.node('L', parent);
    const s = STYLE.list;
    const labelWidth = b.ordered ? s.indent + 4 : s.indent;
    const bodyX = x + labelWidth;
    const bodyWidth = width - labelWidth;
    const lh = STYLE.body.size * STYLE.body.leading;
    b.items.forEach((item, i) => {
      const li = this.node('LI', L);
      const lbl = this.node('Lbl', li);
      const body = this.node('LBody', li);
      const first = item[0];
      const firstLines =
        first?.kind === 'paragraph'
          ? breakLines(first.runs, this.ctx(STYLE.body), bodyWidth).length
          : 1;
      // The label sits on the body's first line: make room for it before drawing either.
      this.ensure(Math.min(firstLines, 2) * lh);
      const label = b.ordered ? `${b.start + i}.` : s.bullets[depth % s.bullets.length];
      const labelLine = breakLines(
        [{ text: label, font: 'regular' }],
        this.ctx(STYLE.body),
        labelWidth,
      )[0];
      this.drawLine(labelLine, {
        x: x + (b.ordered ? 0 : 3),
        y: this.y + (lh - STYLE.body.size) / 2,
        size: STYLE.body.size,
        colour: COLOURS.accent,
        struct: lbl,
      });
      if (!item.length) this.y += lh;
      item.forEach((child, k) => {
        if (child.kind === 'list') this.list(child, bodyX, bodyWidth, body, depth + 1);
        else if (child.kind === 'paragraph') {
          const style = {
            ...STYLE.body,
            after: k === item.length - 1 ? s.itemAfter : STYLE.body.after,
          };
          this.textBlock(child.runs, style, {
            x: bodyX,
            width: bodyWidth,
            struct: this.node('P', body),
          });
        } else this.block(child, { x: bodyX, width: bodyWidth, parent: body });
      });
    });
    if (depth === 0) this.y += STYLE.body.after - s.itemAfter;
  }

  table(b: Extract<Block, { kind: 'table' }>, x: number, width: number, parent: StructNode): void {
    const t = STYLE.table;
    // Many tiers: a smaller size keeps every mark on one line.
    const size = b.matrix
      ? b.header.length > 5
        ? STYLE.matrix.sizeMany
        : STYLE.matrix.size
      : t.size;
    const lh = size * t.leading;
    const cols = b.header.length;
    // A matrix whose first header cell is itself a mark is a legend: equal columns.
    const legend = b.matrix && b.header[0] !== undefined && markOf(b.header[0]) !== undefined;
    const widths = legend
      ? b.header.map(() => width / cols)
      : b.matrix
        ? this.matrixWidths(b, width, size)
        : this.columnWidths(b, width, size);
    const table = this.node('Table', parent);
    const measure = (cells: Run[][], header: boolean) =>
      cells.map((runs, c) => {
        // In a matrix, any cell (header cells too: the legend) whose text is a mark is coloured.
        const mark = b.matrix ? markOf(runs) : undefined;
        const font: FontKey | undefined = header
          ? t.headerFont
          : mark
            ? STYLE.matrix.markFont
            : undefined;
        return {
          runs,
          mark,
          lines: breakLines(runs, this.ctx({ size }, font), widths[c] - 2 * t.padX),
        };
      });
    const headerCells = measure(b.header, true);
    const rowHeight = (cells: { lines: Line[] }[]) =>
      Math.max(...cells.map((c) => c.lines.length)) * lh + 2 * t.padY;
    const headerH = rowHeight(headerCells);
    const bodyRows = b.rows.map((r) => measure(r, false));
    const drawRow = (
      cells: ReturnType<typeof measure>,
      opts: { header: boolean; struct?: StructNode; zebra: boolean },
    ) => {
      const h = rowHeight(cells);
      let cx = x;
      cells.forEach((cell, c) => {
        const w = widths[c];
        const fill = cell.mark
          ? MARKS[cell.mark].fill
          : opts.header
            ? COLOURS.tableHeaderFill
            : opts.zebra
              ? COLOURS.zebra
              : undefined;
        if (fill) this.page.ops.push({ kind: 'rect', x: cx, y: this.y, w, h, fill });
        const cellStruct = opts.struct
          ? this.node(
              opts.header ? 'TH' : 'TD',
              opts.struct,
              opts.header ? { scope: 'Column' } : {},
            )
          : undefined;
        const colour = cell.mark
          ? MARKS[cell.mark].text
          : opts.header
            ? COLOURS.heading
            : COLOURS.text;
        let ly = this.y + t.padY;
        const hasText = cell.lines.some((l) => l.fragments.some((f) => f.text.trim()));
        if (cellStruct && !hasText) this.page.ops.push({ kind: 'anchor', struct: cellStruct });
        for (const line of cell.lines) {
          this.drawLine(line, {
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
      this.page.ops.push({
        kind: 'line',
        x1: x,
        y1: this.y + h,
        x2: x + width,
        y2: this.y + h,
        colour: COLOURS.tableBorder,
        width: t.border,
      });
      let vx = x;
      for (let c = 0; c <= cols; c++) {
        this.page.ops.push({
          kind: 'line',
          x1: vx,
          y1: this.y,
          x2: vx,
          y2: this.y + h,
          colour: COLOURS.tableBorder,
          width: t.border,
        });
        vx += widths[c] ?? 0;
      }
      this.y += h;
    };
    const startTable = (repeat: boolean) => {
      this.page.ops.push({
        kind: 'line',
        x1: x,
        y1: this.y,
        x2: x + width,
        y2: this.y,
        colour: COLOURS.tableBorder,
        width: t.border,
      });
      // NOTE: a header repeated on a later page is a pagination artifact, not a second header row.
      drawRow(headerCells, {
        header: true,
        zebra: false,
        ...(repeat ? {} : { struct: this.node('TR', table) }),
      });
    };
    this.ensure(headerH + (bodyRows[0] ? rowHeight(bodyRows[0]) : 0));
    startTable(false);
    bodyRows.forEach((cells, r) => {
      const h = rowHeight(cells);
      if (this.y + h > BOTTOM) {
        this.newPage();
        startTable(true);
      }
      drawRow(cells, {
        header: false,
        struct: this.node('TR', table),
        zebra: !b.matrix && r % 2 === 1,
      });
    });
    this.y += b.matrix ? STYLE.matrix.legendGap : t.after;
  }

  /** First column for the item, equal columns for the tiers, each tier column wide enough for its longest word. */
  private matrixWidths(
    b: Extract<Block, { kind: 'table' }>,
    width: number,
    size: number,
  ): number[] {
    const cols = b.header.length;
    if (cols <= 1) return [width];
    const t = STYLE.table;
    let minTier = 0;
    for (const row of [b.header, ...b.rows]) {
      row.forEach((runs, c) => {
        if (c === 0) return;
        minTier = Math.max(
          minTier,
          naturalWidths(runs, this.ctx({ size }, STYLE.matrix.markFont)).min + 2 * t.padX + 1,
        );
      });
    }
    const first = Math.max(
      width * STYLE.matrix.minFirstColumnShare,
      Math.min(width * STYLE.matrix.firstColumnShare, width - minTier * (cols - 1)),
    );
    const rest = (width - first) / (cols - 1);
    return [first, ...Array.from({ length: cols - 1 }, () => rest)];
  }

  private columnWidths(
    b: Extract<Block, { kind: 'table' }>,
    width: number,
    size: number,
  ): number[] {
    const t = STYLE.table;
    const cols = b.header.length;
    const min = new Array<number>(cols).fill(t.minColumn);
    const max = new Array<number>(cols).fill(t.minColumn);
    const note = (runs: Run[], c: number, font?: FontKey) => {
      const n = naturalWidths(runs, this.ctx({ size }, font));
      min[c] = Math.max(min[c], Math.min(n.min + 2 * t.padX, width / cols));
      max[c] = Math.max(max[c], n.max + 2 * t.padX);
    };
    b.header.forEach((runs, c) => note(runs, c, t.headerFont));
    for (const row of b.rows) row.forEach((runs, c) => c < cols && note(runs, c));
    const sumMax = max.reduce((a, v) => a + v, 0);
    if (sumMax <= width) return max.map((v) => v + ((width - sumMax) * v) / sumMax);
    const sumMin = min.reduce((a, v) => a + v, 0);
    if (sumMin >= width) return min.map((v) => (v * width) / sumMin);
    const slack = max.map((v, c) => v - min[c]);
    const sumSlack = slack.reduce((a, v) => a + v, 0);
    return min.map((v, c) => v + ((width - sumMin) * slack[c]) / sumSlack);
  }

  cover(fields: Record<string, Run[]>): void {
    const c = STYLE.cover;
    this.page.cover = true;
    const sect = this.node('Sect', this.root);
    this.page.ops.push({
      kind: 'rect',
      x: 0,
      y: 0,
      w: P.width,
      h: c.bandHeight,
      fill: COLOURS.coverBand,
    });
    this.page.ops.push({
      kind: 'rect',
      x: 0,
      y: P.height - c.bandHeight,
      w: P.width,
      h: c.bandHeight,
      fill: COLOURS.coverBand,
    });
    let y = 70;
    if (this.opts.logo) {
      const { info, alt } = this.opts.logo;
      const scale = Math.min(c.logoMaxWidth / info.width, c.logoMaxHeight / info.height, 1);
      const w = info.width * scale;
      const h = info.height * scale;
      this.page.ops.push({
        kind: 'image',
        x: LEFT,
        y,
        w,
        h,
        struct: this.node('Figure', sect, { alt }),
      });
    }
    y = c.titleTop;
    const put = (key: string, style: TextStyle, type = 'P') => {
      const runs = fields[key];
      if (!runs?.length) return;
      const struct = this.node(type, sect);
      const lh = style.size * style.leading;
      for (const line of breakLines(runs, this.ctx(style, style.font), WIDTH)) {
        this.drawLine(line, {
          x: LEFT,
          y: y + (lh - style.size) / 2,
          size: style.size,
          colour: style.colour,
          struct,
        });
        y += lh;
      }
      y += style.after;
    };
    const st = (
      size: number,
      font: FontKey,
      colour: string,
      after: number,
      leading = 1.25,
    ): TextStyle => ({ font, size, leading, colour, before: 0, after });
    put('title', st(c.titleSize, 'bold', COLOURS.heading, 10, 1.15), 'H1');
    put('subtitle', st(c.subtitleSize, 'regular', COLOURS.accent, 18));
    this.page.ops.push({ kind: 'rect', x: LEFT, y, w: 60, h: 3, fill: COLOURS.accent });
    y += 22;
    put('provider', st(c.providerSize, 'bold', COLOURS.text, 4));
    put('service', st(c.serviceSize, 'regular', COLOURS.text, 4));
    y = Math.max(y + 40, 600);
    put('prepared-for', st(12, 'bold', COLOURS.text, 2));
    put('reference', st(c.metaSize, 'regular', COLOURS.text, 14));
    put('date', st(c.metaSize, 'regular', COLOURS.muted, 2));
    put('version', st(c.metaSize, 'regular', COLOURS.muted, 2));
    put('classification', st(11, 'bold', COLOURS.text, 2));
    this.newPage();
  }
}

function markOf(runs: Run[]): string | undefined {
  const text = plainText(runs).trim().toLowerCase();
  const key = text === 'not applicable' ? 'n/a' : text;
  return key in MARKS ? key : undefined;
}

/** Lays out normalised blocks on A4 pages. Pure: no pdfkit here. */
export function layoutBlocks(blocks: Block[], options: LayoutOptions): LayoutResult {
  const l = new Layouter(options);
  l.blocks(blocks, { x: LEFT, width: WIDTH });
  // A trailing page break or cover leaves an empty last page.
  const last = l.pages[l.pages.length - 1];
  if (l.pages.length > 1 && last && !last.ops.length && l.signature?.page !== l.pages.length - 1)
    l.pages.pop();
  return {
    pages: l.pages,
    ...(l.signature ? { signature: l.signature } : {}),
    ...(l.countersignature ? { countersignature: l.countersignature } : {}),
    uncovered: l.uncovered,
  };
}

export function describeUncovered(u: { char: string; where: string }): string {
  return `${oneLine(u.where)}: ${describeChar(u.char)} is not in the embedded fonts`;
}
