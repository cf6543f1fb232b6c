import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual, inspect } from 'node:util';
import { LineCounter } from 'yaml';
import { parseFast, type Loc } from '../../src/yaml/fast';
import { parseYamlFull, parseYamlSource } from '../../src/yaml/source-map';
import { ROOT } from '../helpers/cli';

/**
 * The fast YAML reader (src/yaml/fast.ts) against the `yaml` package (the oracle): for
 * every text the fast reader accepts, the same data, the same positions of every value and key,
 * and the same line/column for them. It must accept every srq file in the repository.
 */

/** Seeded PRNG (mulberry32); the seed is printed when a case fails. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every offset in a position tree. */
function offsets(loc: Loc | undefined, out: number[] = []): number[] {
  if (!loc) return out;
  if (loc.v !== undefined) out.push(loc.v);
  if (loc.k !== undefined) out.push(loc.k);
  for (const c of loc.c?.values() ?? []) offsets(c, out);
  for (const c of loc.a ?? []) offsets(c, out);
  return out;
}

/** Undefined when the fast reader agrees with the oracle (or declines); else what differs. */
function disagreement(text: string): string | undefined {
  const fast = parseFast(text);
  if (!fast) return undefined;
  const full = parseYamlFull(text, 'x.yaml');
  if (full.errors.length)
    return `the fast reader accepted a text with errors: ${full.errors[0].message}`;
  if (!isDeepStrictEqual(fast.data, full.data)) {
    return `data: ${inspect(fast.data, { depth: 8 })} vs ${inspect(full.data, { depth: 8 })}`;
  }
  const fullRoot = (full.map as unknown as { root: Loc }).root;
  if (!isDeepStrictEqual(fast.root, fullRoot)) {
    return `positions: ${inspect(fast.root, { depth: 10 })} vs ${inspect(fullRoot, { depth: 10 })}`;
  }
  const a = fast.lines();
  const b = (full.map as unknown as { lines: LineCounter }).lines;
  for (const off of offsets(fast.root)) {
    if (!isDeepStrictEqual(a.linePos(off), b.linePos(off))) return `line/col of offset ${off}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// A generator of YAML documents in (and around) the subset srq files use.

const WORDS = ['alpha', 'Beta', 'gamma delta', 'x', 'data centre', 'ISO/IEC 27001:2022', 'a-b'];
const PLAIN_ODD = [
  '1',
  '-5',
  '3.10',
  '2.0',
  '0o17',
  '0x1F',
  '1e3',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'False',
  'TRUE',
  'null',
  'Null',
  '~',
  'yes',
  'no',
  '2026-11-02',
  '1_000',
  '+12',
  '.5',
  '007',
  'nan',
  'http://x.example/a?b=c',
  'a:b',
  'a #b',
  "it's",
  'say "hi"',
  'x,y',
  'a [b]',
  '-x',
  'é ü',
];
const QUOTED = [
  '',
  'a: b',
  '# not a comment',
  "it''s",
  '\\"q\\"',
  'tab\\tx',
  '\\u00e9',
  '\\x41',
  '\\U0001F600',
  '\\\\',
  'a\\qb',
  'end\\',
  '  spaced  ',
  '\\/',
];

function gen(rand: () => number) {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const word = () => (rand() < 0.3 ? pick(PLAIN_ODD) : pick(WORDS));
  const comment = () => (rand() < 0.15 ? `  # ${pick(WORDS)}` : '');
  let keyN = 0;
  const key = () => {
    const r = rand();
    const k = r < 0.1 ? pick(PLAIN_ODD) : `k${keyN++ % 7}${rand() < 0.2 ? ' x' : ''}`;
    if (rand() < 0.15) return `"${k}"`;
    if (rand() < 0.05) return `'${k}'`;
    return k;
  };
  const scalarInline = (): string => {
    const r = rand();
    if (r < 0.45) return word();
    if (r < 0.6) return `"${pick(QUOTED)}"`;
    if (r < 0.68) return `'${pick(WORDS)}${rand() < 0.3 ? "''s" : ''}'`;
    if (r < 0.8) return flow(0);
    return word();
  };
  const flow = (depth: number): string => {
    if (rand() < 0.5) {
      const n = Math.floor(rand() * 4);
      const items = Array.from({ length: n }, () =>
        depth < 2 && rand() < 0.2 ? flow(depth + 1) : rand() < 0.2 ? `"${pick(QUOTED)}"` : word(),
      );
      return `[${items.join(rand() < 0.8 ? ', ' : ' ,')}]`;
    }
    const n = Math.floor(rand() * 4);
    const used = new Set<string>();
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = `f${Math.floor(rand() * 5)}`;
      if (used.has(k)) continue;
      used.add(k);
      const v =
        depth < 2 && rand() < 0.2 ? flow(depth + 1) : rand() < 0.2 ? `"${pick(QUOTED)}"` : word();
      items.push(`${rand() < 0.2 ? `"${k}"` : k}: ${v}`);
    }
    return `{${items.join(', ')}}`;
  };
  const blockLines = (ind: number): string[] => {
    const n = 1 + Math.floor(rand() * 4);
    const lines: string[] = [];
    if (rand() < 0.15) lines.push('');
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.15) lines.push('');
      else if (r < 0.25) lines.push(' '.repeat(ind + 2) + `- ${pick(WORDS)}`);
      else if (r < 0.3) lines.push(' '.repeat(ind) + '# looks like a comment');
      else lines.push(' '.repeat(ind) + `${pick(WORDS)} ${word()}`);
    }
    if (rand() < 0.2) lines.push('');
    if (rand() < 0.05) lines.push(' '.repeat(ind + 4));
    return lines;
  };
  /** Lines for a value of a key or item at indentation `ind` (the first line's rest goes after). */
  const value = (ind: number, depth: number): { head: string; lines: string[] } => {
    const r = rand();
    if (depth < 4 && r < 0.25) return { head: comment(), lines: mapping(ind + 2, depth + 1) };
    if (depth < 4 && r < 0.4) {
      const same = rand() < 0.4;
      return { head: comment(), lines: sequence(same ? ind : ind + 2, depth + 1) };
    }
    if (r < 0.55) {
      const hdr = pick(['|', '|-', '>', '>-', '|+', '|2', '> # c']);
      return { head: ` ${hdr}`, lines: blockLines(ind + 2 + (rand() < 0.2 ? 2 : 0)) };
    }
    if (r < 0.62) {
      // A multi-line plain scalar.
      const more = Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
        rand() < 0.2 ? '' : ' '.repeat(ind + 2 + Math.floor(rand() * 3)) + pick(WORDS),
      );
      return { head: ` ${pick(WORDS)}`, lines: more };
    }
    if (r < 0.66) return { head: comment(), lines: [] };
    return { head: ` ${scalarInline()}${comment()}`, lines: [] };
  };
  const mapping = (ind: number, depth: number): string[] => {
    const n = 1 + Math.floor(rand() * 4);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      if (rand() < 0.08)
        out.push(rand() < 0.5 ? '' : `${' '.repeat(Math.floor(rand() * 6))}# note`);
      const v = value(ind, depth);
      out.push(`${' '.repeat(ind)}${key()}${rand() < 0.05 ? ' ' : ''}:${v.head}`, ...v.lines);
    }
    return out;
  };
  const sequence = (ind: number, depth: number): string[] => {
    const n = 1 + Math.floor(rand() * 3);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.35 && depth < 4) {
        // A compact mapping: "- k: v" and the rest of it indented under the key.
        const m = mapping(ind + 2, depth + 1);
        out.push(`${' '.repeat(ind)}- ${m[0].trimStart()}`, ...m.slice(1));
      } else {
        const v = value(ind, depth);
        out.push(`${' '.repeat(ind)}-${v.head}`, ...v.lines);
      }
    }
    return out;
  };
  return () => {
    keyN = 0;
    return `${mapping(0, 0).join('\n')}${rand() < 0.9 ? '\n' : ''}`;
  };
}

