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
const MIN_SIZE = 4;

function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/**
 * The content stream of the appearance: every line on its own, shrunk so the widest fits the box
 * and all lines fit its height. Width and height are the widget's size in points.
 */
export function appearanceContent(options: {
  width: number;
  height: number;
  lines: string[];
  font: AppearanceFont;
}): string {
  const { width, height, lines, font } = options;
  const innerW = Math.max(width - 2 * PADDING, 1);
  const innerH = Math.max(height - 2 * PADDING, 1);
  const lineFactor = (font.ascender - font.descender) / 1000;
  let size = MAX_SIZE;
  const widest = (s: number) => Math.max(0, ...lines.map((l) => font.widthOfString(l, s)));
  while (
    size > MIN_SIZE &&
    (widest(size) > innerW || lines.length * size * lineFactor * 1.15 > innerH)
  ) {
    size -= 0.25;
  }
  const leading = size * lineFactor * 1.15;
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
    if (y < PADDING + (size * font.descender) / 1000 - 0.01) break;
    ops.push(`1 0 0 1 ${num(PADDING)} ${num(y)} Tm`, `<${font.encodeHex(line)}> Tj`);
    y -= leading;
  }
  ops.push('ET');
  return ops.join('\n');
}
