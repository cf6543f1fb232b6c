import { isDeepStrictEqual } from 'node:util';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { CheckError } from '../errors';

/**
 * Edits a YAML answers file in place, keeping the user's comments, key order and formatting.
 *
 * NOTE: `Document#toString()` after `setIn` keeps comments and order but re-renders every scalar:
 * folded (`>-`) blocks are re-wrapped and long lines folded, so one saved answer would rewrite
 * half the file in `git diff`. Instead each edit is located with the parsed Document's node
 * ranges, and only the changed key's text is replaced with a fragment rendered by the yaml
 * Document API; every other byte stays as the user wrote it. After each splice the result is
 * parsed and compared with the intended data; should a splice ever disagree, the edit falls back
 * to `setIn`/`deleteIn` on the Document and `toString()`.
 */

export type Key = string;
export type KeyPath = readonly Key[];

/** Marks an answer to come back to: a comment line just above its key. */
export const REVISIT_MARK = '# srq: revisit';
/** Marks unanswered items to come back to (they have no key to mark): one comment line. */
export const REVISIT_UNANSWERED = '# srq: revisit, not answered yet:';
/** What a splice returns for an edit it leaves to the yaml Document API. */
const FALLBACK = Symbol('fallback');

export class YamlEditor {
  private src: string;
  private parsed: Document.Parsed;

  constructor(
    text: string,
    private readonly file = 'answers file',
  ) {
    this.src = text;
    this.parsed = parseChecked(text, file);
  }

  get text(): string {
    return this.src;
  }

  /** The current contents as plain data. */
  data(): unknown {
    return this.parsed.toJS({ maxAliasCount: 1000 }) as unknown;
  }

  get(path: KeyPath): unknown {
    return getPath(this.data(), path);
  }

  /**
   * Sets the value at `path`, creating maps on the way. A new key goes before `before` (the first
   * of those keys that exists), else at the end of its map.
   */
  set(path: KeyPath, value: unknown, opts: { before?: readonly Key[] } = {}): void {
    if (!path.length) throw new Error('set: empty path');
    if (isDeepStrictEqual(this.get(path), value)) return;
    const expected = setPath(this.data(), path, value);
    this.apply(
      expected,
      () => this.spliceSet(path, value, opts.before ?? []),
      (doc) => doc.setIn(path, blockNode(doc, value)),
    );
  }

  /** Removes the key at `path` (and nothing else); a missing key is not an error. */
  delete(path: KeyPath): void {
    if (this.get(path) === undefined) return;
    const expected = deletePath(this.data(), path);
    this.apply(
      expected,
      () => this.spliceDelete(path),
      (doc) => doc.deleteIn(path),
    );
  }

  /** Adds an item at the start of the sequence at `path` (created when missing). */
  prepend(path: KeyPath, value: unknown): void {
    const current = this.get(path);
    const list = Array.isArray(current) ? [value, ...(current as unknown[])] : [value];
    const expected = setPath(this.data(), path, list);
    const node = this.parsed.getIn(path, true);
    this.apply(
      expected,
      () =>
        isSeq(node) && !node.flow && node.items.length
          ? this.splicePrepend(node, value)
          : this.spliceSet(path, list, []),
      (doc) => doc.setIn(path, blockNode(doc, list)),
    );
  }

  /** Whether the key at `path` has the revisit mark just above it. */
  hasMark(path: KeyPath): boolean {
    const pair = this.findPair(path);
    if (!pair) return false;
    const lineStart = lineStartOf(this.src, keyStart(pair));
    const prev = previousLine(this.src, lineStart);
    return prev !== undefined && prev.text.trim() === REVISIT_MARK;
  }

  /** Adds or removes the revisit mark above the key at `path` (a comment: the data is unchanged). */
  setMark(path: KeyPath, on: boolean): void {
    const pair = this.findPair(path);
    if (!pair || this.hasMark(path) === on) return;
    const start = keyStart(pair);
    const lineStart = lineStartOf(this.src, start);
    if (on) {
      const indent = ' '.repeat(start - lineStart);
      this.replaceText(lineStart, lineStart, `${indent}${REVISIT_MARK}\n`);
    } else {
      const prev = previousLine(this.src, lineStart)!;
      this.replaceText(prev.start, lineStart, '');
    }
  }

