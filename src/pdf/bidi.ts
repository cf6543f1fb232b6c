import bidiFactory from 'bidi-js';

/**
 * Right-to-left text (Hebrew, Arabic, …) in visual order: the Unicode bidirectional algorithm
 * (UAX #9, bidi-js) resolves each character's embedding level over a whole paragraph, and each
 * line is then reordered on its own. fontkit shapes a right-to-left word and returns its glyphs
 * in visual order itself (it takes the script and direction from the word's characters), so a
 * right-to-left run is drawn as its words in reverse order, each word in logical order.
 */

// Only right-to-left text needs bidi-js (whose first paragraph decodes its Unicode tables, ~10 ms)
// or an ICU segmenter (~14 ms of a cold start): both are made on first use, not at load.
let made: ReturnType<typeof bidiFactory> | undefined;
const bidi = () => (made ??= bidiFactory());
let graphemeSegmenter: Intl.Segmenter | undefined;
const graphemes = () =>
  (graphemeSegmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' }));

/** Characters of the right-to-left scripts and the explicit right-to-left controls. */
const RTL =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** Whether `text` needs the bidirectional algorithm at all (most text does not). */
export function hasRtl(text: string): boolean {
  return RTL.test(text);
}

/** Strong right-to-left letters: a word with one is reversed by fontkit when it is shaped. */
const STRONG_RTL =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/**
 * For a character drawn mirrored in right-to-left text, the character it stands for (every
 * mirrored pair maps both ways); undefined for others.
 */
export function unmirrored(ch: string): string | undefined {
  return bidi().getMirroredCharacter(ch) ?? undefined;
}

/** A run of one direction on a line, in logical offsets [start, end), listed in visual order. */
export interface VisualRun {
  start: number;
  end: number;
  rtl: boolean;
}

export interface BidiParagraph {
  /** The paragraph's base level: 0 left-to-right, 1 right-to-left. */
  baseLevel: number;
  levels: Uint8Array;
  /** The runs of the line [start, end) in visual order (trailing spaces at the base level). */
  line(start: number, end: number): VisualRun[];
  /** Text to draw, left to right, for the right-to-left run [start, end). */
  drawRtl(start: number, end: number): string;
}

export function bidiParagraph(text: string): BidiParagraph {
  const embedding = bidi().getEmbeddingLevels(text, 'auto');
  const levels = embedding.levels;
  const baseLevel = embedding.paragraphs[0]?.level ?? 0;
  return {
    baseLevel,
    levels,
    line(start, end) {
      if (end <= start) return [];
      const order: number[] = [];
      for (let i = start; i < end; i++) order.push(i);
      // Each segment (absolute offsets, inclusive) is reversed in turn (UAX #9 L2).
      for (const [a, b] of bidi().getReorderSegments(text, embedding, start, end - 1)) {
        const reversed = order.slice(a - start, b - start + 1).reverse();
        order.splice(a - start, reversed.length, ...reversed);
      }
      const runs: VisualRun[] = [];
      for (const i of order) {
        const rtl = (levels[i] & 1) === 1;
        const last = runs[runs.length - 1];
        if (last && last.rtl === rtl && (rtl ? i === last.start - 1 : i === last.end)) {
          if (rtl) last.start = i;
          else last.end = i + 1;
        } else runs.push({ start: i, end: i + 1, rtl });
      }
      return runs;
    },
    drawRtl(start, end) {
      let logical = '';
      for (let i = start; i < end; i++) {
        const ch = text[i];
        logical += (levels[i] & 1 && bidi().getMirroredCharacter(ch)) || ch;
      }
      return logical
        .split(/( +)/)
        .reverse()
        .map((token) =>
          // fontkit reverses a word of a right-to-left script; neutrals ("?!", "—") it leaves.
          STRONG_RTL.test(token)
            ? token
            : [...graphemes().segment(token)]
                .map((s) => s.segment)
                .reverse()
                .join(''),
        )
        .join('');
    },
  };
}
