import { z } from 'zod';

/**
 * The schema internals src/yaml/zod-diagnostics.ts walks for "did you mean" (`_zod.def`: type,
 * shape, element, valueType, options, innerType). Pinned exactly; zod 4's public `.def` is the
 * same object, the one to move to.
 */

type Def = {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  innerType?: unknown;
};
const def = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

describe('zod internals (package.json pins zod exactly)', () => {
  const inner = z.object({ name: z.string() });
  const schema = z.object({
    a: z.string().optional(),
    b: z.array(inner),
    c: z.record(z.string(), inner),
    d: z.union([z.string(), inner]),
    e: z.string().default('x'),
    f: z.string().nullable(),
  });

  it('_zod.def names each kind and holds its parts', () => {
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

  it('the public .def is the same object', () => {
    expect((schema as unknown as { def: Def }).def).toBe(def(schema));
  });
});
