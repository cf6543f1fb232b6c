import {
  nameOf,
  PdfName,
  PdfRef,
  type PdfDict,
  type PdfObjects,
  type PdfValue,
} from './pdf-objects';

/**
 * The text of each marked-content sequence of a page, decoded from its content stream through
 * the fonts' ToUnicode maps, character for character: exactly what a screen reader gets from the
 * tag tree. (pdf.js, the other reader the tests use, trims spaces at line ends and adds its own
 * between text runs, so it cannot tell whether a real space is there.)
 */

type CMap = Map<number, string>;

function hexToString(spaced: string): string {
  const hex = spaced.replace(/\s+/g, '');
  let out = '';
  for (let i = 0; i + 3 < hex.length + 1; i += 4)
    out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

/** Parses the bfchar and bfrange sections of a ToUnicode CMap (two-byte codes, as pdfkit writes). */
export function parseToUnicode(text: string): CMap {
  const map: CMap = new Map();
  for (const sec of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of sec[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f\s]*)>/gi))
      map.set(parseInt(m[1], 16), hexToString(m[2]));
  for (const sec of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of sec[1].matchAll(
      /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f\s]*>)/gi,
    )) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      if (m[3].startsWith('[')) {
        const dsts = [...m[3].matchAll(/<([0-9a-f\s]*)>/gi)].map((d) => hexToString(d[1]));
        for (let c = lo; c <= hi; c++) map.set(c, dsts[c - lo] ?? '');
      } else {
        const base = hexToString(m[3].slice(1, -1));
        for (let c = lo; c <= hi; c++)
          map.set(
            c,
            base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + c - lo),
          );
      }
    }
  }
  return map;
}

interface Token {
  kind: 'op' | 'hex' | 'str' | 'name' | 'num' | 'array' | 'dict';
  value: string;
  items?: Token[];
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };

/**
 * The bytes of the literal string opening at `s[at]`, and the index after its closing parenthesis:
 * balanced parentheses, backslash escapes (\\n \\r \\t \\b \\f, octal \\ddd, any other character
 * itself, a backslash before an end of line is nothing), and an unescaped CR, LF or CRLF is LF.
 */
export function literalBytes(s: string, at: number): { bytes: number[]; end: number } {
  const bytes: number[] = [];
  let depth = 0;
  let i = at + 1;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const e = s[++i];
      const oct = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
      if (oct) {
        bytes.push(parseInt(oct[0], 8) & 0xff);
        i += oct[0].length - 1;
      } else if (e === '\r' || e === '\n') {
        if (e === '\r' && s[i + 1] === '\n') i++;
      } else bytes.push(ESCAPES[e] ?? e.charCodeAt(0));
      continue;
    }
    if (c === ')' && depth-- === 0) break;
    if (c === '(') depth++;
    if (c === '\r') {
      if (s[i + 1] === '\n') i++;
      bytes.push(10);
    } else bytes.push(c.charCodeAt(0));
  }
  return { bytes, end: i + 1 };
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const stack: Token[][] = [out];
  const push = (t: Token) => stack[stack.length - 1].push(t);
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) i++;
    else if (c === '%') while (i < s.length && s[i] !== '\n') i++;
    else if (c === '[') {
      const arr: Token = { kind: 'array', value: '', items: [] };
      push(arr);
      stack.push(arr.items!);
      i++;
    } else if (c === ']') {
      stack.pop();
      i++;
    } else if (c === '<' && s[i + 1] === '<') {
      // An inline dictionary (BDC properties): kept as text, MCID read from it.
      let depth = 0;
      const start = i;
      while (i < s.length) {
        if (s.startsWith('<<', i)) {
          depth++;
          i += 2;
        } else if (s.startsWith('>>', i)) {
          depth--;
          i += 2;
          if (!depth) break;
        } else if (s[i] === '<') {
          i = s.indexOf('>', i) + 1 || s.length; // a hex string (an /ActualText)
        } else if (s[i] === '(') {
          // A literal string: balanced parentheses, backslash escapes.
          let d = 0;
          for (; i < s.length; i++) {
            if (s[i] === '\\') i++;
            else if (s[i] === '(') d++;
            else if (s[i] === ')' && --d === 0) break;
          }
          i++;
        } else i++;
      }
      push({ kind: 'dict', value: s.slice(start, i) });
    } else if (c === '<') {
      const end = s.indexOf('>', i);
      push({ kind: 'hex', value: s.slice(i + 1, end).replace(/\s+/g, '') });
      i = end + 1;
    } else if (c === '(') {
      // A literal string, read as its bytes in hex (ISO 32000-1 7.3.4.2): srq draws its text
      // in literal strings, pdfkit in hex ones, both two-byte codes (Identity-H).
      const { bytes, end } = literalBytes(s, i);
      push({ kind: 'hex', value: Buffer.from(bytes).toString('hex') });
      i = end;
    } else if (c === '/') {
      let j = i + 1;
      while (j < s.length && !/[\s/[\]<>()%]/.test(s[j])) j++;
      push({ kind: 'name', value: s.slice(i + 1, j) });
      i = j;
    } else {
      let j = i;
      while (j < s.length && !/[\s/[\]<>()%]/.test(s[j])) j++;
      const v = s.slice(i, j);
      if (!v) throw new Error(`content stream: unexpected ${JSON.stringify(c)} at ${i}`);
      push({ kind: /^[+-]?[\d.]+$/.test(v) ? 'num' : 'op', value: v });
      i = j;
    }
  }
  return out;
}

