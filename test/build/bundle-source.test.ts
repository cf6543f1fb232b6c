import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/cli';

/**
 * bin/load.js reads a bundle as latin1 when it is ASCII (the bundles are: scripts/ascii.js), the
 * same string without the UTF-8 decoder; any other file is decoded as UTF-8, never as latin1.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the launcher's loader (CommonJS)
const { bundleSource } = require('../../bin/load.js') as { bundleSource: (f: string) => string };

const dir = tempDir('srq-bundle-source-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the source of a bundle', () => {
  test('an ASCII file reads as the same string as UTF-8 gives', () => {
    const file = path.join(dir, 'ascii.js');
    fs.writeFileSync(file, 'const s = "\\u00e9"; // plain ASCII, escapes only\n');
    expect(bundleSource(file)).toBe(fs.readFileSync(file, 'utf8'));
  });

  test('a file with other characters is decoded as UTF-8', () => {
    const file = path.join(dir, 'utf8.js');
    const text = 'const s = "données — 数据 🙂";\n';
    fs.writeFileSync(file, text);
    expect(bundleSource(file)).toBe(text);
  });

  test('every bundle npm run build made reads as its UTF-8 text', () => {
    const dist = path.resolve(__dirname, '..', '..', 'dist');
    const bundles = fs.readdirSync(dist).filter((f) => /^(srq|worker)(-[\w-]+)?\.js$/.test(f));
    expect(bundles.length).toBeGreaterThan(5);
    for (const f of bundles) {
      const file = path.join(dist, f);
      expect([f, bundleSource(file) === fs.readFileSync(file, 'utf8')]).toEqual([f, true]);
    }
  });
});
