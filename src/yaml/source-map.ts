/**
 * YAML text to plain data and a source map: where every value and key stands (line, column),
 * with YAML syntax errors, reserved keys and alias bombs reported as located diagnostics.
 * Checking the data against a schema is src/yaml/zod-diagnostics.ts.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostic } from '../errors';

export type PathKey = string | number;
export type Path = readonly PathKey[];

/** Where each value (and each map key) of a parsed YAML file stands. */
export class SourceMap {
  private readonly values = new Map<string, number>();
  private readonly keys = new Map<string, number>();
  /** How non-text scalars were written (`3.10` stays "3.10", not the number 3.1). */
  private readonly sources = new Map<string, string>();
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  setValue(path: Path, offset: number): void {
    this.values.set(pathKey(path), offset);
  }
  setKey(path: Path, offset: number): void {
    this.keys.set(pathKey(path), offset);
  }
  setSource(path: Path, source: string): void {
    this.sources.set(pathKey(path), source);
  }
  /** The value at `path` as written in the file, for a number, boolean or null. */
  source(path: Path): string | undefined {
    return this.sources.get(pathKey(path));
  }

  /** Line and column of the value at `path`, or of its nearest located ancestor. */
  locate(path: Path, prefer: 'key' | 'value' = 'value'): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const p = path.slice(0, n);
      const k = pathKey(p);
      const off =
        prefer === 'key' || n < path.length
          ? (this.keys.get(k) ?? this.values.get(k))
          : (this.values.get(k) ?? this.keys.get(k));
      if (off !== undefined) {
        const { line, col } = this.lines.linePos(off);
        return { line, col };
      }
    }
    return { line: 1, col: 1 };
  }

  diagnostic(
    path: Path,
    message: string,
    extra: { hint?: string; severity?: 'error' | 'warning'; at?: 'key' | 'value' } = {},
  ): Diagnostic {
    const { line, col } = this.locate(path, extra.at);
    return {
      severity: extra.severity ?? 'error',
      file: this.file,
      line,
      col,
      path: formatPath(path),
      message,
      ...(extra.hint ? { hint: extra.hint } : {}),
    };
  }
}

function pathKey(path: Path): string {
  return path.map(String).join('\u0000');
}

export function formatPath(path: Path): string {
  return path.map(String).join('.');
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** NOTE: bounds alias expansion ("billion laughs"); real answers files use no aliases at all. */
const MAX_ALIAS_EXPANSIONS = 1000;

/**
 * Parses YAML text into plain data plus a source map. Pure: no file access.
 * Keys keep their source spelling (`2.10` stays "2.10", not the number 2.1).
 */
export function parseYamlSource(
  text: string,
  file: string,
): { data: unknown; map: SourceMap; errors: Diagnostic[] } {
  if (text.includes('\r') && !text.includes('\n')) {
    return {
      data: undefined,
      map: new SourceMap(file, new LineCounter()),
      errors: [
        {
          severity: 'error',
          file,
          line: 1,
          col: 1,
          message:
            'the lines end in a carriage return only (old Mac line endings), which YAML does not read',
          hint: 'save the file with LF (or CRLF) line endings',
        },
      ],
    };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const map = new SourceMap(file, lines);
  const errors: Diagnostic[] = [];
  for (const e of doc.errors) {
    const { line, col } = lines.linePos(e.pos[0]);
    errors.push({
      severity: 'error',
      file,
      line,
      col,
      message: `YAML syntax: ${yamlMessage(e.code, e.message)}`,
      hint: yamlHint(e.code, text, e.pos[0], e.message),
    });
  }
  if (errors.length) return { data: undefined, map, errors };
  let aliases = 0;
  const convert = (node: unknown, path: PathKey[]): unknown => {
    if (node == null) return null;
    if (isAlias(node)) {
      if (++aliases > MAX_ALIAS_EXPANSIONS) {
        throw new AliasBomb(path);
      }
      const target = node.resolve(doc);
      if (target === undefined) {
        if (node.range) map.setValue(path, node.range[0]);
        errors.push(
          map.diagnostic(
            path,
            `the alias *${node.source} has no anchor &${node.source} before it`,
            {
              hint: `define &${node.source} earlier in the file, or write the value out`,
            },
          ),
        );
        return null;
      }
      return convert(target, path);
    }
    const n = node as Node;
    if (n.range) map.setValue(path, n.range[0]);
    if (isScalar(n)) {
      if (typeof n.source === 'string' && typeof n.value !== 'string')
        map.setSource(path, n.source);
      return n.value;
    }
    if (isSeq(n)) return n.items.map((item, i) => convert(item, [...path, i]));
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      for (const pair of n.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? (keyNode.source ?? String(keyNode.value)) : String(keyNode);
        const childPath = [...path, key];
        if (keyNode?.range) map.setKey(childPath, keyNode.range[0]);
        if (RESERVED_KEYS.has(key)) {
          errors.push(
            map.diagnostic(childPath, `the key '${key}' is not allowed`, {
              hint: 'remove it; srq keys are listed in the README',
              at: 'key',
            }),
          );
          continue;
        }
        out[key] = convert(pair.value, childPath);
      }
      return out;
    }
    return null;
  };
  try {
    const data = convert(doc.contents, []);
    return { data, map, errors };
  } catch (err) {
    if (err instanceof AliasBomb) {
      errors.push(
        map.diagnostic(err.path, `more than ${MAX_ALIAS_EXPANSIONS} YAML alias expansions`, {
          hint: 'write the values out instead of using anchors (&) and aliases (*)',
        }),
      );
      return { data: undefined, map, errors };
    }
    throw err;
  }
}

class AliasBomb extends Error {
  constructor(readonly path: PathKey[]) {
    super('alias bomb');
  }
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'TAB_AS_INDENT') return 'a tab is used for indentation';
  if (code === 'DUPLICATE_KEY') return 'a key appears twice in the same mapping';
  if (code === 'MULTIPLE_DOCS')
    return 'a second YAML document starts here (a line "---"); an answers file is one document';
  if (/call stack/i.test(message)) return 'the lists or mappings are nested too deeply';
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function yamlHint(code: string, text: string, offset: number, message = ''): string {
  if (code === 'TAB_AS_INDENT' || text.slice(Math.max(0, offset - 40), offset + 1).includes('\t')) {
    return 'indent with spaces, never tabs';
  }
  if (code === 'DUPLICATE_KEY') return 'remove or merge the second one';
  if (code === 'MULTIPLE_DOCS') return 'remove the "---" line and what follows, or split the file';
  if (/call stack/i.test(message)) return 'an srq file needs only a few levels of nesting';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') {
    return 'check the indentation and that every "key: value" has a space after the colon';
  }
  return 'quote values containing ": " or "#", and check the indentation';
}
