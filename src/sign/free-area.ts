import zlib from 'node:zlib';
import { PdfFile, PdfName, PdfRef, isDict, isStream, type PdfValue } from './pdf-syntax';

/**
 * Where a new signature box fits on a page: below everything drawn in its content (page
 * furniture marked as /Artifact aside) and its annotations, above the footer. Reads the content
 * stream's operators only as far as positions go; gives up (undefined) on anything it cannot read.
 */

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}
function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** A drawn thing's bounding box in page space; artifacts are page furniture (header, footer). */
interface Mark {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  artifact: boolean;
}

const WS = /[\0\t\n\f\r ]/;
const DELIM = /[()<>[\]{}/%]/;

/** A string operand: how many bytes it holds (a glyph is one or two, by the font: `markContent`). */
interface Shown {
  bytes: number;
  hex: boolean;
}
type Operand = number | string | Shown;

/** The bytes of a literal string from `src[i]` (its opening parenthesis), and where it ends. */
function literalString(src: string, i: number): { bytes: number; end: number } {
  let depth = 0;
  let bytes = 0;
  const n = src.length;
  for (i++; i < n; i++) {
    const c = src[i];
    if (c === '\\') {
      const e = src[++i];
      if (e === '\r' || e === '\n') {
        // A line continuation: no byte (CRLF is one end of line).
        if (e === '\r' && src[i + 1] === '\n') i++;
        continue;
      }
      // An octal escape is one byte of up to three digits.
      if (e >= '0' && e <= '7')
        for (let k = 0; k < 2 && src[i + 1] >= '0' && src[i + 1] <= '7'; k++) i++;
      bytes++;
    } else if (c === '(') {
      depth++;
      bytes++;
    } else if (c === ')') {
      if (depth-- === 0) break;
      bytes++;
    } else if (c === '\r') {
      // An end of line inside a string is one byte (LF), CRLF too.
      if (src[i + 1] === '\n') i++;
      bytes++;
    } else bytes++;
  }
  return { bytes, end: i + 1 };
}

/** Operators with their operands; stops at an inline image. */
function* operators(src: string): Generator<{ op: string; args: Operand[] }> {
  let i = 0;
  let args: Operand[] = [];
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (WS.test(c)) {
      i++;
    } else if (c === '%') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (c === '(') {
      const { bytes, end } = literalString(src, i);
      args.push({ bytes, hex: false });
      i = end;
    } else if (c === '<' && src[i + 1] === '<') {
      // Inline dictionary (BDC properties): skip to the matching >>.
      let depth = 0;
      for (; i < n; i++) {
        if (src.startsWith('<<', i)) {
          depth++;
          i++;
        } else if (src.startsWith('>>', i)) {
          depth--;
          i++;
          if (depth === 0) break;
        }
      }
      i++;
      args.push('');
    } else if (c === '<') {
      const end = src.indexOf('>', i);
      const close = end < 0 ? n : end;
      args.push({ bytes: src.slice(i + 1, close).replace(/\s/g, '').length / 2, hex: true });
      i = close + 1;
    } else if (c === '[' || c === ']') {
      i++;
    } else if (c === '/') {
      let j = i + 1;
      while (j < n && !WS.test(src[j]) && !DELIM.test(src[j])) j++;
      args.push(src.slice(i, j));
      i = j;
    } else {
      let j = i;
      while (j < n && !WS.test(src[j]) && !DELIM.test(src[j])) j++;
      if (j === i) j++;
      const tok = src.slice(i, j);
      i = j;
      const num = Number(tok);
      if (tok !== '' && !Number.isNaN(num)) args.push(num);
      else {
        if (tok === 'BI') return;
        yield { op: tok, args };
        args = [];
      }
    }
  }
}

/** Average advance of a glyph, generously (DejaVu Sans text averages about 0.55 em). */
const GLYPH_EM = 0.6;

