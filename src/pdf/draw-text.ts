import type * as fontkit from 'fontkit';
import { METRICS, shapeText, WIDTH, X_ADVANCE, X_OFFSET, Y_OFFSET, type ShapedRun } from './fonts';
import { ByteBuffer } from './byte-buffer';
import { DEFLATE_LEVEL, deflateNow } from './pdfkit-fixes';

/**
 * The per-line text path of the render stage (render.ts), written straight into the page's
 * content stream. NOTE: pdfkit's `doc.text()` for one fragment set up its options, shaped and
 * concatenated the fragment three times (twice to measure it, once to encode it) and turned
 * every operator into its own small buffer: about a third of a warm build. These functions
 * draw the glyphs pdfkit 0.20 draws (`_fragment`, `encode`: the same strings, kerning, widths,
 * ToUnicode and places), with fewer operators: pdfkit wraps each fragment in q, a cm flipping
 * the page's top-down space back, and Q, and sets its font each time; here the text matrix
 * flips (1 0 0 -1 x y Tm, in the page's top-down space) and Tf is written only when the font
 * or size changes on the page (a text state, kept across BT … ET). test/pdf/draw-text.test.ts
 * holds the glyphs, their places and the fonts to pdfkit's.
 */

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

/** The Tf operator last made, and for which font resource name and size (no document kept). */
const tfFor: { id: string; size: number; op: string } = {
  id: '',
  size: 0,
  op: '',
};

/** Each embedded font's glyph codes by subset index (one document's), as `byteString` writes them. */
const glyphCodes = new WeakMap<EmbeddedFont, string[]>();

/**
 * A byte as it is written inside a literal string: itself (a content stream is latin1 text),
 * or escaped (ISO 32000-1 7.3.4.2) when it is a parenthesis, a backslash or an end-of-line byte
 * (a reader would read CR, LF or CRLF inside a string as one LF).
 */
function literalByte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
  if (b === 0x0a) return '\\n';
  if (b === 0x0d) return '\\r';
  return String.fromCharCode(b);
}

/**
 * A glyph's two-byte code (Identity-H: its subset index) inside a literal string.
 * NOTE: pdfkit writes hex strings, four characters a glyph; the bytes themselves take half the
 * room, and deflating a page took ~35% less time (the example's content streams 341 → 261 KB
 * before deflate, 61 → 54 KB after). The glyphs and their ToUnicode entries are the same.
 */
export const byteString = (gid: number): string => literalByte(gid >> 8) + literalByte(gid & 0xff);

/**
 * A shaped word as one document's subset draws it: its glyphs' codes, cut after each glyph
 * whose advance differs from its width (kerning: a TJ adjustment follows it). `offset`: a glyph
 * is drawn off the baseline (a mark), so the word takes the glyph-by-glyph path.
 * NOTE: flat, with no array for a word without kerning (most words): a line reads each of its
 * words' encodings, and each object more to reach was a cache miss more per word drawn.
 */
interface EncodedRun {
  subset: EmbeddedFont['subset'];
  /** The codes of all its glyphs. */
  codes: string;
  /** Where in `codes` each kerned glyph's code ends; undefined without kerning. */
  cuts: number[] | undefined;
  /** The TJ adjustment after each cut. */
  kerns: string[] | undefined;
  /** Whether codes follow the last cut (always, without kerning, unless it has no glyphs). */
  tail: boolean;
  offset: boolean;
}

/**
 * NOTE: a document draws the same words many times; encoding each glyph of each (subset index,
 * code, widths and text of the subset) was the largest part of drawing a line. A word is
 * encoded once per document: kept on its shaped run, for the subset it was encoded for (a new
 * document has a new subset, whose indices are given in the order glyphs are first drawn).
 */
function encodeRun(font: EmbeddedFont, run: ShapedRun): EncodedRun {
  const hit = run.encoded as EncodedRun | undefined;
  if (hit && hit.subset === font.subset) return hit;
  let codes = glyphCodes.get(font);
  if (!codes) glyphCodes.set(font, (codes = []));
  let cuts: number[] | undefined;
  let kerns: string[] | undefined;
  let offset = false;
  let shown = '';
  const m = run.metrics;
  for (let g = 0, k = 0; g < run.glyphs.length; g++, k += METRICS) {
    const glyph = run.glyphs[g];
    const gid = font.subset.includeGlyph(glyph.id);
    let code = codes[gid];
    if (code === undefined) codes[gid] = code = byteString(gid);
    if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
    if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
    shown += code;
    if (m[k + X_OFFSET] || m[k + Y_OFFSET]) offset = true;
    const kern = m[k + X_ADVANCE] - m[k + WIDTH];
    if (kern !== 0) {
      (cuts ??= []).push(shown.length);
      (kerns ??= []).push(num(-kern));
    }
  }
  const tail = shown.length > (cuts ? cuts[cuts.length - 1] : 0);
  const encoded: EncodedRun = {
    subset: font.subset,
    codes: shown,
    cuts,
    kerns,
    tail,
    offset,
  };
  run.encoded = encoded;
  return encoded;
}

