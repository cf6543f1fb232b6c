import type { FontKey, FontSet, ShapedRun } from '../fonts';
import type { ImageInfo } from '../image';

/** A node of the tagged structure tree; the render stage creates the PDF element on first use. */
export interface StructNode {
  type: string;
  parent?: StructNode;
  alt?: string;
  scope?: 'Column' | 'Row';
  /** A Link element's target, described on its annotation. */
  link?: string;
  /** An L element's ListNumbering attribute. */
  listNumbering?: 'Decimal' | 'Disc' | 'Circle' | 'Square';
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
      /** Its shaped words and spaces, as measured (measure.ts Fragment.runs). */
      runs?: ShapedRun[];
      /** Right-to-left text, its words in visual order (measure.ts): drawn glyph by glyph. */
      rtl?: boolean;
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
  /** An internal link (GoTo a named destination) over a box, tied to its Link element. */
  | {
      kind: 'goto';
      x: number;
      y: number;
      w: number;
      h: number;
      dest: string;
      /** What the link leads to, in words (/Contents). */
      contents: string;
      struct: StructNode;
    }
  /** Creates an element with no content (an empty table cell) so the tree keeps its shape. */
  | { kind: 'anchor'; struct: StructNode };

export interface Bookmark {
  title: string;
  level: number;
  y: number;
}

/** A named destination on a page: where a contents entry leads. */
export interface Destination {
  name: string;
  y: number;
}

export interface PageLayout {
  ops: Op[];
  bookmarks: Bookmark[];
  dests: Destination[];
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
  /** The section the signature field belongs to (the sign-off): its Form element goes inside it. */
  signatureParent?: StructNode;
  /** The sign-off section's page (zero-based), signed or not. */
  signOffPage?: number;
  /** Characters the embedded fonts cannot draw, with the nearest heading. */
  uncovered: { char: string; where: string }[];
}

export interface LayoutOptions {
  fonts: FontSet;
  logo?: { info: ImageInfo; alt: string };
  /** Reserve the signature field at the `<!-- signature -->` marker. */
  reserveSignature?: boolean;
  /** Height of the provider's signature box (default STYLE.signature.height). */
  signatureHeight?: number;
}

/** Where a block goes: its column, and the structure element it belongs to. */
export interface Box {
  x: number;
  width: number;
  parent?: StructNode;
}
