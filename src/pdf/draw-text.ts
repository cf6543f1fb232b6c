import type * as fontkit from 'fontkit';
import { shapeText, type ShapedRun } from './fonts';

/**
 * The per-line text path of the render stage (render.ts), written straight into the page's
 * content stream. NOTE: pdfkit's `doc.text()` for one fragment set up its options, shaped and
 * concatenated the fragment three times (twice to measure it, once to encode it) and turned
 * every operator into its own small buffer: about a third of a warm build. These functions
 * write the very operators pdfkit 0.20 writes (`_fragment`, `encode`), byte for byte, so a
 * document is the same either way; test/pdf/draw-text.test.ts holds them to that.
 */

interface Position {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

interface EmbeddedFont {
  id: string;
  ascender: number;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  scale: number;
  ref(): unknown;
}

interface DocInternals {
  _font: EmbeddedFont;
  _fontSize: number;
  x: number;
  y: number;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(s: string): void;
}

/** pdfkit's PDFObject.number: six decimals at most. */
const num = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** Each embedded font's glyph hex codes by subset index (one document's). */
const hexCodes = new WeakMap<EmbeddedFont, string[]>();

/**
 * Draws `text` (one line's fragment, left to right, no line feeds) with its text box's top left
 * at (x, y) in the current font, size and fill colour: what `doc.text(text, x, y,
 * { lineBreak: false })` draws, and it leaves `doc.x` and `doc.y` where that does.
 */
export function drawTextLine(
  doc: PDFKit.PDFDocument,
  text: string,
  at: { x: number; y: number; font: fontkit.Font },
): void {
  const d = doc as unknown as DocInternals;
  const font = d._font;
  const size = d._fontSize;
  d.x = at.x;
  d.y = at.y;
  if (!text.length) return;
  // pdfkit's layout: the text in words, each with the space or tab after it.
  let codes = hexCodes.get(font);
  if (!codes) hexCodes.set(font, (codes = []));
  const encoded: string[] = [];
  const positions: Position[] = [];
  let advance = 0;
  const take = (run: ShapedRun) => {
    advance += run.advanceWidth;
    for (let g = 0; g < run.glyphs.length; g++) {
      const glyph = run.glyphs[g];
      const gid = font.subset.includeGlyph(glyph.id);
      let hex = codes[gid];
      if (hex === undefined) codes[gid] = hex = `0000${gid.toString(16)}`.slice(-4);
      encoded.push(hex);
      if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
      if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
      positions.push(run.positions[g]);
    }
  };
  let last = 0;
  for (let i = 0; i <= text.length;) {
    const c = text.charCodeAt(i);
    if ((i === text.length && last < i) || c === 32 || c === 9) {
      take(shapeText(at.font, text.slice(last, ++i)));
      last = i;
    } else i++;
  }
  const dy = (font.ascender / 1000) * size;
  let x = at.x;
  const y = d.page.height - at.y - dy;
  d.addContent('q');
  d.addContent(`1 0 0 -1 0 ${num(d.page.height)} cm`);
  if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
  d.addContent('BT');
  d.addContent(`1 0 0 1 ${num(x)} ${num(y)} Tm`);
  d.addContent(`/${font.id} ${num(size)} Tf`);
  const scale = size / 1000;
  const commands: string[] = [];
  let from = 0;
  let hadOffset = false;
  const segment = (to: number) => {
    if (from < to) {
      const p = positions[to - 1];
      commands.push(`<${encoded.slice(from, to).join('')}> ${num(-(p.xAdvance - p.advanceWidth))}`);
    }
    from = to;
  };
  const flush = (to: number) => {
    segment(to);
    if (commands.length > 0) {
      d.addContent(`[${commands.join(' ')}] TJ`);
      commands.length = 0;
    }
  };
  let i = 0;
  for (; i < positions.length; i++) {
    const p = positions[i];
    if (p.xOffset || p.yOffset) {
      flush(i);
      d.addContent(`1 0 0 1 ${num(x + p.xOffset * scale)} ${num(y + p.yOffset * scale)} Tm`);
      flush(i + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        d.addContent(`1 0 0 1 ${num(x)} ${num(y)} Tm`);
        hadOffset = false;
      }
      if (p.xAdvance - p.advanceWidth !== 0) segment(i + 1);
    }
    x += p.xAdvance * scale;
  }
  flush(i);
  d.addContent('ET');
  d.addContent('Q');
  d.x = at.x + advance * scale;
}

interface ContentRef {
  write(chunk: unknown): void;
  finalize(): void;
}

/**
 * Collects the current page's content stream as text and hands it to pdfkit in one buffer when
 * the page ends. NOTE: pdfkit turns each operator into its own Uint8Array (`fromBinaryString`)
 * and concatenates them all at the end; the bytes are the same (each operator and a line feed,
 * each character's low byte), in one allocation instead of thousands.
 */
export function collectPageContent(doc: PDFKit.PDFDocument): void {
  const content = (doc as unknown as { page: { content: ContentRef } }).page.content;
  const write = content.write.bind(content);
  const finalize = content.finalize.bind(content);
  let parts: string[] = [];
  const flush = () => {
    if (!parts.length) return;
    const text = parts.join('');
    parts = [];
    write(Buffer.from(text, 'latin1'));
  };
  content.write = (chunk: unknown) => {
    if (typeof chunk === 'string') parts.push(chunk, '\n');
    else {
      flush();
      write(chunk);
    }
  };
  content.finalize = () => {
    flush();
    finalize();
  };
}