  /** Unanswered items marked to revisit (the REVISIT_UNANSWERED line), in the order written. */
  unansweredMarks(): string[] {
    const line = this.unansweredMarkLine();
    if (!line) return [];
    return line.text
      .slice(REVISIT_UNANSWERED.length)
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  }

  /** Writes the REVISIT_UNANSWERED line (at the end of the file), or removes it when `ids` is empty. */
  setUnansweredMarks(ids: readonly string[]): void {
    const line = this.unansweredMarkLine();
    const text = ids.length ? `${REVISIT_UNANSWERED} ${ids.join(', ')}\n` : '';
    if (line) this.replaceText(line.start, line.end, text);
    else if (text) {
      const sep = this.src.length && !this.src.endsWith('\n') ? '\n' : '';
      this.replaceText(this.src.length, this.src.length, sep + text);
    }
  }

  private unansweredMarkLine(): { start: number; end: number; text: string } | undefined {
    const re = /^# srq: revisit, not answered yet:.*(?:\r?\n|$)/m;
    const m = re.exec(this.src);
    if (!m) return undefined;
    return { start: m.index, end: m.index + m[0].length, text: m[0].trimEnd() };
  }

  // --- internals ---

  /** `splice` returns the new text, or FALLBACK when the edit is one it does not splice. */
  private apply(
    expected: unknown,
    splice: () => string | typeof FALLBACK,
    fallback: (doc: Document.Parsed) => void,
  ): void {
    let next: string | undefined;
    try {
      const spliced = splice();
      if (spliced !== FALLBACK) {
        const doc = parseDocument(spliced);
        if (!doc.errors.length && isDeepStrictEqual(doc.toJS(), expected)) next = spliced;
      }
    } catch {
      // A splice that fails (an unusual layout) also falls back: the edit itself still happens.
      next = undefined;
    }
    if (next === undefined) {
      const doc = parseChecked(this.src, this.file);
      fallback(doc);
      next = doc.toString({ flowCollectionPadding: false });
    }
    this.src = next;
    this.parsed = parseChecked(next, this.file);
  }

  private replaceText(start: number, end: number, text: string): void {
    const next = this.src.slice(0, start) + text + this.src.slice(end);
    this.src = next;
    this.parsed = parseChecked(next, this.file);
  }

  private findPair(path: KeyPath): Pair<Node, Node | null> | undefined {
    const parent =
      path.length > 1 ? this.parsed.getIn(path.slice(0, -1), true) : this.parsed.contents;
    if (!isMap(parent)) return undefined;
    return (parent as YAMLMap<Node, Node | null>).items.find(
      (p) => keyOf(p) === path[path.length - 1],
    );
  }