/**
 * Marks of a content stream. `twoByte(name)` tells whether the font resource `name` (as `/F1`)
 * has two-byte codes (a Type0 font, as pdfkit and srq embed every font: Identity-H), one-byte
 * codes (a simple font), or is unknown: then a hex string is read as two bytes a glyph (pdfkit's
 * and most writers'), a literal string as one, the wider guess.
 */
function markContent(src: string, twoByte: (name: string) => boolean | undefined): Mark[] {
  const marks: Mark[] = [];
  let ctm = IDENTITY;
  const stack: Matrix[] = [];
  let tlm = IDENTITY;
  let size = 10;
  let wide: boolean | undefined;
  let current: [number, number] = [0, 0];
  const tags: boolean[] = [];
  const box = (m: Matrix, [x0, y0, x1, y1]: [number, number, number, number]) => {
    const pts = [apply(m, x0, y0), apply(m, x1, y1), apply(m, x0, y1), apply(m, x1, y0)];
    marks.push({
      x0: Math.min(...pts.map((p) => p[0])),
      y0: Math.min(...pts.map((p) => p[1])),
      x1: Math.max(...pts.map((p) => p[0])),
      y1: Math.max(...pts.map((p) => p[1])),
      artifact: tags.includes(true),
    });
  };
  for (const { op, args } of operators(src)) {
    const nums = args.filter((a): a is number => typeof a === 'number');
    switch (op) {
      case 'q':
        stack.push(ctm);
        break;
      case 'Q':
        ctm = stack.pop() ?? IDENTITY;
        break;
      case 'cm':
        if (nums.length === 6) ctm = multiply(nums as Matrix, ctm);
        break;
      case 'BT':
        tlm = IDENTITY;
        break;
      case 'Tm':
        if (nums.length === 6) tlm = nums as Matrix;
        break;
      case 'Td':
      case 'TD':
        if (nums.length === 2) tlm = multiply([1, 0, 0, 1, nums[0], nums[1]], tlm);
        break;
      case 'Tf':
        if (nums.length) size = nums[nums.length - 1]!;
        if (typeof args[0] === 'string') wide = twoByte(args[0]);
        break;
      case 'Tj':
      case 'TJ':
      case "'":
      case '"': {
        const glyphs = args.reduce<number>(
          (sum, a) => sum + (typeof a === 'object' ? a.bytes / ((wide ?? a.hex) ? 2 : 1) : 0),
          0,
        );
        box(multiply(tlm, ctm), [0, -0.3 * size, glyphs * GLYPH_EM * size, size]);
        break;
      }
      case 're':
        if (nums.length === 4) box(ctm, [nums[0], nums[1], nums[0] + nums[2], nums[1] + nums[3]]);
        break;
      case 'm':
        if (nums.length === 2) current = [nums[0], nums[1]];
        break;
      case 'l':
        if (nums.length === 2) {
          box(ctm, [current[0], current[1], nums[0], nums[1]]);
          current = [nums[0], nums[1]];
        }
        break;
      case 'c':
        if (nums.length === 6) {
          const xs = [current[0], nums[0], nums[2], nums[4]];
          const ys = [current[1], nums[1], nums[3], nums[5]];
          box(ctm, [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
          current = [nums[4], nums[5]];
        }
        break;
      case 'Do':
        box(ctm, [0, 0, 1, 1]);
        break;
      case 'BMC':
      case 'BDC':
        tags.push(args[0] === '/Artifact');
        break;
      case 'EMC':
        tags.pop();
        break;
      default:
        break;
    }
  }
  return marks;
}

/** Whether the page's font resource `name` (`/F1`) is a Type0 font; undefined when not found. */
function fontIsTwoByte(
  file: PdfFile,
  page: Map<string, PdfValue>,
  name: string,
): boolean | undefined {
  const resources = file.resolve(page.get('Resources') ?? null);
  const fonts = isDict(resources) ? file.resolve(resources.get('Font') ?? null) : undefined;
  const font = isDict(fonts) ? file.resolve(fonts.get(name.slice(1)) ?? null) : undefined;
  const subtype = isDict(font) ? file.resolve(font.get('Subtype') ?? null) : undefined;
  return subtype instanceof PdfName ? subtype.name === 'Type0' : undefined;
}

function decodeContent(file: PdfFile, v: PdfValue): string | undefined {
  const parts = Array.isArray(v) ? v : [v];
  let out = '';
  for (const p of parts) {
    const s = file.resolve(p);
    if (!isStream(s)) return undefined;
    const filter = file.resolve(s.dict.get('Filter'));
    const name = Array.isArray(filter) && filter.length === 1 ? filter[0] : filter;
    if (name === null) out += s.data.toString('latin1');
    else if (name instanceof PdfName && name.name === 'FlateDecode') {
      out += zlib.inflateSync(s.data).toString('latin1');
    } else return undefined;
    out += '\n';
  }
  return out;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const MARGIN = 36;
const GAP = 8;
const STEP = 4;

/**
 * A box of `size` in PDF user space (origin bottom-left) on the page that overlaps nothing drawn
 * (page furniture marked as /Artifact aside) and no annotation: preferably just below all the
 * content, else the lowest free spot beside it, right-aligned. Undefined when nothing fits or the
 * content cannot be read.
 */
export function findFreeArea(
  file: PdfFile,
  page: { ref: PdfRef; dict: Map<string, PdfValue>; mediaBox: number[] },
  size: { width: number; height: number },
): Box | undefined {
  const src = decodeContent(file, page.dict.get('Contents') ?? null);
  if (src === undefined) return undefined;
  let marks: Mark[];
  try {
    marks = markContent(src, (name) => fontIsTwoByte(file, page.dict, name));
  } catch {
    return undefined;
  }
  const annots = file.resolve(page.dict.get('Annots'));
  if (Array.isArray(annots)) {
    for (const a of annots) {
      const d = file.resolve(a);
      const rect = isDict(d) ? d.get('Rect') : undefined;
      if (Array.isArray(rect) && rect.length === 4 && rect.every((n) => typeof n === 'number')) {
        const [x0, y0, x1, y1] = rect;
        marks.push({
          x0: Math.min(x0, x1),
          y0: Math.min(y0, y1),
          x1: Math.max(x0, x1),
          y1: Math.max(y0, y1),
          artifact: false,
        });
      }
    }
  }
  const [px0 = 0, py0 = 0, px1 = 612, py1 = 792] = page.mediaBox;
  const content = marks.filter(
    (m) => !m.artifact && m.x1 > px0 && m.x0 < px1 && m.y1 > py0 && m.y0 < py1,
  );
  if (!content.length) return undefined;
  const left = Math.max(px0 + MARGIN / 2, Math.min(...content.map((m) => m.x0)));
  const right = px1 - (left - px0);
  const contentBottom = Math.min(...content.map((m) => m.y0));
  const contentTop = Math.max(...content.map((m) => m.y1));
  // Header and footer: artifacts above and below the content.
  const footerTop = Math.max(
    py0 + MARGIN / 2,
    ...marks.filter((m) => m.artifact && m.y1 <= contentBottom).map((m) => m.y1),
  );
  const headerBottom = Math.min(
    py1 - MARGIN / 2,
    ...marks.filter((m) => m.artifact && m.y0 >= contentTop).map((m) => m.y0),
  );
  const { width, height } = size;
  if (right - left < width) return undefined;

  const below = contentBottom - GAP - height;
  if (below >= footerTop + GAP) return { x: left, y: below, width, height };

  // Rules and table borders inside the body are artifacts too, but still take space.
  const obstacles = marks.filter((m) => !m.artifact || (m.y0 < contentTop && m.y1 > contentBottom));
  const free = (x: number, y: number) =>
    !obstacles.some(
      (m) => m.x0 < x + width + GAP && m.x1 > x - GAP && m.y0 < y + height + GAP && m.y1 > y - GAP,
    );
  for (let y = footerTop + GAP; y + height <= headerBottom - GAP; y += STEP) {
    for (let x = right - width; x >= left; x -= STEP) {
      if (free(x, y)) return { x, y, width, height };
    }
  }
  return undefined;
}
