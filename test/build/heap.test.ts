import v8 from 'node:v8';

/**
 * Issue 15: before laying out a big document srq tells V8 to grow the heap in small steps
 * (src/heap.ts); a small one leaves V8's defaults alone, and SRQ_HEAP_GROWTH=0 turns it off.
 */

type Heap = typeof import('../../src/heap');
const fresh = (): Heap => {
  let mod: Heap | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<Heap>('../../src/heap');
  });
  return mod!;
};

let flags: jest.SpyInstance;
beforeEach(() => {
  // Recorded, not applied: the test process keeps V8's defaults.
  flags = jest.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
});
afterEach(() => {
  flags.mockRestore();
  delete process.env.SRQ_HEAP_GROWTH;
});

test('a small document (the example is ~44,000 characters of markdown) changes nothing', () => {
  const heap = fresh();
  expect(heap.tightenHeapFor(44_000)).toBe(false);
  expect(heap.tightenHeapFor(heap.BIG_DOCUMENT_CHARS - 1)).toBe(false);
  expect(flags).not.toHaveBeenCalled();
});

test('a big one sets the old space to grow by 25%, once per process', () => {
  const heap = fresh();
  expect(heap.tightenHeapFor(heap.BIG_DOCUMENT_CHARS)).toBe(true);
  expect(heap.tightenHeapFor(4_000_000)).toBe(true);
  expect(heap.tightenHeapFor(10)).toBe(true);
  expect(flags.mock.calls).toEqual([['--heap-growing-percent=25']]);
});

test('SRQ_HEAP_GROWTH=0 leaves V8 alone whatever the size', () => {
  process.env.SRQ_HEAP_GROWTH = '0';
  const heap = fresh();
  expect(heap.tightenHeapFor(4_000_000)).toBe(false);
  expect(flags).not.toHaveBeenCalled();
});
