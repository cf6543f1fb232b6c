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

interface Marks {
  /** Points of real content, page space. */
  content: [number, number][];
  /** Points of artifacts (header, footer, watermark). */
  artifacts: [number, number][];
}

const WS = /[\0\t\n\f\r ]/;
const DELIM = /[()<>[\]{}/%]/;

/** Operators and their numeric operands; other operands are skipped. Undefined when unreadable. */
function* operators(src: string): Generator<{ op: string; args: (number | string)[] }> {
  let i = 0;
  let args: (number | string)[] = [];
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (WS.test(c)) {
      i++;
    } else if (c === '%') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (c === '(') {
      let depth = 0;
      for (i++; i < n; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '(') depth++;
        else if (src[i] === ')' && depth-- === 0) break;
      }
      i++;
      args.push('');
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
      i = src.indexOf('>', i) + 1 || n;
      args.push('');
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
        if (tok === 'BI') return; // inline image: stop reading
        yield { op: tok, args };
        args = [];
      }
    }
  }
}

function mark(src: string, marks: Marks): boolean {
  let ctm = IDENTITY;
  const stack: Matrix[] = [];
  let tlm = IDENTITY;
  let size = 10;
  const tags: boolean[] = [];
  const inArtifact = () => tags.includes(true);
  const add = (m: Matrix, x: number, y: number) =>
    (inArtifact() ? marks.artifacts : marks.content).push(apply(m, x, y));
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
        break;
      case 'Tj':
      case 'TJ':
      case "'":
      case '"': {
        const m = multiply(tlm, ctm);
        add(m, 0, size);
        add(m, 0, -0.3 * size);
        break;
      }
      case 're':
        if (nums.length === 4) {
          const [x, y, w, h] = nums as [number, number, number, number];
          add(ctm, x, y);
          add(ctm, x + w, y + h);
        }
        break;
      case 'm':
      case 'l':
        if (nums.length === 2) add(ctm, nums[0], nums[1]);
        break;
      case 'c':
        if (nums.length === 6) add(ctm, nums[4], nums[5]);
        break;
      case 'Do':
        add(ctm, 0, 0);
        add(ctm, 1, 1);
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
  return true;
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

/**
 * A box of `size` in PDF user space (origin bottom-left) on the page, or undefined when the page
 * has no free band that tall below its content.
 */
export function findFreeArea(
  file: PdfFile,
  page: { ref: PdfRef; dict: Map<string, PdfValue>; mediaBox: number[] },
  size: { width: number; height: number },
): Box | undefined {
  const src = decodeContent(file, page.dict.get('Contents') ?? null);
  if (src === undefined) return undefined;
  const marks: Marks = { content: [], artifacts: [] };
  try {
    mark(src, marks);
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
        marks.content.push([x0, y0], [x1, y1]);
      }
    }
  }
  const [px0 = 0, py0 = 0, px1 = 612, py1 = 792] = page.mediaBox;
  const margin = 36;
  const gap = 12;
  const contentBottom = Math.min(py1 - margin, ...marks.content.map((p) => p[1]));
  const left = Math.max(px0 + margin, Math.min(px1, ...marks.content.map((p) => p[0])));
  // The footer: the highest artifact point below the content.
  const footerTop = Math.max(
    py0 + margin,
    ...marks.artifacts.map((p) => p[1]).filter((y) => y < contentBottom),
  );
  const top = contentBottom - gap;
  const bottom = top - size.height;
  if (bottom < footerTop + gap || left + size.width > px1 - margin / 2) return undefined;
  return { x: left, y: bottom, width: size.width, height: size.height };
}