  /** Returns the new text for setting `path` to `value` (does not change the editor). */
  private spliceSet(
    path: KeyPath,
    value: unknown,
    before: readonly Key[],
  ): string | typeof FALLBACK {
    const src = this.src;
    // Deepest existing block map on the path.
    let depth = 0;
    let map: YAMLMap<Node, Node | null> | null = isMap(this.parsed.contents)
      ? this.parsed.contents
      : null;
    if (
      !map &&
      this.parsed.contents &&
      !(isScalar(this.parsed.contents) && this.parsed.contents.value == null)
    ) {
      return FALLBACK; // not a map: the Document API reports or handles it
    }
    for (;;) {
      const key = path[depth];
      const pair = map?.items.find((p) => keyOf(p) === key);
      const rest = path.slice(depth + 1);
      if (pair) {
        const v = pair.value;
        if (rest.length && isMap(v) && !v.flow && v.items.length) {
          map = v as YAMLMap<Node, Node | null>;
          depth++;
          continue;
        }
        // Replace this pair's value (whole sub-tree when the rest of the path does not exist yet).
        const newValue = rest.length
          ? setPath(isMap(v) ? (v.toJSON() as unknown) : {}, rest, value)
          : value;
        const start = keyStart(pair);
        const end = valueEnd(pair);
        const col = start - lineStartOf(src, start);
        let frag = renderPair(key, newValue, col);
        if (!src.slice(start, end).endsWith('\n')) frag = frag.replace(/\n$/, '');
        return src.slice(0, start) + frag + src.slice(end);
      }
      // Insert a new key into `map` (or into an empty document).
      const newValue = rest.length ? setPath({}, rest, value) : value;
      if (!map || (map.flow && map.items.length === 0)) {
        if (!map) {
          const sep = src.length && !src.endsWith('\n') ? '\n' : '';
          return src + sep + renderPair(key, newValue, 0);
        }
        return FALLBACK; // an empty flow map: rendered by the Document API
      }
      if (map.flow) return FALLBACK;
      const first = map.items[0];
      const col = keyStart(first) - lineStartOf(src, keyStart(first));
      // Inserted at the start of a line, so the first line needs the indent too.
      const frag = ' '.repeat(col) + renderPair(key, newValue, col);
      const spaced = entriesSpaced(src, map);
      const next = before.map((b) => map!.items.find((p) => keyOf(p) === b)).find(Boolean);
      if (next) {
        const at = commentBlockStart(src, lineStartOf(src, keyStart(next)));
        return src.slice(0, at) + frag + (spaced ? '\n' : '') + src.slice(at);
      }
      const last = map.items[map.items.length - 1];
      let at = last.value ? last.value.range![2] : keyEnd(last);
      let prefix = '';
      if (src[at - 1] !== '\n') {
        // The last value ends its line without a newline here: add after the end of that line.
        const nl = src.indexOf('\n', at);
        at = nl === -1 ? src.length : nl + 1;
        if (nl === -1) prefix = '\n';
      }
      return src.slice(0, at) + prefix + (spaced ? '\n' : '') + frag + src.slice(at);
    }
  }

  private spliceDelete(path: KeyPath): string | typeof FALLBACK {
    const src = this.src;
    const pair = this.findPair(path);
    if (!pair) return src;
    const parent =
      path.length > 1 ? this.parsed.getIn(path.slice(0, -1), true) : this.parsed.contents;
    // The last key of a map, or a flow map: the Document API renders what is left.
    if (isMap(parent) && (parent.flow || parent.items.length === 1)) return FALLBACK;
    const keyLine = lineStartOf(src, keyStart(pair));
    // A revisit mark belongs to this key: it goes with it, not onto the next key.
    const start = this.hasMark(path) ? previousLine(src, keyLine)!.start : keyLine;
    let end = pair.value?.range ? pair.value.range[2] : keyEnd(pair);
    if (src[end - 1] !== '\n') {
      const nl = src.indexOf('\n', end);
      end = nl === -1 ? src.length : nl + 1;
    }
    // Drop a blank line that separated this entry from the next, so blank lines do not pile up.
    const prev = previousLine(src, start);
    if (prev && prev.text.trim() === '' && /^[ \t]*\r?\n/.test(src.slice(end))) {
      end = src.indexOf('\n', end) + 1;
    }
    return src.slice(0, start) + src.slice(end);
  }

  private splicePrepend(seq: YAMLSeq, value: unknown): string | typeof FALLBACK {
    const src = this.src;
    const first = seq.items[0] as Node;
    const firstStart = first.range![0];
    // The `- ` marker sits before the item's content on the same line.
    const lineStart = lineStartOf(src, firstStart);
    const dash = src.lastIndexOf('-', firstStart);
    if (dash < lineStart) return FALLBACK;
    const col = dash - lineStart;
    const doc = new Document([value]);
    styleBlock(doc);
    const frag = ' '.repeat(col) + indentLines(doc.toString({ flowCollectionPadding: false }), col);
    return src.slice(0, lineStart) + frag + src.slice(lineStart);
  }
}

function parseChecked(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new CheckError(`${file} is not valid YAML`, [
      {
        severity: 'error',
        file,
        ...(pos ? { line: pos.line, col: pos.col } : {}),
        message: err.message.split('\n')[0],
        hint: 'fix the YAML by hand, then run the command again',
      },
    ]);
  }
  return doc;
}

