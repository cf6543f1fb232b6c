/**
 * A fast reader for the plain subset of YAML that srq files are written in: block mappings and
 * sequences, one-line flow collections, plain, quoted and block scalars, comments. It gives the
 * same data and the same source positions as the `yaml` package (src/yaml/source-map.ts),
 * about ten times faster, and gives up (returns undefined) on anything outside that subset or
 * anything that may be an error — tabs, carriage returns, anchors, aliases, tags, directives,
 * document markers, complex keys, duplicate or reserved keys, multi-line quoted scalars or flow
 * collections, explicit indentation indicators, `|+` — so every file that is not plain, and every
 * error message, still comes from the `yaml` package. test/answers/yaml-fast.test.ts checks the
 * two agree on every file in the repository and on generated documents.
 */
import { Document, isScalar, LineCounter } from 'yaml';

/** Where a value (and its key) stands, and where its children stand. */
export interface Loc {
  /** Offset of the value. */
  v?: number;
  /** Offset of the key, for a mapping entry. */
  k?: number;
  /** How a non-text scalar was written (`3.10`), as the source map keeps it. */
  src?: string;
  /** A mapping's children by key. */
  c?: Map<string, Loc>;
  /** A sequence's children. */
  a?: Loc[];
}

const BAIL = new Error('outside the fast subset');

/** Any of these anywhere sends the file to the full parser. */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;
/** Characters a plain scalar (or plain key) here may not start with. */
const PLAIN_START_BAD = new Set([...'-?:,[]{}#&*!|>\'"%@`']);
/** First characters of the plain scalars the core schema may read as null, a boolean or a number. */
const MAYBE_NOT_TEXT = new Set([...'~nNtTfF0123456789+-.']);
/** `:,[]{}#`: where a plain key in a flow mapping stops. */
const FLOW_KEY_STOP = new Set([58, 44, 91, 93, 123, 125, 35]);
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  collection?: string;
  resolve: (value: string, onError: (msg: string) => void, options: object) => unknown;
}
let scalarTags: ScalarTag[] | undefined;
/** The core schema's scalar tags, as the `yaml` package resolves plain scalars with them. */
function tags(): ScalarTag[] {
  scalarTags ??= (new Document().schema.tags as unknown as ScalarTag[]).filter(
    (t) => t.default === true && t.test && !t.collection,
  );
  return scalarTags;
}

/** A plain scalar's value as the `yaml` package's core schema resolves it. */
function resolvePlain(value: string): unknown {
  // Every core tag's test needs one of these first characters (or the empty string, null).
  if (value && !MAYBE_NOT_TEXT.has(value[0])) return value;
  const tag = tags().find((t) => t.test!.test(value));
  if (!tag) return value;
  let failed = false;
  const res = tag.resolve(value, () => (failed = true), {});
  if (failed) throw BAIL;
  // A float keeps how many fraction digits it was written with in a Scalar (`3.10`).
  return isScalar(res) ? res.value : res;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The value of a one-line double-quoted scalar's inside (no line breaks). */
function doubleQuoted(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = s[++i];
    const esc = ESCAPES[next];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    const len = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const hex = s.substr(i + 1, len);
    if (!len || hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw BAIL;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) throw BAIL;
    out += String.fromCodePoint(code);
    i += len;
  }
  return out;
}

/** Port of the `yaml` package's folding of a multi-line plain scalar (no tabs, no CRs here). */
function unfoldLines(source: string): string {
  const parts = source.split('\n');
  if (parts.length === 1) return source;
  let res = parts[0].replace(/ +$/, '');
  let sep = ' ';
  for (let i = 1; i < parts.length - 1; i++) {
    const lm = parts[i].trim();
    if (lm === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + lm;
      sep = ' ';
    }
  }
  return res + sep + parts[parts.length - 1].replace(/^ +/, '');
}