/** One random edit with a YAML-significant character. */
function mutate(text: string, rand: () => number): string {
  const chars = [
    ':',
    '-',
    '#',
    "'",
    '"',
    '|',
    '>',
    '{',
    '}',
    '[',
    ']',
    ',',
    '\n',
    ' ',
    '  ',
    '&a',
    '*a',
    '!',
    '?',
    '\\',
    '%',
    '\t',
    '\r',
  ];
  const at = Math.floor(rand() * (text.length + 1));
  const r = rand();
  if (r < 0.4) return text.slice(0, at) + chars[Math.floor(rand() * chars.length)] + text.slice(at);
  if (r < 0.7) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + chars[Math.floor(rand() * chars.length)] + text.slice(at + 1);
}

function repoYamlFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  for (const d of ['answers', 'src/catalogue/data', 'test/fixtures', 'test/fill/fixtures']) {
    if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  }
  return out;
}

describe('the fast YAML reader', () => {
  test('reads every srq YAML file in the repository, as the yaml package does', () => {
    const files = repoYamlFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const rel = path.relative(ROOT, f);
      // Files of the fixtures that are hostile on purpose may go to the full parser.
      if (!/example|catalogue\/data/.test(rel) && !parseFast(text)) continue;
      expect({ file: rel, fast: parseFast(text) !== undefined }).toEqual({ file: rel, fast: true });
      expect({ file: rel, disagreement: disagreement(text) }).toEqual({
        file: rel,
        disagreement: undefined,
      });
    }
  });

  test('agrees with the yaml package on generated documents and one-character edits of them', () => {
    // Budgeted by count, not time: 1,500 documents, each with 6 edits (seeded).
    const seed = 20261202;
    const rand = prng(seed);
    const next = gen(rand);
    let fast = 0;
    let total = 0;
    let fastDocs = 0;
    for (let i = 0; i < 1500; i++) {
      const doc = next();
      const variants = [doc, ...Array.from({ length: 6 }, () => mutate(doc, rand))];
      for (const [j, text] of variants.entries()) {
        total++;
        const d = disagreement(text);
        if (d) {
          throw new Error(`seed ${seed}, document ${i}, variant ${j}: ${d}\n--- text:\n${text}`);
        }
        if (parseFast(text)) {
          fast++;
          if (j === 0) fastDocs++;
        }
      }
    }
    // The generator mostly stays inside the subset, so the comparison is not vacuous.
    expect(fastDocs).toBeGreaterThan(1500 * 0.3);
    expect(fast).toBeGreaterThan(total * 0.2);
  });

  test('gives up on what it does not read (the yaml package then reports or reads it)', () => {
    const declined = [
      'a: &x 1\nb: *x\n',
      'a: !!binary aGVsbG8=\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      'a: 1\na: 2\n',
      '__proto__: 1\n',
      'a: "open\n  quote"\n',
      'a: [1,\n  2]\n',
      'a: |+\n  keep\n\n',
      'a: |2\n    two\n',
      '? complex\n: key\n',
      'a: b: c\n',
      '',
      '# only a comment\n',
    ];
    for (const text of declined)
      expect({ text, fast: parseFast(text) }).toEqual({ text, fast: undefined });
  });

  test('parseYamlSource locates errors and values the same through either reader', () => {
    const text = 'a: 1\nb:\n  - x\n  - {c: 3.10, d: "e"}\n';
    const fast = parseYamlSource(text, 'f.yaml');
    const full = parseYamlFull(text, 'f.yaml');
    for (const p of [['a'], ['b', 1, 'c'], ['b', '1', 'd'], ['b', 5], ['zz', 'y'], []]) {
      expect(fast.map.locate(p)).toEqual(full.map.locate(p));
      expect(fast.map.locate(p, 'key')).toEqual(full.map.locate(p, 'key'));
      expect(fast.map.source(p)).toEqual(full.map.source(p));
    }
    expect(fast.map.source(['b', 1, 'c'])).toBe('3.10');
    expect(fast.map.locate(['b', 1, 'd'])).toEqual({ line: 4, col: 18 });
  });
});