/** A line's encoded words (drawTextLine, not re-entered): reused, not made for each line. */
const lineRuns: EncodedRun[] = [];

/** The shaped words of `text` as pdfkit's layout cuts it: each with the space or tab after it. */
function wordsOf(text: string, font: fontkit.Font): ShapedRun[] {
  const runs: ShapedRun[] = [];
  let last = 0;
  for (let i = 0; i <= text.length;) {
    const c = text.charCodeAt(i);
    if ((i === text.length && last < i) || c === 32 || c === 9) {
      runs.push(shapeText(font, text.slice(last, ++i)));
      last = i;
    } else i++;
  }
  return runs;
}

/**
 * Draws `text` (one line's fragment, left to right, no line feeds) with its text box's top left
 * at (x, y) in the current font, size and fill colour: what `doc.text(text, x, y,
 * { lineBreak: false })` draws, and it leaves `doc.x` and `doc.y` where that does.
 */
export function drawTextLine(
  doc: PDFKit.PDFDocument,
  text: string,
  at: { x: number; y: number; font: fontkit.Font; runs?: ShapedRun[] },
): void {
  const d = doc as unknown as DocInternals;
  const font = d._font;
  const size = d._fontSize;
  d.x = at.x;
  d.y = at.y;
  if (!text.length) return;
  // NOTE: the layout's shaped words and spaces (`runs`: "word", " ") draw the same glyphs, kerning
  // and advances as the words pdfkit cuts ("word "), which are the two joined (shapeText).
  const runs = at.runs ?? wordsOf(text, at.font);
  // Every word encoded first (in order: the subset numbers glyphs as they are first drawn).
  let offset = false;
  let advance = 0;
  let shows = false;
  const encoded = lineRuns;
  encoded.length = 0;
  for (const run of runs) {
    const e = encodeRun(font, run);
    encoded.push(e);
    offset ||= e.offset;
    shows ||= e.tail || e.cuts !== undefined;
    advance += run.advanceWidth;
  }
  // The baseline, in the page's top-down space.
  const y = at.y + (font.ascender / 1000) * size;
  const page = d.page as TextState;
  if (page.fonts[font.id] == null) page.fonts[font.id] = font.ref();
  // NOTE: the same font and size line after line: its Tf operator is made once for them.
  if (font.id !== tfFor.id || size !== tfFor.size) {
    tfFor.id = font.id;
    tfFor.size = size;
    tfFor.op = `/${font.id} ${num(size)} Tf`;
  }
  const tf = tfFor.op;
  const open = `BT\n1 0 0 -1 ${num(at.x)} ${num(y)} Tm`;
  const setsFont = page.srqFont !== tf;
  page.srqFont = tf;
  if (offset) {
    d.addContent(setsFont ? `${open}\n${tf}` : open);
    drawGlyphs(d, { runs, x: at.x, y, size });
    d.addContent('ET');
  } else {
    // NOTE: written into the page's bytes as it goes (collectPageContent), not built up as one
    // string per line for the page to join: ~10% of a 700-page document went to those strings.
    const out = page.srqBytes ?? new TextSink();
    out.text(open);
    if (setsFont) {
      out.text('\n');
      out.text(tf);
    }
    if (shows) {
      // [(glyphs) kern (glyphs) kern … (glyphs) 0] TJ: a string up to each kerned glyph, then its
      // adjustment; "0" after the last string, unless the line ends on a kerned glyph.
      out.text('\n[');
      let inString = false;
      let first = true;
      for (const { codes, cuts, kerns, tail } of encoded) {
        let from = 0;
        if (cuts) {
          for (let k = 0; k < cuts.length; k++) {
            if (!inString) out.text(first ? '(' : ' (');
            out.range(codes, from, cuts[k]);
            from = cuts[k];
            out.text(') ');
            out.text(kerns![k]);
            inString = false;
            first = false;
          }
        }
        if (tail) {
          if (!inString) out.text(first ? '(' : ' (');
          out.range(codes, from, codes.length);
          inString = true;
          first = false;
        }
      }
      out.text(inString ? ') 0] TJ\nET\n' : '] TJ\nET\n');
    } else out.text('\nET\n');
    if (out instanceof TextSink) d.addContent(out.done());
  }
  d.x = at.x + advance * (size / 1000);
}

