import fs from 'node:fs';
import { parseAnswers } from '../../src/answers/parse';
import { loadCatalogue } from '../../src/catalogue';
import { EXAMPLE } from '../helpers/cli';

/**
 * Validation grows linearly with the file: counted in operations, not timed (a loaded machine
 * cannot fail it). Every array search (indexOf, includes, find, some, filter …) is charged the
 * length of the array it searches — the cost of the quadratic duplicate checks issue 14 found
 * (150,000 evidence items took 110 s). Ten times the items must cost about ten times as much.
 */

const SEARCHES = [
  'indexOf',
  'lastIndexOf',
  'includes',
  'find',
  'findIndex',
  'some',
  'every',
  'filter',
] as const;

function withSearchCount<T>(fn: () => T): { value: T; scanned: number } {
  let scanned = 0;
  const proto = Array.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = SEARCHES.map((name) => [name, proto[name]] as const);
  for (const [name, real] of saved) {
    proto[name] = function (this: unknown[], ...args: unknown[]) {
      scanned += this.length;
      return real.apply(this, args);
    };
  }
  try {
    return { value: fn(), scanned };
  } finally {
    for (const [name, real] of saved) proto[name] = real;
  }
}

function answersWithEvidence(n: number): string {
  const items: string[] = [];
  for (let i = 1; i <= n; i++) items.push(`  - {id: e${i}, name: R${i}}`);
  return fs
    .readFileSync(EXAMPLE, 'utf8')
    .replace('\nevidence:\n', `\nevidence:\n${items.join('\n')}\n`);
}

function answersWithPrinciples(n: number): {
  text: string;
  catalogue: ReturnType<typeof loadCatalogue>;
} {
  const base = loadCatalogue('ncsc-2023');
  const items = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    title: `P${i}`,
    requirement: 'Do it.',
    children: [] as string[],
  }));
  const catalogue = { ...base, items, byId: new Map(items.map((it) => [it.id, it])) };
  const text = [
    'framework: generated',
    'provider: {name: Scale Ltd}',
    'service: {name: Scale, summary: A service.}',
    'tiers:',
    '  - {id: a, name: A}',
    '  - {id: b, name: B}',
    'document: {title: T, version: "1.0", issued: 2026-11-01, review: 2027-11-01, classification: OFFICIAL}',
    'signatory: {name: S, role: R}',
    'evidence:',
    '  - {id: iso, name: ISO}',
    'answers:',
    ...items.flatMap((it) => [
      `  ${it.id}:`,
      '    provider: We do it.',
      '    assurance: independent-validation',
      '    evidence: [iso]',
      '    tiers: {a: provider, b: {responsibility: shared, customer: You do part.}}',
    ]),
  ].join('\n');
  return { text, catalogue };
}

describe('validation is linear in the size of the file (operation counts)', () => {
  test('15,000 → 150,000 evidence items: about ten times the array searching', () => {
    const resolveCatalogue = () => loadCatalogue('ncsc-2023');
    const run = (n: number) =>
      withSearchCount(() =>
        parseAnswers(answersWithEvidence(n), { file: 'a.yaml', resolveCatalogue }),
      );
    const small = run(15_000);
    const big = run(150_000);
    expect(small.value.errors).toEqual([]);
    expect(big.value.errors).toEqual([]);
    expect(big.value.value!.answers.evidence).toHaveLength(150_005);
    // Linear: ×10. Quadratic (a search per item over all items): ×100.
    expect(big.scanned / Math.max(small.scanned, 1)).toBeLessThan(13);
  });

  test('300 → 3,000 principles: about ten times the array searching', () => {
    const run = (n: number) => {
      const { text, catalogue } = answersWithPrinciples(n);
      return withSearchCount(() =>
        parseAnswers(text, { file: 'a.yaml', resolveCatalogue: () => catalogue }),
      );
    };
    const small = run(300);
    const big = run(3000);
    expect(small.value.errors).toEqual([]);
    expect(big.value.errors).toEqual([]);
    expect(big.scanned / Math.max(small.scanned, 1)).toBeLessThan(13);
  });
});