class FastParser {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Leading spaces of each line; -1 for a blank line, -2 for a comment-only line. */
  private readonly indents: number[] = [];
  private li = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    let s = 0;
    for (;;) {
      const e = text.indexOf('\n', s);
      const end = e < 0 ? text.length : e;
      this.starts.push(s);
      this.ends.push(end);
      let i = s;
      while (i < end && text.charCodeAt(i) === 32) i++;
      this.indents.push(i === end ? -1 : text.charCodeAt(i) === 35 ? -2 : i - s);
      if (e < 0) break;
      s = e + 1;
    }
  }

  run(): { data: unknown; root: Loc } {
    const t = this.text;
    for (let i = 0; i < this.starts.length; i++) {
      const s = this.starts[i];
      const c = t.charCodeAt(s);
      // Directives and document markers.
      if (c === 37 || t.startsWith('---', s) || t.startsWith('...', s)) throw BAIL;
    }
    this.skipBlank();
    if (this.li >= this.starts.length) throw BAIL;
    if (this.indents[this.li] !== 0) throw BAIL;
    const root = this.blockNode(0);
    this.skipBlank();
    if (this.li < this.starts.length) throw BAIL;
    return { data: root.value, root: root.loc };
  }

  private skipBlank(): void {
    while (this.li < this.starts.length && this.indents[this.li] < 0) this.li++;
  }

  /** A block mapping or sequence starting at the current line, indented `ind`. */
  private blockNode(ind: number): { value: unknown; loc: Loc } {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const col = this.starts[this.li] + ind;
    const t = this.text;
    let res: { value: unknown; loc: Loc };
    if (t.charCodeAt(col) === 45 && this.spaceOrEnd(col + 1)) res = this.seq(ind);
    else if (this.key(col)) res = this.map(ind, col);
    else throw BAIL;
    this.depth--;
    return res;
  }

  private spaceOrEnd(i: number): boolean {
    return i >= this.ends[this.li] || this.text.charCodeAt(i) === 32;
  }

  /** Offset of the first non-space at or after `i` on the current line. */
  private skipSpaces(i: number): number {
    const end = this.ends[this.li];
    while (i < end && this.text.charCodeAt(i) === 32) i++;
    return i;
  }

  /** At `i`: only spaces and perhaps a comment to the end of the line? */
  private restIsEmpty(i: number): boolean {
    const end = this.ends[this.li];
    const j = this.skipSpaces(i);
    if (j >= end) return true;
    return this.text.charCodeAt(j) === 35 && j > i;
  }

  /**
   * A mapping key at `col` on the current line followed by `: ` or `:` at the end of the line:
   * its text and the offset just after the colon; undefined when there is none.
   */
  private key(col: number): { key: string; after: number } | undefined {
    const t = this.text;
    const end = this.ends[this.li];
    const c = t[col];
    if (c === '"' || c === "'") {
      const close = this.closeQuote(col);
      if (close < 0) return undefined;
      const j = this.skipSpaces(close + 1);
      if (t.charCodeAt(j) !== 58 || !(j + 1 >= end || t.charCodeAt(j + 1) === 32)) return undefined;
      return { key: this.quoted(col, close), after: j + 1 };
    }
    if (PLAIN_START_BAD.has(c)) return undefined;
    for (let j = col; j < end; j++) {
      const ch = t.charCodeAt(j);
      if (ch === 58 && (j + 1 >= end || t.charCodeAt(j + 1) === 32)) {
        const key = t.slice(col, j).replace(/ +$/, '');
        if (!key || j - col > 1000 || /[[\]{},]/.test(key)) throw BAIL;
        return { key, after: j + 1 };
      }
      if (ch === 35 && t.charCodeAt(j - 1) === 32) return undefined;
    }
    return undefined;
  }

  /** Offset of the closing quote of the quoted scalar opening at `col`, on its line; -1 if none. */
  private closeQuote(col: number): number {
    const t = this.text;
    const end = this.ends[this.li];
    const q = t.charCodeAt(col);
    for (let j = col + 1; j < end; j++) {
      const ch = t.charCodeAt(j);
      if (q === 34 && ch === 92) j++;
      else if (ch === q) {
        if (q === 39 && t.charCodeAt(j + 1) === 39) j++;
        else return j;
      }
    }
    return -1;
  }

  private quoted(open: number, close: number): string {
    const inner = this.text.slice(open + 1, close);
    return this.text[open] === '"' ? doubleQuoted(inner) : inner.replace(/''/g, "'");
  }

  private map(ind: number, firstCol: number): { value: unknown; loc: Loc } {
    const out: Record<string, unknown> = {};
    const kids = new Map<string, Loc>();
    const loc: Loc = { v: firstCol, c: kids };
    let col = firstCol;
    for (;;) {
      const k = this.key(col);
      if (!k) throw BAIL;
      if (RESERVED_KEYS.has(k.key) || kids.has(k.key)) throw BAIL;
      const child = this.entryValue(ind, k.after);
      child.loc.k = col;
      kids.set(k.key, child.loc);
      out[k.key] = child.value;
      this.skipBlank();
      if (this.li >= this.starts.length) break;
      const next = this.indents[this.li];
      if (next < ind) break;
      if (next > ind) throw BAIL;
      col = this.starts[this.li] + ind;
    }
    return { value: out, loc };
  }

  /** The value after a key's colon at `after`; the entry is in a mapping indented `ind`. */
  private entryValue(ind: number, after: number): { value: unknown; loc: Loc } {
    const t = this.text;
    const j = this.skipSpaces(after);
    if (this.restIsEmpty(after)) {
      const here = this.li;
      this.li++;
      this.skipBlank();
      if (this.li < this.starts.length) {
        const next = this.indents[this.li];
        const s = this.starts[this.li] + next;
        if (next > ind) return this.blockNode(next);
        if (next === ind && t.charCodeAt(s) === 45 && this.spaceOrEndAt(s + 1)) {
          return this.blockNode(next);
        }
      }
      this.li = here + 1;
      return { value: null, loc: { v: j, src: '' } };
    }
    return this.inlineValue(ind, j);
  }

  private spaceOrEndAt(i: number): boolean {
    return i >= this.ends[this.li] || this.text.charCodeAt(i) === 32;
  }

  private seq(ind: number): { value: unknown; loc: Loc } {
    const t = this.text;
    const out: unknown[] = [];
    const kids: Loc[] = [];
    const loc: Loc = { v: this.starts[this.li] + ind, a: kids };
    for (;;) {
      const dash = this.starts[this.li] + ind;
      const j = this.skipSpaces(dash + 1);
      let item: { value: unknown; loc: Loc };
      if (this.restIsEmpty(dash + 1)) {
        const here = this.li;
        this.li++;
        this.skipBlank();
        if (this.li < this.starts.length && this.indents[this.li] > ind) {
          item = this.blockNode(this.indents[this.li]);
        } else {
          this.li = here + 1;
          item = { value: null, loc: { v: j, src: '' } };
        }
      } else if (t.charCodeAt(j) === 45 && this.spaceOrEnd(j + 1)) {
        throw BAIL;
      } else if (this.key(j)) {
        if (++this.depth > MAX_DEPTH) throw BAIL;
        item = this.map(j - this.starts[this.li], j);
        this.depth--;
      } else {
        item = this.inlineValue(ind, j);
      }
      kids.push(item.loc);
      out.push(item.value);
      this.skipBlank();
      if (this.li >= this.starts.length) break;
      const next = this.indents[this.li];
      if (next < ind) break;
      if (next > ind) throw BAIL;
      const s = this.starts[this.li] + ind;
      if (!(t.charCodeAt(s) === 45 && this.spaceOrEnd(s + 1))) break;
    }
    return { value: out, loc };
  }

  /**
   * A value starting at `at` on the current line (not empty); `ind` is the indentation its
   * continuation lines and block scalar lines must exceed. Moves to the line after it.
   */
  private inlineValue(ind: number, at: number): { value: unknown; loc: Loc } {
    const t = this.text;
    const c = t[at];
    if (c === '|' || c === '>') return this.blockScalar(ind, at);
    if (c === '"' || c === "'") {
      const close = this.closeQuote(at);
      if (close < 0 || !this.restIsEmpty(close + 1)) throw BAIL;
      const value = this.quoted(at, close);
      this.li++;
      return { value, loc: { v: at } };
    }
    if (c === '[' || c === '{') {
      const r = this.flow(at);
      if (!this.restIsEmpty(r.end)) throw BAIL;
      this.li++;
      return r;
    }
    if (PLAIN_START_BAD.has(c) && !(c === '-' && !this.spaceOrEnd(at + 1))) throw BAIL;
    return this.plain(ind, at);
  }

  /** The end (exclusive) of plain scalar text on the current line from `at`; bails on `: `. */
  private plainLineEnd(at: number): number {
    const t = this.text;
    const end = this.ends[this.li];
    let last = at;
    for (let j = at; j < end; j++) {
      const ch = t.charCodeAt(j);
      if (ch === 35 && t.charCodeAt(j - 1) === 32) break;
      if (ch === 58 && (j + 1 >= end || t.charCodeAt(j + 1) === 32)) throw BAIL;
      if (ch !== 32) last = j + 1;
    }
    return last;
  }

  private plain(ind: number, at: number): { value: unknown; loc: Loc } {
    const t = this.text;
    let stop = this.plainLineEnd(at);
    let commented = this.skipSpaces(stop) < this.ends[this.li];
    this.li++;
    // Continuation lines: more indented than `ind`, after any blank lines.
    while (!commented) {
      let n = this.li;
      while (n < this.starts.length && this.indents[n] === -1) n++;
      if (n >= this.starts.length || this.indents[n] <= ind) break;
      const s = this.starts[n] + this.indents[n];
      if (PLAIN_START_BAD.has(t[s])) throw BAIL;
      this.li = n;
      stop = this.plainLineEnd(s);
      commented = this.skipSpaces(stop) < this.ends[this.li];
      this.li++;
    }
    const source = t.slice(at, stop);
    const value = resolvePlain(source.includes('\n') ? unfoldLines(source) : source);
    const loc: Loc = { v: at };
    if (typeof value !== 'string') loc.src = source.includes('\n') ? unfoldLines(source) : source;
    return { value, loc };
  }

  private blockScalar(ind: number, at: number): { value: unknown; loc: Loc } {
    const t = this.text;
    const end = this.ends[this.li];
    const folded = t[at] === '>';
    let i = at + 1;
    let chomp = '';
    if (t[i] === '-') {
      chomp = '-';
      i++;
    }
    if (i < end && t.charCodeAt(i) !== 32) throw BAIL; // `+`, indentation digits, other text
    if (!this.restIsEmpty(i)) throw BAIL;
    // Lines: blank ones, or indented more than `ind`.
    const lines: [number, string][] = [];
    this.li++;
    while (this.li < this.starts.length) {
      const s = this.starts[this.li];
      const e = this.ends[this.li];
      let k = s;
      while (k < e && t.charCodeAt(k) === 32) k++;
      if (k < e && k - s <= ind) break;
      lines.push([k - s, t.slice(k, e)]);
      this.li++;
    }
    let chompStart = lines.length;
    for (let n = lines.length - 1; n >= 0 && lines[n][1] === ''; n--) chompStart = n;
    if (chompStart === 0) {
      if (lines.some(([sp]) => sp > 0)) throw BAIL;
      return { value: '', loc: { v: at } };
    }
    let trimIndent = 0;
    let contentStart = 0;
    for (let n = 0; n < chompStart; n++) {
      const [sp, content] = lines[n];
      if (content === '') {
        if (sp > trimIndent) trimIndent = sp;
      } else {
        if (sp < trimIndent) throw BAIL;
        trimIndent = sp;
        contentStart = n;
        break;
      }
    }
    for (let n = chompStart; n < lines.length; n++) if (lines[n][0] > trimIndent) throw BAIL;
    let value = '';
    for (let n = 0; n < contentStart; n++) value += '\n';
    let sep = '';
    let prevMoreIndented = false;
    for (let n = contentStart; n < chompStart; n++) {
      const [sp, content] = lines[n];
      if (content && sp < trimIndent) throw BAIL;
      const extra = sp > trimIndent ? ' '.repeat(sp - trimIndent) : '';
      if (!folded) {
        value += sep + extra + content;
        sep = '\n';
      } else if (sp > trimIndent) {
        if (sep === ' ') sep = '\n';
        else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
        value += sep + extra + content;
        sep = '\n';
        prevMoreIndented = true;
      } else if (content === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + content;
        sep = ' ';
        prevMoreIndented = false;
      }
    }
    if (chomp !== '-') value += '\n';
    return { value, loc: { v: at } };
  }

  /** A flow collection opening at `at` and closing on the same line. */
  private flow(at: number): { value: unknown; loc: Loc; end: number } {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const t = this.text;
    const lineEnd = this.ends[this.li];
    const isMap = t[at] === '{';
    const kids = new Map<string, Loc>();
    const items: Loc[] = [];
    const loc: Loc = isMap ? { v: at, c: kids } : { v: at, a: items };
    const close = isMap ? '}' : ']';
    const out: Record<string, unknown> | unknown[] = isMap ? {} : [];
    let i = this.skipSpaces(at + 1);
    if (t[i] === close) {
      this.depth--;
      return { value: out, loc: { v: at }, end: i + 1 };
    }
    for (;;) {
      if (i >= lineEnd) throw BAIL;
      if (isMap) {
        const keyAt = i;
        let key: string;
        if (t[i] === '"' || t[i] === "'") {
          const q = this.closeQuote(i);
          if (q < 0) throw BAIL;
          key = this.quoted(i, q);
          i = this.skipSpaces(q + 1);
        } else {
          if (PLAIN_START_BAD.has(t[i])) throw BAIL;
          let j = i;
          while (j < lineEnd && !FLOW_KEY_STOP.has(t.charCodeAt(j))) j++;
          key = t.slice(i, j).replace(/ +$/, '');
          i = j;
        }
        if (t[i] !== ':' || t[i + 1] !== ' ' || !key || j1000(i - keyAt)) throw BAIL;
        if (RESERVED_KEYS.has(key) || kids.has(key)) throw BAIL;
        const item = this.flowItem(this.skipSpaces(i + 1), close);
        item.loc.k = keyAt;
        kids.set(key, item.loc);
        (out as Record<string, unknown>)[key] = item.value;
        i = item.end;
      } else {
        const item = this.flowItem(i, close);
        items.push(item.loc);
        (out as unknown[]).push(item.value);
        i = item.end;
      }
      i = this.skipSpaces(i);
      if (t[i] === close) break;
      if (t[i] !== ',') throw BAIL;
      i = this.skipSpaces(i + 1);
      if (t[i] === close || t[i] === ',') throw BAIL;
    }
    this.depth--;
    return { value: out, loc, end: i + 1 };
  }

  /** One flow item at `i`: its value, where it stands and the offset after it. */
  private flowItem(i: number, close: string): { value: unknown; loc: Loc; end: number } {
    const t = this.text;
    const lineEnd = this.ends[this.li];
    const c = t[i];
    if (c === '[' || c === '{') return this.flow(i);
    if (c === '"' || c === "'") {
      const q = this.closeQuote(i);
      if (q < 0) throw BAIL;
      return { value: this.quoted(i, q), loc: { v: i }, end: q + 1 };
    }
    if (i >= lineEnd || PLAIN_START_BAD.has(c)) throw BAIL;
    let j = i;
    let last = i;
    for (; j < lineEnd; j++) {
      const ch = t[j];
      if (ch === ',' || ch === close) break;
      if (ch === ':' || ch === '#' || ch === '[' || ch === ']' || ch === '{' || ch === '}') {
        throw BAIL;
      }
      if (ch !== ' ') last = j + 1;
    }
    if (j >= lineEnd) throw BAIL;
    const source = t.slice(i, last);
    const value = resolvePlain(source);
    const loc: Loc = { v: i };
    if (typeof value !== 'string') loc.src = source;
    return { value, loc, end: last };
  }
}

function j1000(n: number): boolean {
  return n > 1000;
}

/**
 * Plain data and where every value stands, for text in the fast subset; undefined for anything
 * else (then the `yaml` package reads it).
 */
export function parseFast(
  text: string,
): { data: unknown; root: Loc; lines: () => LineCounter } | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    const { data, root } = new FastParser(text).run();
    const lines = () => {
      const lc = new LineCounter();
      lc.addNewLine(0);
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
      return lc;
    };
    return { data, root, lines };
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
}
