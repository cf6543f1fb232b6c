/**
 * SHA-256 applied to its own digest again and again: the inner loop of the PKCS#12 key
 * derivation (p12.ts, RFC 7292 B.2) for a P12 whose MAC uses SHA-256, as OpenSSL 3 and
 * `srq keygen` write them (srq's with 10,000 rounds). NOTE: each round is one 32-byte message,
 * one compression; through `crypto.hash` a round cost ~1.6 µs of calling into C++ for ~0.1 µs of
 * hashing, 16 ms of a cold `build --sign`. Here the rounds run in a small WebAssembly function
 * (made below, a few hundred bytes) with the state in its memory.
 * test/sign/sha256-rounds.test.ts holds it to Node's SHA-256 (OpenSSL).
 */

// Memory layout (byte offsets): the state (the digest, 8 words), the message schedule (64
// words), the round constants (64 words). Words are held as numbers (little-endian in memory); the digest's bytes are
// big-endian, converted on the way in and out.
const H = 0;
const W = 64;
const K = 320;

/** SHA-256's round constants (FIPS 180-4 4.2.2). */
const ROUND_CONSTANTS = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** SHA-256's initial state (FIPS 180-4 5.3.3). */
const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

// WebAssembly opcodes used below.
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  eqz: 0x45,
  ltU: 0x49,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shrU: 0x76,
  rotr: 0x78,
  void: 0x40,
  i32: 0x7f,
};

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

type Code = number[];
const i32 = (n: number): Code => [op.const, ...sleb(n)];
const get = (local: number): Code => [op.get, local];
const set = (local: number, value: Code): Code => [...value, op.set, local];
/** A 4-byte load from `offset` + the address. */
const load = (offset: number, address: Code = i32(0)): Code => [
  ...address,
  op.load,
  2,
  ...uleb(offset),
];
const store = (offset: number, value: Code, address: Code = i32(0)): Code => [
  ...address,
  ...value,
  op.store,
  2,
  ...uleb(offset),
];
const bin =
  (code: number) =>
  (a: Code, b: Code): Code => [...a, ...b, code];
const add = bin(op.add);
const xor = bin(op.xor);
const and = bin(op.and);
const or = bin(op.or);
const rotr = (x: Code, n: number): Code => [...x, ...i32(n), op.rotr];
const shr = (x: Code, n: number): Code => [...x, ...i32(n), op.shrU];
const sum = (...xs: Code[]): Code => xs.reduce((a, b) => add(a, b));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

/**
 * The module: `rounds(n)` replaces the digest in memory at H with its SHA-256, n times.
 * NOTE: loops, not unrolled code: V8 first runs WebAssembly through its baseline compiler
 * (Liftoff), which ran a fully unrolled compression 2.5 times slower than these loops, and 8
 * rounds unrolled 1.3 times slower; 10,000 rounds cold take ~7 ms this way.
 */
