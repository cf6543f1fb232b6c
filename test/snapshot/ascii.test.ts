import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { asciiOnly } = require('../../scripts/ascii') as { asciiOnly: (text: string) => string };

/**
 * scripts/ascii.js: the bundles `npm run build` writes are pure ASCII, so V8 holds their source
 * as one-byte strings (a single non-ASCII character in a comment or regexp made the startup
 * snapshot's 7 MB bundle a 14 MB two-byte string, a third of the blob to deserialise).
 */
test('every bundle and the snapshot entry npm run build wrote is pure ASCII', () => {
  const dist = path.join(ROOT, 'dist');
  const bundles = fs
    .readdirSync(dist)
    .filter((f) => /^(srq|worker|snapshot)(-[\w-]+)?\.js$/.test(f));
  expect(bundles).toEqual(expect.arrayContaining(['srq.js', 'srq-build.js', 'snapshot.js']));
  for (const f of bundles) {
    const text = fs.readFileSync(path.join(dist, f), 'latin1');
    // eslint-disable-next-line no-control-regex -- ASCII is the point
    expect([f, /[^\x00-\x7f]/.exec(text)?.index]).toEqual([f, undefined]);
  }
});

test('the escapes mean the same characters in strings, regexps (with and without u) and names', () => {
  const code = asciiOnly(
    '(() => { const naïve = "café – ✓ 😀"; /* it’s */ return [naïve, /[’‘]|😀/u, /…$/, /😀/]; })()',
  );
  // eslint-disable-next-line no-control-regex -- ASCII is the point
  expect(code).toMatch(/^[\x00-\x7f]*$/);
  expect(code).toContain('\\uD83D\\uDE00');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the escaped code is the test
  const run = new Function(`return ${code}`) as () => [string, RegExp, RegExp, RegExp];
  const [s, r, q, plain] = run();
  expect(s).toBe('café – ✓ 😀');
  expect([r.test('’'), r.test('😀'), r.test('\uD83D')]).toEqual([true, true, false]);
  expect(q.test('and so on…')).toBe(true);
  expect(plain.test('a 😀 b')).toBe(true);
});
