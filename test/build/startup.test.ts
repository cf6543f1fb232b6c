import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { EXAMPLE, ROOT, tempDir } from '../helpers/cli';

/**
 * What scripts/bundle.js does to the bundled packages to make a cold start cheaper (issue 15).
 * Each change must leave the packages' results exactly as they were: the oracles here are the
 * original packages themselves, run side by side with the replacement. No timing is asserted.
 */

const DIST = path.join(ROOT, 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shim = require('../../scripts/shims/tiny-inflate.js') as Inflate;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const base64Shim = require('../../scripts/shims/base64-js.js') as Base64;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const base64Js = require('base64-js') as Base64;
interface Base64 {
  toByteArray(s: string): Uint8Array;
  fromByteArray(b: Uint8Array): string;
  byteLength(s: string): number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tinyInflate = require('tiny-inflate') as Inflate;
type Inflate = (source: Uint8Array, dest: Uint8Array) => Uint8Array;

/** The `// node_modules/<pkg>/<file>` module markers esbuild writes into a bundle, for `pkg`. */
function modulesOf(bundle: string, pkg: string): string[] {
  const text = fs.readFileSync(path.join(DIST, bundle), 'utf8');
  const re = new RegExp(`^// node_modules/${pkg}/(\\S+)$`, 'gm');
  return [...text.matchAll(re)].map((m) => m[1]);
}

/** The base64 Unicode tries in a package's ES module. */
function base64Tries(file: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, 'node_modules', file), 'utf8');
  return [...src.matchAll(/toByteArray\)?\("([A-Za-z0-9+/=]{1000,})"\)/g)].map((m) => m[1]);
}

/** The compressed Unicode tries the packages decode at load. */
function packagedTries(): Buffer[] {
  const out: Buffer[] = [];
  for (const file of ['unicode-properties/dist/module.mjs', 'linebreak/dist/module.mjs']) {
    for (const b64 of base64Tries(file)) out.push(Buffer.from(b64, 'base64'));
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

describe('base64-js replaced by Buffer in the bundles', () => {
  test('the same bytes, as a Uint8Array of its own, for every table and for random data', () => {
    const tries = [
      ...base64Tries('unicode-properties/dist/module.mjs'),
      ...base64Tries('linebreak/dist/module.mjs'),
    ];
    expect(tries.length).toBeGreaterThanOrEqual(2);
    const random = Array.from({ length: 40 }, (_, n) =>
      Buffer.from(Array.from({ length: n * 7 }, (_, i) => (i * 31 + n) % 256)).toString('base64'),
    );
    for (const b64 of [...tries, ...random]) {
      const mine = base64Shim.toByteArray(b64);
      const theirs = base64Js.toByteArray(b64);
      expect(Buffer.from(mine).equals(Buffer.from(theirs))).toBe(true);
      expect(mine.constructor).toBe(Uint8Array);
      expect(mine.byteOffset).toBe(0);
      expect(mine.buffer.byteLength).toBe(mine.length);
      expect(base64Shim.byteLength(b64)).toBe(base64Js.byteLength(b64));
      expect(base64Shim.fromByteArray(theirs.subarray(1))).toBe(
        base64Js.fromByteArray(theirs.subarray(1)),
      );
    }
  });
});

describe('modules loaded only when first called', () => {
  const TRACE = path.join(ROOT, 'test', 'helpers', 'trace-inflate.js');
  // The compressed size of unicode-properties' table, as zlib is handed it (after its header).
  const unicodeProps = Buffer.from(base64Tries('unicode-properties/dist/module.mjs')[0], 'base64');
  const marker = `INFLATE ${unicodeProps.length - 12}`;
  const dir = tempDir('srq-startup-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const node = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--require', TRACE, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SRQ_CACHE_DIR: dir, ...env },
      encoding: 'utf8',
    });

  test('the bundle holds stubs for AES, brotli and unicode-properties', () => {
    const text = fs.readFileSync(path.join(DIST, 'srq-build.js'), 'utf8');
    for (const m of [
      'node_modules/@noble/ciphers/esm/aes.js',
      'node_modules/brotli/decompress.js',
      'node_modules/unicode-properties/dist/module.mjs',
    ]) {
      expect(text).toContain(`// lazy:${m}`);
    }
  });

  test("loading srq-build.js leaves unicode-properties' table alone; shaping a word decodes it", () => {
    const load = `require(${JSON.stringify(path.join(ROOT, 'bin', 'load.js'))}).installCodeCache();`;
    const loaded = node([
      '-e',
      `${load} require(${JSON.stringify(path.join(DIST, 'srq-build.js'))})`,
    ]);
    expect(loaded.status).toBe(0);
    expect(loaded.stderr).toMatch(/^INFLATE \d+$/m); // linebreak's table, at least
    expect(loaded.stderr.split('\n')).not.toContain(marker);
    const example = path.join(dir, 'example.yaml');
    fs.copyFileSync(EXAMPLE, example);
    const built = node([path.join(ROOT, 'bin', 'srq.js'), 'build', example, '-o', 'a.pdf'], {
      SRQ_SHAPE_CACHE: '0',
    });
    expect(built.status).toBe(0);
    expect(built.stderr.split('\n')).toContain(marker);
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