/**
 * The glyph-by-glyph path, for a line with a glyph drawn off the baseline: pdfkit's `_fragment`
 * gives such a glyph its own Tm, then puts the line's origin back.
 */
function drawGlyphs(
  d: DocInternals,
  line: { runs: ShapedRun[]; x: number; y: number; size: number },
): void {
  const font = d._font;
  const codes = glyphCodes.get(font)!;
  const encoded: string[] = [];
  // The line's glyphs' METRICS numbers, in drawing order.
  const m: number[] = [];
  for (const run of line.runs) {
    for (let g = 0; g < run.glyphs.length; g++) {
      encoded.push(codes[font.subset.includeGlyph(run.glyphs[g].id)]);
    }
    for (const v of run.metrics) m.push(v);
  }
  const { y } = line;
  let x = line.x;
  const scale = line.size / 1000;
  const commands: string[] = [];
  let from = 0;
  let hadOffset = false;
  const segment = (to: number) => {
    if (from < to) {
      const k = (to - 1) * METRICS;
      commands.push(
        `(${encoded.slice(from, to).join('')}) ${num(-(m[k + X_ADVANCE] - m[k + WIDTH]))}`,
      );
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
  for (; i < encoded.length; i++) {
    const k = i * METRICS;
    const dx = m[k + X_OFFSET];
    const dy = m[k + Y_OFFSET];
    if (dx || dy) {
      flush(i);
      d.addContent(`1 0 0 -1 ${num(x + dx * scale)} ${num(y - dy * scale)} Tm`);
      flush(i + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        d.addContent(`1 0 0 -1 ${num(x)} ${num(y)} Tm`);
        hadOffset = false;
      }
      if (m[k + X_ADVANCE] - m[k + WIDTH] !== 0) segment(i + 1);
    }
    x += m[k + X_ADVANCE] * scale;
  }
  flush(i);
}

/**
 * The font and size the page's content stream has set (its last Tf), if still in force: a Q
 * (pdfkit's restore) may bring back an earlier one, so collectPageContent forgets it at each.
 */
type TextState = DocInternals['page'] & { srqFont?: string; srqBytes?: ByteBuffer };

/** Where drawTextLine writes a line's operators: text, each character's low byte. */
interface Sink {
  text(s: string): void;
  /** Characters `from` to `to` of `s`. */
  range(s: string, from: number, to: number): void;
}

/** A line's operators as one string, for a page whose content is not collected as bytes. */
class TextSink implements Sink {
  private s = '';
  text(s: string): void {
    this.s += s;
  }
  range(s: string, from: number, to: number): void {
    this.s += from === 0 && to === s.length ? s : s.slice(from, to);
  }
  /** What was written, less its last line feed (addContent writes one). */
  done(): string {
    return this.s.slice(0, -1);
  }
}

/** A spare page buffer: a page's bytes are deflated when it ends, and the next page reuses it. */
let spare: Buffer | undefined;

interface ContentRef {
  write(chunk: unknown): void;
  finalize(): void;
}

/**
 * Collects the current page's content stream as text and hands it to pdfkit in one buffer when
 * the page ends. NOTE: pdfkit turns each operator into its own Uint8Array (`fromBinaryString`)
 * and concatenates them all at the end; the bytes are the same (each operator and a line feed,
 * each character's low byte), in one allocation instead of thousands.
 * It deflates the page at `DEFLATE_LEVEL.content` (pdfkit-fixes.ts).
 */
export function collectPageContent(doc: PDFKit.PDFDocument): void {
  const content = (doc as unknown as { page: { content: ContentRef } }).page.content;
  const write = content.write.bind(content);
  const finalize = content.finalize.bind(content);
  const page = (doc as unknown as { page: TextState }).page;
  const bytes = new ByteBuffer(spare);
  spare = undefined;
  page.srqBytes = bytes;
  content.write = (chunk: unknown) => {
    if (typeof chunk === 'string') {
      if (chunk === 'Q') page.srqFont = undefined;
      bytes.line(chunk);
    } else bytes.bytes(chunk as Uint8Array);
  };
  content.finalize = () => {
    page.srqBytes = undefined;
    const { buf, length } = bytes;
    if (length) write(bytes.view());
    // Deflated, the stream holds a copy: the buffer is free for the next page; otherwise the
    // stream keeps it until the file is written.
    if (deflateNow(content, DEFLATE_LEVEL.content) || !length) spare = buf;
    finalize();
  };
}
