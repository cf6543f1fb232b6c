import type { z } from 'zod';
import type { Diagnostic } from '../errors';
import { closest } from '../text/suggest';
import { formatPath, type Path, type PathKey, type SourceMap } from './source-map';

/**
 * From zod issues to located diagnostics: each issue of a schema check becomes one line naming
 * the file, line and column (from the YAML source map, src/yaml/source-map.ts), the field
 * path, and a fix (the expected type, the allowed values or keys, "did you mean").
 */

/**
 * Validates plain data against a zod schema and turns every issue into a located diagnostic
 * with a hint (expected type, allowed values, "did you mean").
 */
export function validateShape<T>(
  schema: z.ZodType<T>,
  data: unknown,
  map: SourceMap,
): { value?: T; errors: Diagnostic[] } {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data, errors: [] };
  const errors: Diagnostic[] = [];
  const issues = result.error.issues as Issue[];
  // A misspelt key is reported once, as unknown with its suggestion, not again as a missing key.
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeys(schema, issue.path);
    for (const key of issue.keys ?? []) {
      const guess = closest(key, known);
      if (guess) misspelt.add(formatPath([...issue.path, guess]));
    }
  }
  for (const issue of issues) {
    const missing = issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined;
    if (missing && misspelt.has(formatPath(issue.path))) continue;
    errors.push(...issueToDiagnostics(issue, data, map, schema));
  }
  return { errors: sortDiagnostics(dedupe(errors)) };
}

interface Issue {
  code: string;
  path: PathKey[];
  message: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  minimum?: number | bigint;
  origin?: string;
  errors?: Issue[][];
}

function issueToDiagnostics(
  issue: Issue,
  data: unknown,
  map: SourceMap,
  schema: z.ZodType,
): Diagnostic[] {
  const path = issue.path;
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, path);
      return (issue.keys ?? []).map((key) => {
        const guess = closest(key, known);
        return map.diagnostic([...path, key], `unknown key '${key}'`, {
          at: 'key',
          hint: guess
            ? `did you mean '${guess}'?`
            : known.length
              ? `allowed keys here: ${known.join(', ')}`
              : 'remove it',
        });
      });
    }
    case 'invalid_type': {
      if (value === undefined) {
        return [
          map.diagnostic(path, `'${String(path[path.length - 1])}' is required`, {
            hint: `add '${String(path[path.length - 1])}:' with ${describeExpected(issue.expected)}`,
          }),
        ];
      }
      const hint =
        issue.expected === 'string' && typeof value === 'number'
          ? `quote it: "${map.source(path) ?? formatNumberSource(value)}"`
          : `expected ${describeExpected(issue.expected)}`;
      return [
        map.diagnostic(
          path,
          `expected ${describeExpected(issue.expected)}, got ${describeValue(value, map.source(path))}`,
          {
            hint,
          },
        ),
      ];
    }
    case 'invalid_value': {
      const allowed = (issue.values ?? []).map(String);
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return [
        map.diagnostic(path, `'${String(value)}' is not allowed`, {
          hint: guess
            ? `did you mean '${guess}'? allowed: ${allowed.join(', ')}`
            : `allowed: ${allowed.join(', ')}`,
        }),
      ];
    }
    case 'invalid_union': {
      const branches = issue.errors ?? [];
      // Report the branch that matches the value's own type (string shorthand vs mapping).
      // Report the branch that matches the value's own kind: the string shorthand or the mapping.
      const pick =
        value !== null && typeof value === 'object'
          ? branches.find((b) =>
              b.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys'),
            )
          : branches.find((b) => b.every((i) => i.path.length === 0 && i.code !== 'invalid_type'));
      if (pick) {
        return pick.flatMap((i) =>
          issueToDiagnostics({ ...i, path: [...path, ...i.path] }, data, map, schema),
        );
      }
      return [
        map.diagnostic(path, `unexpected ${describeValue(value)}`, {
          hint: 'use one of provider, customer, shared, not-applicable, or a mapping {responsibility, customer}',
        }),
      ];
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return [
          map.diagnostic(path, 'must not be empty', { hint: 'write a value or remove the key' }),
        ];
      }
      return [
        map.diagnostic(path, issue.message, { hint: `at least ${String(issue.minimum)} needed` }),
      ];
    default:
      return [map.diagnostic(path, issue.message, { hint: hintFor(issue, value) })];
  }
}

function hintFor(issue: Issue, value: unknown): string {
  if (/ISO date|calendar date/.test(issue.message))
    return `got '${String(value)}'; write e.g. 2026-11-22`;
  return `got ${describeValue(value)}`;
}

function describeExpected(expected: string | undefined): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping (key: value lines)';
    case 'array':
      return 'a list (lines starting with "- ")';
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    default:
      return expected ?? 'a value';
  }
}

function describeValue(value: unknown, source?: string): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data (a !!binary value)';
  if (value instanceof Date) return 'a date-time (a !!timestamp value)';
  if (typeof value === 'object') return 'a mapping';
  const s = typeof value === 'string' ? value : (source ?? JSON.stringify(value));
  return `${typeof value === 'string' ? 'text' : typeof value} '${s.length > 40 ? `${s.slice(0, 37)}...` : s}'`;
}

function formatNumberSource(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

export function valueAt(data: unknown, path: Path): unknown {
  let cur: unknown = data;
  for (const k of path) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k as string];
  }
  return cur;
}

/** The keys the schema allows for the object at `path` (for "did you mean"). */
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let cur: unknown = schema;
  for (const k of [...path, null]) {
    cur = unwrap(cur);
    const def = (cur as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (k === null) {
      if (def.type === 'object') return Object.keys(def.shape as object);
      if (def.type === 'union') {
        const obj = (def.options as unknown[]).map(unwrap).find((o) => zodType(o) === 'object');
        return obj ? Object.keys((obj as { _zod: { def: { shape: object } } })._zod.def.shape) : [];
      }
      return [];
    }
    if (def.type === 'object') cur = (def.shape as Record<string, unknown>)[k];
    else if (def.type === 'array') cur = def.element;
    else if (def.type === 'record') cur = def.valueType;
    else if (def.type === 'union') {
      cur = (def.options as unknown[]).map(unwrap).find((o) => zodType(o) === 'object');
      cur = cur
        ? (cur as { _zod: { def: { shape: Record<string, unknown> } } })._zod.def.shape[k]
        : undefined;
    } else return [];
  }
  return [];
}

function zodType(s: unknown): string | undefined {
  return (s as { _zod?: { def?: { type?: string } } })._zod?.def?.type;
}

function unwrap(s: unknown): unknown {
  let cur = s;
  while (zodType(cur) === 'optional' || zodType(cur) === 'default' || zodType(cur) === 'nullable') {
    cur = (cur as { _zod: { def: { innerType: unknown } } })._zod.def.innerType;
  }
  return cur;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.col}:${d.path}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}
