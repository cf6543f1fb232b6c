import crypto from 'node:crypto';
import fc from 'fast-check';
import { sha256Rounds } from '../../src/sign/sha256-rounds';

/** The oracle: Node's SHA-256 (OpenSSL), one call per round. */
function rounds(digest: Buffer, n: number): Buffer {
  let a = digest;
  for (let r = 0; r < n; r++) a = crypto.hash('sha256', a, 'buffer');
  return a;
}

test('SHA-256 rounds in WebAssembly give OpenSSL’s digests', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.integer({ min: 1, max: 300 }),
      (bytes, n) => {
        const digest = Buffer.from(bytes);
        expect(sha256Rounds(digest, n).toString('hex')).toBe(rounds(digest, n).toString('hex'));
      },
    ),
    { numRuns: 200 },
  );
});

test('SHA-256 rounds across the slices the rounds run in (1,024 each)', () => {
  const digest = crypto.hash('sha256', 'srq', 'buffer');
  for (const n of [1023, 1024, 1025, 2049, 10_000]) {
    expect(sha256Rounds(digest, n).toString('hex')).toBe(rounds(digest, n).toString('hex'));
  }
  // Known answer, independent of both: SHA-256 of the empty string, then once more.
  const empty = Buffer.from(
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'hex',
  );
  expect(sha256Rounds(empty, 1).toString('hex')).toBe(
    crypto.createHash('sha256').update(empty).digest('hex'),
  );
  expect(() => sha256Rounds(Buffer.alloc(20), 1)).toThrow(/32-byte/);
});