/** The /ActualText of a marked-content property list, decoded; undefined when it has none. */
function actualText(dict: string): string | undefined {
  const at = dict.indexOf('/ActualText');
  if (at < 0) return undefined;
  const rest = dict.slice(at + '/ActualText'.length).trimStart();
  const bytes: number[] = [];
  if (rest.startsWith('<')) {
    const hex = rest.slice(1, rest.indexOf('>')).replace(/\s+/g, '');
    for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  } else if (rest.startsWith('(')) bytes.push(...literalBytes(rest, 0).bytes);
  else return undefined;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < bytes.length; i += 2)
      out += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return out;
  }
  return String.fromCharCode(...bytes);
}

/** One text-showing operator: its decoded text, marked-content id and where it starts (Tm). */
export interface Shown {
  mcid: string | undefined;
  text: string;
  /** Where its text matrix puts it, in PDF page space (from the bottom left; cm and q/Q applied). */
  x: number;
  y: number;
  /** The font size in force (Tf, which q/Q save and restore). */
  size: number;
}

/** A matrix [a b c d e f] as PDF writes one. */
type Matrix = [number, number, number, number, number, number];

/** m × n: the transform m, then n (ISO 32000-1 8.3.4). */
function times(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

const matrixOf = (operands: Token[]): Matrix =>
  operands.slice(-6).map((t) => Number(t.value)) as Matrix;

/** One text-showing operator as drawn: the font and size in force, its place and its operand. */
export interface Placed {
  font: string;
  size: number;
  /** The text rendering matrix's [a b c d] (upright text: d > 0) and its origin, page space. */
  orientation: [number, number, number, number];
  x: number;
  y: number;
  operator: string;
  /** TJ's array, or Tj's string: hex strings as <…>, numbers as they are. */
  operand: string;
}

/**
 * Every text-showing operator of a content stream, with the graphics state it is drawn in: q/Q,
 * cm, BT (text matrix reset), Tm and Tf, as a viewer applies them. (Td, TD, T* and TL are not
 * written by pdfkit or srq; a stream using them fails here rather than being misread.)
 */
export function placedText(content: string): Placed[] {
  const out: Placed[] = [];
  type State = { ctm: Matrix; font: string; size: number };
  let state: State = { ctm: [1, 0, 0, 1, 0, 0], font: '', size: 0 };
  const saved: State[] = [];
  let tm: Matrix = [1, 0, 0, 1, 0, 0];
  const operands: Token[] = [];
  const show = (t: Token): string =>
    t.kind === 'hex'
      ? `<${t.value}>`
      : t.kind === 'array'
        ? `[${(t.items ?? []).map(show).join(' ')}]`
        : t.kind === 'str'
          ? `(${t.value})`
          : t.value;
  for (const t of tokenize(content)) {
    if (t.kind !== 'op') {
      operands.push(t);
      continue;
    }
    switch (t.value) {
      case 'q':
        saved.push({ ...state });
        break;
      case 'Q':
        state = saved.pop() ?? state;
        break;
      case 'cm':
        state.ctm = times(matrixOf(operands), state.ctm);
        break;
      case 'BT':
        tm = [1, 0, 0, 1, 0, 0];
        break;
      case 'Tm':
        tm = matrixOf(operands);
        break;
      case 'Tf':
        state.font = operands[operands.length - 2]?.value ?? '';
        state.size = Number(operands[operands.length - 1]?.value);
        break;
      case 'Td':
      case 'TD':
      case 'T*':
      case 'TL':
      case "'":
      case '"':
        throw new Error(`content stream: ${t.value} is not read by placedText`);
      case 'Tj':
      case 'TJ': {
        const m = times(tm, state.ctm);
        out.push({
          font: state.font,
          size: state.size,
          orientation: [m[0], m[1], m[2], m[3]],
          x: m[4],
          y: m[5],
          operator: t.value,
          operand: show(operands[operands.length - 1]),
        });
        break;
      }
    }
    operands.length = 0;
  }
  return out;
}

/** A painting operator with the graphics state it paints in (`paintedState`). */
export interface Painted {
  /** Text shown (Tj, TJ), a path stroked (S, s), filled (f, F, f*) or both (B, B*, b, b*). */
  kind: 'text' | 'stroke' | 'fill' | 'fill+stroke';
  /** The fill and stroke colours' components in their colour space (initially DeviceGray 0). */
  fill: number[];
  stroke: number[];
  lineWidth: number;
  /** How many q are open around it. */
  depth: number;
  /** The /Type of the innermost open /Artifact, if any (Layout, Pagination). */
  artifact: string | undefined;
  /** The rectangles (re: x, y, width, height, untransformed) of the path it paints. */
  rects: number[][];
}

/**
 * Every painting operator of a content stream with the fill and stroke colours and line width
 * in force, as a viewer applies them (ISO 32000-1 8.4, 8.6.8): q/Q save and restore them, cs and
 * CS reset a colour to its space's initial one (all zeros for DeviceGray and DeviceRGB), sc/scn
 * and SC/SCN set it, g/rg/k and G/RG/K set both.
 */
export function paintedState(content: string): Painted[] {
  const out: Painted[] = [];
  type State = { fill: number[]; stroke: number[]; lineWidth: number };
  let state: State = { fill: [0], stroke: [0], lineWidth: 1 };
  const saved: State[] = [];
  const marks: (string | undefined)[] = [];
  const operands: Token[] = [];
  const nums = () => operands.filter((o) => o.kind === 'num').map((o) => Number(o.value));
  const initial = (space: string | undefined) => (space === 'DeviceCMYK' ? [0, 0, 0, 1] : [0]);
  let rects: number[][] = [];
  const paint = (kind: Painted['kind']) => {
    const artifact = [...marks].reverse().find((m) => m !== undefined);
    out.push({ kind, ...state, depth: saved.length, artifact, rects });
    rects = [];
  };
  for (const t of tokenize(content)) {
    if (t.kind !== 'op') {
      operands.push(t);
      continue;
    }
    const v = t.value;
    if (v === 'q') saved.push({ ...state });
    else if (v === 'Q') state = saved.pop() ?? state;
    else if (v === 'w') state.lineWidth = nums()[0];
    else if (v === 're') rects.push(nums());
    else if (v === 'n') rects = [];
    else if (v === 'cs') state.fill = initial(operands[0]?.value);
    else if (v === 'CS') state.stroke = initial(operands[0]?.value);
    else if (['sc', 'scn', 'g', 'rg', 'k'].includes(v)) state.fill = nums();
    else if (['SC', 'SCN', 'G', 'RG', 'K'].includes(v)) state.stroke = nums();
    else if (v === 'BMC' || v === 'BDC') {
      const props = operands[1];
      const type = props?.kind === 'dict' ? /\/Type\s*\/(\w+)/.exec(props.value)?.[1] : undefined;
      marks.push(operands[0]?.value === 'Artifact' ? (type ?? 'Artifact') : undefined);
    } else if (v === 'EMC') marks.pop();
    else if (v === 'Tj' || v === 'TJ') paint('text');
    else if (v === 'S' || v === 's') paint('stroke');
    else if (['f', 'F', 'f*'].includes(v)) paint('fill');
    else if (['B', 'B*', 'b', 'b*'].includes(v)) paint('fill+stroke');
    operands.length = 0;
  }
  return out;
}

const PATH_CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);

