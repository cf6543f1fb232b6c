import { z } from 'zod';
import { parseYamlSource } from '../../src/yaml/source-map';
import { validateShape } from '../../src/yaml/zod-diagnostics';

/**
 * The schema definition src/yaml/zod-diagnostics.ts walks for "did you mean": zod 4's public
 * `.def` (type, shape, element, valueType, options, innerType); srq uses no private zod field
 * (test/contracts/internals.test.ts). Pinned exactly all the same, so an upgrade reruns this.
 */

type Def = {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  innerType?: unknown;
};
const def = (s: unknown) => (s as { def: Def }).def;

describe('zod schema definitions (package.json pins zod exactly)', () => {
  const inner = z.object({ name: z.string() });
  const schema = z.object({
    a: z.string().optional(),
    b: z.array(inner),
    c: z.record(z.string(), inner),
    d: z.union([z.string(), inner]),
    e: z.string().default('x'),
    f: z.string().nullable(),
  });

  it('.def names each kind and holds its parts', () => {
    const d = def(schema);
    expect(d.type).toBe('object');
    expect(Object.keys(d.shape!)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(def(d.shape!.a).type).toBe('optional');
    expect(def(def(d.shape!.a).innerType).type).toBe('string');
    expect(def(d.shape!.b).type).toBe('array');
    expect(def(def(d.shape!.b).element).type).toBe('object');
    expect(def(d.shape!.c).type).toBe('record');
    expect(def(def(d.shape!.c).valueType).type).toBe('object');
    expect(def(d.shape!.d).type).toBe('union');
    expect(def(d.shape!.d).options!.map((o) => def(o).type)).toEqual(['string', 'object']);
    expect(def(d.shape!.e).type).toBe('default');
    expect(def(d.shape!.f).type).toBe('nullable');
  });

  it('an unknown key gets a near one, through optional, array, record and union', () => {
    const item = z.strictObject({ name: z.string(), title: z.string().optional() });
    const strict = z.strictObject({
      a: item.optional(),
      b: z.array(item),
      c: z.record(z.string(), item.default({ name: 'x' })),
      d: z.union([z.string(), item]).nullable(),
    });
    const yaml =
      'a: { nmae: x }\nb:\n  - { name: x, titel: t }\nc:\n  k: { name: y, tilte: t }\nd: { name: z, ttle: t }\n';
    const { data, map } = parseYamlSource(yaml, 'x.yaml');
    const errors = validateShape(strict, data, map).errors.map((e) => `${e.path}: ${e.hint}`);
    expect(errors).toEqual([
      "a.nmae: did you mean 'name'?",
      "b.0.titel: did you mean 'title'?",
      "c.k.tilte: did you mean 'title'?",
      "d.ttle: did you mean 'title'?",
    ]);
  });
});