function keyOf(p: Pair<Node, Node | null>): string | undefined {
  const k = p.key as unknown;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' ? k : undefined;
}

function keyStart(p: Pair<Node, Node | null>): number {
  const r = (p.key as Node | null)?.range;
  if (!r) throw new Error('pair without a located key');
  return r[0];
}

function keyEnd(p: Pair<Node, Node | null>): number {
  return p.key.range![2];
}

/** End of the pair's value text (block scalars and block collections include their newline). */
function valueEnd(p: Pair<Node, Node | null>): number {
  const v = p.value;
  if (!v?.range) return keyEnd(p);
  // An empty value (`key:`) has a zero-width range at its end.
  return Math.max(v.range[1], keyStart(p));
}

function lineStartOf(src: string, offset: number): number {
  return src.lastIndexOf('\n', offset - 1) + 1;
}

function previousLine(src: string, lineStart: number): { start: number; text: string } | undefined {
  if (lineStart === 0) return undefined;
  const start = src.lastIndexOf('\n', lineStart - 2) + 1;
  return { start, text: src.slice(start, lineStart - 1) };
}

/** Start of the comment lines directly above a key (they belong to it). */
function commentBlockStart(src: string, lineStart: number): number {
  let at = lineStart;
  for (;;) {
    const prev = previousLine(src, at);
    if (!prev || !prev.text.trim().startsWith('#')) return at;
    at = prev.start;
  }
}

/** Whether the map's entries are separated by blank lines (so new entries should be too). */
function entriesSpaced(src: string, map: YAMLMap<Node, Node | null>): boolean {
  if (map.items.length < 2) return false;
  const second = map.items[1];
  const prev = previousLine(src, commentBlockStart(src, lineStartOf(src, keyStart(second))));
  return prev !== undefined && prev.text.trim() === '';
}

function indentLines(text: string, col: number): string {
  if (!col) return text;
  const pad = ' '.repeat(col);
  return text
    .split('\n')
    .map((l, i) => (i === 0 || !l ? l : pad + l))
    .join('\n');
}

/** `key: value` rendered as block YAML for a key whose first character sits at column `col`. */
function renderPair(key: Key, value: unknown, col: number): string {
  const doc = new Document({ [key]: value });
  styleBlock(doc);
  const text = doc.toString({ flowCollectionPadding: false, lineWidth: 100 - col });
  return indentLines(text, col);
}

function blockNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  styleBlock(node);
  return node;
}

/** Block collections, `|` for multi-line text; short id lists (evidence) stay inline. */
function styleBlock(root: Document | Node): void {
  visit(root, {
    Map(_, node) {
      node.flow = false;
    },
    Seq(_, node) {
      node.flow =
        node.items.length > 0 &&
        node.items.every(
          (i) => isScalar(i) && typeof i.value === 'string' && !i.value.includes('\n'),
        ) &&
        node.items.length <= 8;
    },
    Scalar(_, node: Scalar) {
      if (typeof node.value === 'string' && node.value.includes('\n'))
        node.type = Scalar.BLOCK_LITERAL;
    },
  });
}

// --- plain-data path helpers (used to check each splice) ---

function getPath(data: unknown, path: KeyPath): unknown {
  let cur = data;
  for (const k of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setPath(data: unknown, path: KeyPath, value: unknown): unknown {
  if (!path.length) return value;
  const obj =
    data && typeof data === 'object' && !Array.isArray(data)
      ? { ...(data as Record<string, unknown>) }
      : {};
  const [k, ...rest] = path as [Key, ...Key[]];
  obj[k] = setPath(obj[k], rest, value);
  return obj;
}

function deletePath(data: unknown, path: KeyPath): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const obj = { ...(data as Record<string, unknown>) };
  const [k, ...rest] = path as [Key, ...Key[]];
  if (!rest.length) delete obj[k];
  else obj[k] = deletePath(obj[k], rest);
  return obj;
}
