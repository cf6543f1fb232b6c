import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from '../helpers/cli';

/**
 * What scripts/bundle.js does to the bundled packages to make a cold start cheaper (issue 15).
 * Each change must leave the packages' results exactly as they were: the oracles here are the
 * original packages themselves, run side by side with the replacement. No timing is asserted.
 */

const DIST = path.join(ROOT, 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shim = require('../../scripts/shims/tiny-inflate.js') as Inflate;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tinyInflate = require('tiny-inflate') as Inflate;
type Inflate = (source: Uint8Array, dest: Uint8Array) => Uint8Array;

/** The `// node_modules/<pkg>/<file>` module markers esbuild writes into a bundle, for `pkg`. */
function modulesOf(bundle: string, pkg: string): string[] {
  const text = fs.readFileSync(path.join(DIST, bundle), 'utf8');
  const re = new RegExp(`^// node_modules/${pkg}/(\\S+)$`, 'gm');
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** The compressed Unicode tries the packages decode at load: base64 in their ES modules. */
function packagedTries(): Buffer[] {
  const out: Buffer[] = [];
  for (const file of ['unicode-properties/dist/module.mjs', 'linebreak/dist/module.mjs']) {
    const src = fs.readFileSync(path.join(ROOT, 'node_modules', file), 'utf8');
    for (const m of src.matchAll(/toByteArray\)?\("([A-Za-z0-9+/=]{1000,})"\)/g)) {
      out.push(Buffer.from(m[1], 'base64'));
    }
  }
  const shapers = path.join(ROOT, 'node_modules', 'fontkit', 'src', 'opentype', 'shapers');
  for (const f of fs.readdirSync(shapers).filter((f) => f.endsWith('.trie'))) {
    out.push(fs.readFileSync(path.join(shapers, f)));
  }
  return out;
}

describe('tiny-inflate replaced by zlib in the bundles', () => {
  test('the bundles use the zlib shim, not the JavaScript inflate', () => {
    for (const bundle of ['srq-build.js', 'worker.js']) {
      const text = fs.readFileSync(path.join(DIST, bundle), 'utf8');
      expect(text).toContain('// scripts/shims/tiny-inflate.js');
      expect(text).not.toContain('function tinf_uncompress');
    }
  });

  test('every Unicode trie the packages hold decodes to the same bytes', () => {
    const tries = packagedTries();
    // unicode-properties 1, linebreak 1, fontkit's shapers 3.
    expect(tries.length).toBeGreaterThanOrEqual(5);
    for (const data of tries) {
      // unicode-trie's format: highStart, errorValue, length (LE), then raw deflate, twice.
      const length = data.readUInt32LE(8);
      const once = tinyInflate(data.subarray(12), new Uint8Array(length));
      const mine = shim(data.subarray(12), new Uint8Array(length));
      expect(Buffer.from(mine).equals(Buffer.from(once))).toBe(true);
      const twice = tinyInflate(once, new Uint8Array(length));
      expect(Buffer.from(shim(mine, new Uint8Array(length))).equals(Buffer.from(twice))).toBe(true);
      expect(twice.length).toBe(length);
    }
  });

  test('same contract as tiny-inflate for a destination too long or too short', () => {
    const plain = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const packed = zlib.deflateRawSync(plain);
    for (const size of [5000, 6000, 100]) {
      const a = tinyInflate(packed, new Uint8Array(size));
      const b = shim(packed, new Uint8Array(size));
      expect(b.length).toBe(a.length);
      expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
      expect(b.constructor).toBe(Uint8Array);
      expect(b.byteOffset).toBe(0); // unicode-trie reads `.buffer` whole
    }
  });
});

describe('one copy of each PDF package in srq-build.js', () => {
  // require.resolve('pdfkit') made esbuild bundle pdfkit's CommonJS build as dead code, with
  // CommonJS copies of fontkit, linebreak, unicode-properties and restructure (1.0 MB).
  test.each(['pdfkit', 'fontkit', 'linebreak', 'unicode-properties'])('%s', (pkg) => {
    // Their builds: js/pdfkit.js + js/pdfkit.node.mjs, dist/main.cjs + dist/module.mjs.
    const builds = modulesOf('srq-build.js', pkg).filter((f) => /^(js|dist)\//.test(f));
    expect(builds).toHaveLength(1);
  });

  test('restructure', () => {
    expect(modulesOf('srq-build.js', 'restructure').filter((f) => f.startsWith('dist/'))).toEqual(
      [],
    );
  });
});