/**
 * Operators found inside a path object, between its first construction operator and its
 * painting (or clipping) operator, that ISO 32000-1 8.2 (figure 9) does not allow there: only
 * path construction, then W or W*, may come before the painting operator.
 */
export function pathObjectIntruders(content: string): string[] {
  const out: string[] = [];
  let inPath = false;
  for (const t of tokenize(content)) {
    if (t.kind !== 'op') continue;
    if (PATH_CONSTRUCTION.has(t.value)) inPath = true;
    else if (PATH_PAINTING.has(t.value)) inPath = false;
    else if (inPath && t.value !== 'W' && t.value !== 'W*') out.push(t.value);
  }
  return out;
}

/** MCID → text of a page (content marked as Artifact is left out). */
export function pageMarkedText(objects: PdfObjects, page: PdfDict): Record<string, string> {
  return pageContent(objects, page).marked;
}

/** Every text-showing operator of a page outside artifacts, in content-stream order. */
export function pageShows(objects: PdfObjects, page: PdfDict): Shown[] {
  return pageContent(objects, page).shows;
}

function pageContent(
  objects: PdfObjects,
  page: PdfDict,
): { marked: Record<string, string>; shows: Shown[] } {
  const resources = objects.dict(page.Resources) ?? {};
  const fonts = objects.dict(resources.Font) ?? {};
  const cmaps = new Map<string, CMap>();
  const cmapOf = (name: string): CMap => {
    let m = cmaps.get(name);
    if (!m) {
      const font = objects.dict(fonts[name]);
      const tu = font?.ToUnicode;
      m = tu ? parseToUnicode(objects.stream(tu).toString('latin1')) : new Map();
      cmaps.set(name, m);
    }
    return m;
  };
  // Contents: one stream, or an array of them (itself possibly indirect).
  const c = page.Contents;
  const resolved = c instanceof PdfRef ? objects.get(c) : c;
  const refs = Array.isArray(resolved) ? resolved : [c];
  const content = refs.map((ref) => objects.stream(ref).toString('latin1')).join('\n');
  const out: Record<string, string> = {};
  const shows: Shown[] = [];
  const marks: (string | null)[] = [];
  let font = '';
  let tm = { x: 0, y: 0 };
  let joinNext = false;
  let size = 0;
  // Where each text-showing operator is drawn, in order (cm, q/Q and Tf applied).
  const placed = placedText(content);
  let shown = 0;
  const operands: Token[] = [];
  const show = (t: Token, actual?: string) => {
    const open = marks.filter((m): m is string => m !== null && m !== 'actual');
    const mcid = open[open.length - 1];
    if (mcid === undefined || marks.includes('artifact') || marks.includes('actual')) return;
    const cmap = cmapOf(font);
    let text = actual ?? '';
    if (t.kind === 'hex') {
      for (let i = 0; i < t.value.length; i += 4)
        text += cmap.get(parseInt(t.value.slice(i, i + 4), 16)) ?? '\ufffd';
    } else if (t.kind === 'str') for (const ch of t.value) text += cmap.get(ch.charCodeAt(0)) ?? ch;
    out[mcid] = (out[mcid] ?? '') + text;
    // One entry per operator: a TJ's strings (split by kerning) are one.
    const last = shows[shows.length - 1];
    if (joinNext && last) last.text += text;
    else shows.push({ mcid, text, ...tm, size });
  };
  for (const t of tokenize(content)) {
    if (t.kind !== 'op') {
      operands.push(t);
      continue;
    }
    switch (t.value) {
      case 'BDC': {
        const props = operands[operands.length - 1];
        const tag = operands[operands.length - 2];
        const mcid = props?.kind === 'dict' ? /\/MCID\s+(\d+)/.exec(props.value)?.[1] : undefined;
        const actual = props?.kind === 'dict' ? actualText(props.value) : undefined;
        if (actual !== undefined) {
          // What the span reads as (ISO 32000-1 14.9.4): its glyphs are not read.
          show({ kind: 'str', value: '' }, actual);
          marks.push('actual');
          break;
        }
        marks.push(tag?.value === 'Artifact' ? 'artifact' : (mcid ?? null));
        if (mcid !== undefined) out[mcid] ??= '';
        break;
      }
      case 'BMC':
        marks.push(operands[operands.length - 1]?.value === 'Artifact' ? 'artifact' : null);
        break;
      case 'EMC':
        marks.pop();
        break;
      case 'Tj':
      case 'TJ': {
        const p = placed[shown++];
        font = p.font;
        size = p.size;
        tm = { x: p.x, y: p.y };
        if (t.value === 'Tj') {
          show(operands[operands.length - 1]);
          break;
        }
        joinNext = false;
        for (const item of operands[operands.length - 1]?.items ?? []) {
          if (item.kind === 'num') continue;
          show(item);
          joinNext = shows.length > 0;
        }
        joinNext = false;
        break;
      }
    }
    operands.length = 0;
  }
  return { marked: out, shows };
}

/** MCID text of every page, by page object number. */
export function markedText(objects: PdfObjects): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const walk = (v: PdfValue | undefined) => {
    const node = objects.dict(v);
    if (!node) return;
    if (nameOf(node.Type) === 'Pages') for (const kid of objects.array(node.Kids)) walk(kid);
    else if (v instanceof PdfRef) out[v.num] = pageMarkedText(objects, node);
  };
  walk(objects.catalog.Pages);
  return out;
}

export { PdfName };