function moduleBytes(): Uint8Array {
  // Locals: 0 n (the parameter), 1-8 the working variables a-h, 9 t (a word's byte offset in
  // the schedule and the constants), 10 T1, 11 T2.
  const [n, a, b, c, d, e, f, g, h, t, t1, t2] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const body: Code = [];
  const emit = (...codes: Code[]) => codes.forEach((x) => body.push(...x));
  emit([op.block, op.void, op.loop, op.void]);
  emit(get(n), [op.eqz, op.brIf, 1]);
  // The message: the digest (8 words), then the padding of a 256-bit message.
  for (let i = 0; i < 8; i++) emit(store(W + 4 * i, load(H + 4 * i)));
  emit(store(W + 32, i32(0x80000000)));
  for (let i = 9; i < 15; i++) emit(store(W + 4 * i, i32(0)));
  emit(store(W + 60, i32(256)));
  // The schedule: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], t = 16..63.
  const next = (step: number): Code => [
    ...set(t, add(get(t), i32(step))),
    ...get(t),
    ...i32(256),
    op.ltU,
    op.brIf,
    0,
    op.end,
  ];
  emit(set(t, i32(64)), [op.loop, op.void]);
  const w = (back: number): Code => load(W - 4 * back, get(t));
  const sigma0 = (x: Code) => xor(xor(rotr(x, 7), rotr(x, 18)), shr(x, 3));
  const sigma1 = (x: Code) => xor(xor(rotr(x, 17), rotr(x, 19)), shr(x, 10));
  emit(store(W, sum(sigma1(w(2)), w(7), sigma0(w(15)), w(16)), get(t)), next(4));
  // The 64 rounds, from the initial state (the message is one block).
  for (let i = 0; i < 8; i++) emit(set(a + i, i32(INITIAL[i])));
  emit(set(t, i32(0)), [op.loop, op.void]);
  const bigSigma0 = xor(xor(rotr(get(a), 2), rotr(get(a), 13)), rotr(get(a), 22));
  const bigSigma1 = xor(xor(rotr(get(e), 6), rotr(get(e), 11)), rotr(get(e), 25));
  const choose = xor(get(g), and(get(e), xor(get(f), get(g))));
  const majority = or(and(get(a), get(b)), and(get(c), or(get(a), get(b))));
  emit(set(t1, sum(get(h), bigSigma1, choose, load(K, get(t)), load(W, get(t)))));
  emit(set(t2, add(bigSigma0, majority)));
  emit(set(h, get(g)), set(g, get(f)), set(f, get(e)), set(e, add(get(d), get(t1))));
  emit(set(d, get(c)), set(c, get(b)), set(b, get(a)), set(a, add(get(t1), get(t2))));
  emit(next(4));
  // The new digest: the initial state plus the working variables.
  for (let i = 0; i < 8; i++) emit(store(H + 4 * i, add(i32(INITIAL[i]), get(a + i))));
  emit(set(n, [...get(n), ...i32(1), op.sub]), [op.br, 0, op.end, op.end]);
  // One run of locals (11 of type i32, after the parameter), the body, its end.
  const code = [...uleb(1), ...uleb(11), op.i32, ...body, op.end];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 1, op.i32, 0]), // one type: (i32) -> ()
    ...section(3, [1, 0]), // one function, of that type
    ...section(5, [1, 0x00, 1]), // one memory of one page
    ...section(7, [2, ...name('rounds'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

// NOTE: the WebAssembly global of Node, typed here: srq's TypeScript libraries (ES2022, no DOM)
// do not declare it.
declare const WebAssembly:
  | {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, unknown> };
    }
  | undefined;

/**
 * Whether this process has WebAssembly. NOTE: node's startup-snapshot builder has none (the
 * warm-up's signed build takes the crypto.hash rounds); a process started from the snapshot has.
 */
export const hasWebAssembly = (): boolean => typeof WebAssembly !== 'undefined';

let bytes: Uint8Array | undefined;

/**
 * SHA-256 applied `rounds` times to `digest` (32 bytes): the result of the last round.
 * NOTE: the module is compiled on each call (tens of µs; a build derives one MAC key), so no
 * compiled module is kept in the process.
 */
export function sha256Rounds(digest: Buffer, rounds: number): NonSharedBuffer {
  if (digest.length !== 32) throw new Error('sha256Rounds needs a 32-byte digest');
  if (typeof WebAssembly === 'undefined') throw new Error('no WebAssembly in this process');
  bytes ??= moduleBytes();
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const run = exports.rounds as (n: number) => void;
  const memory = new DataView((exports.memory as { buffer: ArrayBuffer }).buffer);
  ROUND_CONSTANTS.forEach((k, i) => memory.setUint32(K + 4 * i, k, true));
  for (let i = 0; i < 8; i++) memory.setUint32(H + 4 * i, digest.readUInt32BE(4 * i), true);
  // In slices: V8 compiles a WebAssembly function quickly first and better once it has run a
  // while; the better code is used from the next call on.
  for (let left = rounds; left > 0; left -= 1024) run(Math.min(left, 1024));
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeUInt32BE(memory.getUint32(H + 4 * i, true), 4 * i);
  return out;
}
