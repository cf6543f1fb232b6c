/** The seed of every random schedule in the hardening tests; SRQ_TEST_SEED replays a failing one. */
export const SEED = Number(process.env.SRQ_TEST_SEED ?? 20261202);

/** A small seeded PRNG (mulberry32): the same seed gives the same numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
