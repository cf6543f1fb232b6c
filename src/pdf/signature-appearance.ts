/**
 * The visible part of a signature field: a framed box with a few lines of text, drawn as the
 * content of a form XObject (the widget's /AP /N). Shared by the pdfkit placeholder and by the
 * incremental update that adds a countersignature field, which encode text differently.
 */

/** How the caller's font measures and encodes text (glyph ids as hex, 4 digits each). */
export interface AppearanceFont {
  /** Resource name of the font inside the XObject, without the slash. */
  resourceName: string;
  widthOfString(text: string, size: number): number;
  /** Hex glyph string for a `<...> Tj` operand. */
  encodeHex(text: string): string;
  /** Ascender and descender in 1/1000 em (descender negative). */
  ascender: number;
  descender: number;
}

const PADDING = 4;
const MAX_SIZE = 9;
/** Smallest size the text shrinks to before it wraps (then the box must grow, see below). */
export const MIN_READABLE_SIZE = 8;
/** Last resort for a box the caller cannot grow: still nothing is clipped. */
const MIN_SIZE = 3;
const LEADING = 1.15;

function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

type Measure = Pick<AppearanceFont, 'widthOfString' | 'ascender' | 'descender'>;

/** Splits one line into lines no wider than `width`: at spaces, or inside a word too long. */
export function wrapLine(
  line: string,
  font: Measure,
  { width, size }: { width: number; size: number },
): string[] {
  if (font.widthOfString(line, size) <= width) return [line];
  const out: string[] = [];
  let current = '';
  const fits = (t: string) => font.widthOfString(t, size) <= width;
  for (const word of line.split(/(?<= )/)) {
    if (fits(current + word.trimEnd())) {
      current += word;
      continue;
    }
    if (current.trim()) out.push(current.trimEnd());
    current = '';
    // A word wider than the box (a long CN or e-mail) breaks between characters.
    let piece = '';
    for (const ch of word) {
      if (piece && !fits(piece + ch)) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    current = piece;
  }
  if (current.trim()) out.push(current.trimEnd());
  return out;
}

/** The lines as drawn: at the largest size from 9 pt down to `min` that fits, wrapped to the width. */
export function layoutAppearance(options: {
  width: number;
  height: number;
  lines: string[];
  font: Measure;
  min?: number;
}): { size: number; lines: string[]; fits: boolean } {
  const { width, height, lines, font } = options;
  const innerW = Math.max(width - 2 * PADDING, 1);
  const innerH = Math.max(height - 2 * PADDING, 1);
  const lineFactor = (font.ascender - font.descender) / 1000;
  const min = options.min ?? MIN_SIZE;
  let last = { size: min, lines, fits: false };
  for (let size = MAX_SIZE; size >= min - 1e-9; size -= 0.25) {
    const wrapped = lines.flatMap((l) => wrapLine(l, font, { width: innerW, size }));
    // n lines: the first line's ascender to the last line's descender.
    const needed = (wrapped.length - 1) * size * lineFactor * LEADING + size * lineFactor;
    last = { size, lines: wrapped, fits: needed <= innerH };
    if (last.fits) return last;
  }
  return last;
}

/** The box height the lines need at `width` without going below 8 pt (for a box that can grow). */
export function appearanceHeight(options: {
  width: number;
  lines: string[];
  font: Measure;
  minHeight?: number;
}): number {
  const { width, lines, font, minHeight = 0 } = options;
  const innerW = Math.max(width - 2 * PADDING, 1);
  const lineFactor = (font.ascender - font.descender) / 1000;
  const wrapped = lines.flatMap((l) =>
    wrapLine(l, font, { width: innerW, size: MIN_READABLE_SIZE }),
  );
  return Math.max(
    minHeight,
    Math.ceil(
      (wrapped.length - 1) * MIN_READABLE_SIZE * lineFactor * LEADING +
        MIN_READABLE_SIZE * lineFactor +
        2 * PADDING +
        1,
    ),
  );
}

/**
 * The content stream of the appearance: the lines wrapped to the box's width, at 9 pt down to
 * 8 pt; only when the caller's box is too small even then does the text shrink further, so no
 * line is ever cut off. Width and height are the widget's size in points.
 */
export function appearanceContent(options: {
  width: number;
  height: number;
  lines: string[];
  font: AppearanceFont;
}): string {
  const { width, height, font } = options;
  const { size, lines } = layoutAppearance(options);
  const lineFactor = (font.ascender - font.descender) / 1000;
  const leading = size * lineFactor * LEADING;
  const ops: string[] = [
    // NOTE: a thin frame so the printed page shows where the signature is, as on paper.
    '0.4 w 0.3 0.3 0.3 RG',
    `0.5 0.5 ${num(width - 1)} ${num(height - 1)} re S`,
    '0 0 0 rg',
    'BT',
    `/${font.resourceName} ${num(size)} Tf`,
  ];
  let y = height - PADDING - (size * font.ascender) / 1000;
  for (const line of lines) {
    ops.push(`1 0 0 1 ${num(PADDING)} ${num(y)} Tm`, `<${font.encodeHex(line)}> Tj`);
    y -= leading;
  }
  ops.push('ET');
  return ops.join('\n');
}
