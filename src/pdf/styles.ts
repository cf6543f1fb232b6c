import type { Responsibility } from '../answers/schema';
import { RESPONSIBILITY_COLOURS } from '../render/marks';
import type { FontKey } from './fonts';

/**
 * The one style table of the layout: page geometry, fonts, sizes, colours and spacing.
 * Every measurement the layout uses comes from here; nothing else holds a literal.
 * Sizes and spacing in PDF points (1/72 inch).
 */
export const A4 = { width: 595.28, height: 841.89 } as const;

export interface TextStyle {
  font: FontKey;
  size: number;
  /** Line height as a multiple of the size. */
  leading: number;
  colour: string;
  /** Space above and below the block. */
  before: number;
  after: number;
}

export const COLOURS = {
  text: '#1f2933',
  heading: '#0b3a5c',
  accent: '#0f6e8c',
  muted: '#52606d',
  rule: '#c5cfd9',
  link: '#0b5cad',
  tableHeaderFill: '#e6edf3',
  tableBorder: '#b8c4cf',
  zebra: '#f7f9fb',
  draft: '#d0d4d8',
  coverBand: '#0b3a5c',
  coverBandText: '#ffffff',
} as const;

/** Responsibility marks of the matrix: one colour table for every format (src/render/marks.ts). */
export const MARKS: Record<Responsibility, { fill: string; text: string }> = RESPONSIBILITY_COLOURS;

export const STYLE = {
  page: {
    ...A4,
    margin: { top: 70, bottom: 62, left: 56, right: 56 },
  },
  /** Text sizes: body text 10 pt at least, tables 9 pt (WCAG-minded; the issue 16 audit). */
  body: {
    font: 'regular',
    size: 10,
    leading: 1.26,
    colour: COLOURS.text,
    before: 0,
    after: 5,
  } as TextStyle,
  /** A paragraph made only of bold text: a run-in label such as "Requirement", kept with what follows. */
  label: {
    font: 'bold',
    size: 10,
    leading: 1.26,
    colour: COLOURS.accent,
    before: 3,
    after: 2,
  } as TextStyle,
  code: {
    font: 'mono',
    size: 10,
    leading: 1.35,
    colour: COLOURS.text,
    before: 0,
    after: 7,
  } as TextStyle,
  headings: {
    1: { font: 'bold', size: 18, leading: 1.2, colour: COLOURS.heading, before: 14, after: 10 },
    2: { font: 'bold', size: 13.5, leading: 1.2, colour: COLOURS.heading, before: 12, after: 5 },
    3: { font: 'bold', size: 11.5, leading: 1.25, colour: COLOURS.heading, before: 9, after: 4 },
    4: { font: 'bold', size: 10.5, leading: 1.25, colour: COLOURS.accent, before: 6, after: 2 },
  } as Record<1 | 2 | 3 | 4, TextStyle>,
  /** Rule under an H1, and the space a heading needs below it to not be left alone. */
  h1Rule: { gap: 5, width: 1.2, colour: COLOURS.accent },
  keepWithNext: 42,
  list: { indent: 14, labelGap: 5, itemAfter: 2, bullets: ['•', '▪', '◦'] },
  table: {
    font: 'regular' as FontKey,
    headerFont: 'bold' as FontKey,
    size: 9,
    leading: 1.28,
    padX: 4.5,
    padY: 2.8,
    border: 0.6,
    after: 10,
    minColumn: 40,
    /** A column whose widest cell needs at most this share of the table is never wrapped. */
    narrowShare: 0.22,
  },
  matrix: {
    size: 9,
    /** Many tiers: still 9 pt (no table text below it); the columns narrow instead. */
    sizeMany: 9,
    markFont: 'bold' as FontKey,
    firstColumnShare: 0.4,
    minFirstColumnShare: 0.22,
    legendGap: 8,
  },
  header: { size: 8, y: 34, ruleY: 50, colour: COLOURS.muted },
  footer: { size: 8, fromBottom: 38, colour: COLOURS.muted },
  stamp: { size: 7.5, minSize: 5, fromBottom: 22, colour: COLOURS.muted },
  watermark: { text: 'DRAFT', size: 120, colour: COLOURS.draft, angle: -45 },
  cover: {
    bandHeight: 14,
    logoMaxWidth: 170,
    logoMaxHeight: 70,
    titleSize: 28,
    subtitleSize: 14,
    providerSize: 16,
    serviceSize: 13,
    metaSize: 10,
    titleTop: 250,
  },
  /**
   * The signature boxes. `height` is the provider's box at least (it grows with the signer's
   * subject); `reservedHeight` the customer's countersignature field, fixed once certified:
   * fourteen lines at 8 pt, room for a realistic subject (src/sign/incremental.ts refuses longer).
   */
  signature: { width: 240, height: 50, gap: 8, reservedHeight: 158 },
  /** The contents page: sections bold, principles (level 2) indented; page numbers right. */
  contents: {
    title: 'Contents',
    indent: 14,
    /** Room kept right of every entry's title for its page number. */
    numberRoom: 40,
    section: {
      font: 'bold',
      size: 10.5,
      leading: 1.45,
      colour: COLOURS.text,
      before: 5,
      after: 0,
    } as TextStyle,
    principle: {
      font: 'regular',
      size: 10,
      leading: 1.4,
      colour: COLOURS.text,
      before: 0,
      after: 0,
    } as TextStyle,
  },
  rule: { width: 0.8, colour: COLOURS.rule, before: 6, after: 10 },
} as const;
