import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, EXAMPLE, ROOT, registerState, srq, tempDir } from '../helpers/cli';
import {
  readShapeStore,
  resealShapeStore,
  shapeValue,
  writeShapeStore,
} from '../helpers/shape-store';

/**
 * The start-up machinery of issue 15, through the real CLI: the esbuild bundles (scripts/bundle.js)
 * with their V8 code cache (bin/load.js), and the cache of shaped words (src/pdf/shape-cache.ts).
 * Each is only an optimisation: every test here checks that output is unchanged by it, and that a
 * damaged or unwritable cache costs nothing but time. No timing is asserted.
 */

const DIST = path.join(ROOT, 'dist');
const TRACE = path.join(ROOT, 'test', 'helpers', 'trace-requires.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function scratch(): string {
  const d = tempDir('srq-speed-');
  dirs.push(d);
  return d;
}

/** The packages a bundle holds (esbuild marks each module with a `// node_modules/...` line). */
function bundledPackages(file: string): Set<string> {
  const text = fs.readFileSync(path.join(DIST, file), 'utf8');
  return new Set(
    [...text.matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm)].map((m) => m[1]),
  );
}

describe('bundled CLI', () => {
  test('validate reads two bundles and none of the PDF stack', () => {
    const r = srq(['validate', 'answers/example-cloud.yaml'], {
      env: { NODE_OPTIONS: `--require ${TRACE}` },
    });
    expect(r.code).toBe(0);
    const loaded = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('LOADED '))
      .map((l) => path.relative(ROOT, l.slice('LOADED '.length)));
    expect(loaded.filter((f) => f.startsWith('node_modules'))).toEqual([]);
    expect(loaded.filter((f) => f.startsWith('dist')).sort()).toEqual([
      'dist/srq-validate.js',
      'dist/srq.js',
    ]);
    const inValidate = bundledPackages('srq-validate.js');
    expect(inValidate).toContain('yaml');
    for (const heavy of ['pdfkit', 'fontkit', 'node-forge', 'handlebars', 'exceljs', 'docx']) {
      expect(inValidate).not.toContain(heavy);
    }
  });

  test('--help loads neither node:crypto, node:child_process nor the stream stack (each ms of a start)', () => {
    const builtins = (args: string[]) => {
      const r = srq(args, { env: { NODE_OPTIONS: `--require ${TRACE}` } });
      expect(r.code).toBe(0);
      return r.stderr
        .split('\n')
        .filter((l) => l.startsWith('BUILTIN '))
        .map((l) => l.slice('BUILTIN '.length));
    };
    const help = builtins(['--help']);
    expect(help).toContain('fs');
    expect(help).not.toContain('crypto');
    expect(help).not.toContain('child_process');
    // Its stdout is a pipe here: written with fs.writeSync, not process.stdout (src/cli/context.ts).
    for (const m of ['net', 'tty', 'stream']) expect(help).not.toContain(m);
    // Loaded when first used: validate hashes what it reads.
    expect(builtins(['validate', 'answers/example-cloud.yaml'])).toContain('crypto');
  });

  test('exceljs, docx and pdfkit are only in the bundles that need them', () => {
    const bundles = fs.readdirSync(DIST).filter((f) => /^srq.*\.js$/.test(f));
    const holding = (pkg: string) => bundles.filter((b) => bundledPackages(b).has(pkg));
    // NOTE: "nowhere else" rather than "there": the xlsx writer may stop using exceljs.
    expect(holding('exceljs').filter((b) => b !== 'srq-export-xlsx.js')).toEqual([]);
    expect(holding('docx').filter((b) => b !== 'srq-export-docx.js')).toEqual([]);
    expect(holding('pdfkit')).toContain('srq-build.js');
    for (const light of ['srq.js', 'srq-validate.js', 'srq-status.js', 'srq-export-csv.js']) {
      expect(holding('pdfkit')).not.toContain(light);
    }
  });

  test('an error thrown inside a command bundle is still a one-line error with its exit code', () => {
    // errors.ts is shared through srq.js: a second copy would turn this into "internal error" (70).
    const r = srq(['build', 'no-such-file.yaml']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

/** A copy of the package as npm would install it: bin/, the bundles, data; no tsc output. */
function installedCopy(): string {
  const root = scratch();
  fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dist'));
  for (const f of fs.readdirSync(DIST).filter((f) => /^(srq|worker).*\.js$/.test(f))) {
    fs.copyFileSync(path.join(DIST, f), path.join(root, 'dist', f));
  }
  for (const d of ['templates', 'schema', path.join('src', 'catalogue', 'data')]) {
    fs.cpSync(path.join(ROOT, d), path.join(root, d), { recursive: true });
  }
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

/** Runs in a folder of its own: a build records itself in `<cwd>/output/register.jsonl`. */
const RUN_DIR = tempDir('srq-speed-cwd-');

function run(bin: string, args: string[], env: Record<string, string> = {}) {
  const register = registerState();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: RUN_DIR,
    env: { PATH: process.env.PATH ?? '', SRQ_NOW: '2026-11-22T12:00:00Z', NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
  if (registerState() !== register)
    throw new Error(`srq ${args.join(' ')} wrote into the project's register`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('installed package and code cache', () => {
  let root: string;
  let bin: string;
  let cacheDir: string;
  beforeAll(() => {
    root = installedCopy();
    bin = path.join(root, 'bin', 'srq.js');
    cacheDir = path.join(root, 'dist', '.cache');
  });
  const caches = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : []);
  const codeCaches = () => caches().filter((f) => /^srq-validate-.*\.bin$/.test(f));

  test('the bundles alone build the same statement as the repository (templates, ICC, fonts)', () => {
    const a = path.join(scratch(), 'a.pdf');
    const b = path.join(scratch(), 'b.pdf');
    // A copy of the example outside the project; run() works in a temp folder, so the build's
    // register entry (in the working folder's output/) never lands in the project's.
    const example = path.join(tempDir('srq-speed-'), 'example.yaml');
    fs.copyFileSync(EXAMPLE, example);
    expect(run(BIN, ['build', example, '-o', a]).code).toBe(0);
    const r = run(bin, ['build', example, '-o', b]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
  });

  test('the first run writes the code cache; later runs use it and print the same', () => {
    const first = run(bin, ['validate', EXAMPLE]);
    expect(first.code).toBe(0);
    expect(codeCaches()).toHaveLength(1);
    const file = path.join(cacheDir, codeCaches()[0]);
    const written = fs.readFileSync(file);
    const second = run(bin, ['validate', EXAMPLE]);
    expect(second).toEqual(first);
    // Accepted, so not written again.
    expect(fs.readFileSync(file).equals(written)).toBe(true);
  });

  test('a damaged code cache is refused, the command runs as usual, the cache is rewritten', () => {
    const good = run(bin, ['validate', EXAMPLE]);
    const file = path.join(cacheDir, codeCaches()[0]);
    fs.writeFileSync(file, Buffer.from('not a V8 code cache at all'));
    expect(run(bin, ['validate', EXAMPLE])).toEqual(good);
    expect(fs.readFileSync(file).length).toBeGreaterThan(1000);
  });

  test('an unwritable cache folder changes nothing but speed', () => {
    const good = run(bin, ['validate', EXAMPLE]);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.writeFileSync(cacheDir, 'a file where the cache folder would be');
    try {
      expect(run(bin, ['validate', EXAMPLE])).toEqual(good);
      expect(run(bin, ['validate', 'no-such.yaml']).code).toBe(3);
    } finally {
      fs.rmSync(cacheDir, { force: true });
    }
  });

  test('writing a cache removes those of older builds and temp files a killed run left', () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    const old = path.join(cacheDir, 'srq-validate-v20.0.0-x64-1-1.bin');
    const otherBundle = path.join(cacheDir, 'srq-build-v20.0.0-x64-1-1.bin');
    const leftover = path.join(cacheDir, 'srq-validate-v20.0.0-x64-1-1.bin.123.tmp');
    const fresh = path.join(cacheDir, 'srq-validate-v20.0.0-x64-2-2.bin.456.tmp');
    const shapes = path.join(cacheDir, 'shapes-1-0123.json');
    for (const f of [old, otherBundle, leftover, fresh, shapes]) fs.writeFileSync(f, 'x');
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(leftover, hourAgo, hourAgo);
    for (const f of codeCaches().filter((f) => !f.includes('v20.0.0'))) {
      fs.rmSync(path.join(cacheDir, f));
    }
    expect(run(bin, ['validate', EXAMPLE]).code).toBe(0);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(leftover)).toBe(false);
    // Another bundle's cache, a temp file that may still be written, the shapes: kept.
    for (const f of [otherBundle, fresh, shapes]) expect(fs.existsSync(f)).toBe(true);
    expect(codeCaches()).toHaveLength(1);
  });

  test('SRQ_CODE_CACHE=0 writes none', () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    expect(run(bin, ['validate', EXAMPLE], { SRQ_CODE_CACHE: '0' }).code).toBe(0);
    expect(codeCaches()).toEqual([]);
  });
});

describe('cache of shaped words', () => {
  const build = (out: string, env: Record<string, string>) => {
    const r = srq(['build', EXAMPLE, '-o', out], { env, cwd: path.dirname(out) });
    expect(r.code).toBe(0);
    return fs.readFileSync(out);
  };
  const shapeFiles = (dir: string) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^shapes-7-.*\.bin$/.test(f)) : [];
  const biggest = (dir: string) =>
    shapeFiles(dir)
      .map((f) => path.join(dir, f))
      .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];

  /** The example built once with a cache of its own, and that cache's regular-face file. */
  const coldBuild = () => {
    const work = scratch();
    const cache = path.join(work, 'cache');
    const env = { SRQ_CACHE_DIR: cache };
    const cold = build(path.join(work, 'cold.pdf'), env);
    return { work, env, cold, regular: biggest(cache) };
  };

  test('the statement is byte-identical with an empty, a full, a partial, a damaged or no cache', () => {
    const work = scratch();
    const cache = path.join(work, 'cache');
    const env = { SRQ_CACHE_DIR: cache };
    const cold = build(path.join(work, 'cold.pdf'), env);
    // One file per face used, holding the words of the statement.
    expect(shapeFiles(cache).length).toBeGreaterThanOrEqual(2);
    const regular = biggest(cache);
    const stored = { words: readShapeStore(regular) };
    expect(Object.keys(stored.words).length).toBeGreaterThan(500);
    expect(stored.words).toHaveProperty('provider');

    expect(build(path.join(work, 'full.pdf'), env).equals(cold)).toBe(true);
    expect(build(path.join(work, 'off.pdf'), { SRQ_SHAPE_CACHE: '0' }).equals(cold)).toBe(true);

    // Half the words gone: the rest are shaped again and the cache filled up again.
    const words = Object.entries(stored.words);
    writeShapeStore(regular, Object.fromEntries(words.filter((_, i) => i % 2)));
    expect(build(path.join(work, 'partial.pdf'), env).equals(cold)).toBe(true);
    const refilled = readShapeStore(regular);
    expect(Object.keys(refilled).length).toBe(words.length);
    expect(refilled).toEqual(stored.words);

    // Damaged: cut short, entries of the wrong shape, a table pointing past the end, or not a
    // store at all. Each time the next run shapes again and writes a whole store back.
    const whole = fs.readFileSync(regular);
    fs.writeFileSync(regular, whole.subarray(0, 5000));
    expect(build(path.join(work, 'cut.pdf'), env).equals(cold)).toBe(true);
    expect(Object.keys(readShapeStore(regular)).length).toBe(words.length);
    writeShapeStore(regular, {
      // a glyph the font lacks; a glyph without its positions; cut short; unknown flags;
      // positions that are not numbers; characters that do not spell the word
      provider: JSON.stringify([
        [65000, 5, 5, 5, 5, 5, 5, 5],
        Array.from('provider', (ch) => [ch.codePointAt(0)]),
        Array(32).fill(0),
      ]),
      the: shapeValue([[1, 2], [[1]], [1, 2, 3, 4]]),
      and: Buffer.from([0, 1, 5]),
      service: Buffer.from([0x80, 0]),
      customer: shapeValue([
        [5, 5, 5, 5, 5, 5, 5, 5],
        Array.from('customer', (ch) => [ch.codePointAt(0)!]),
        [NaN, ...Array<number>(31).fill(0)],
      ]),
      data: JSON.stringify([[5, 6, 7, 8], [[100], [97], [116], [98]], Array(16).fill(0)]),
    });
    expect(build(path.join(work, 'bad.pdf'), env).equals(cold)).toBe(true);
    const pointing = Buffer.from(whole);
    for (let at = 28; at < 28 + 4 * pointing.readUInt32LE(20); at += 4) {
      if (pointing.readUInt32LE(at)) pointing.writeUInt32LE(pointing.length - 1, at);
    }
    fs.writeFileSync(regular, resealShapeStore(pointing));
    expect(build(path.join(work, 'bad.pdf'), env).equals(cold)).toBe(true);
    fs.writeFileSync(regular, 'null');
    expect(build(path.join(work, 'bad.pdf'), env).equals(cold)).toBe(true);
    expect(readShapeStore(regular)).toEqual(stored.words);
  });

  test('a file with one glyph changed to another the font has is not used (its CRC)', () => {
    // Nothing in one word's entry can tell "provider" drawn with another letter's glyph from
    // the real one; the file's CRC-32 can.
    const { work, env, cold, regular } = coldBuild();
    const stored = readShapeStore(regular);
    const whole = fs.readFileSync(regular);
    const key = Buffer.concat([Buffer.from([8, 0]), Buffer.from('provider')]);
    const entry = whole.indexOf(key);
    expect(entry).toBeGreaterThan(0);
    const firstGlyph = entry + key.length + 2 + 2;
    const flipped = Buffer.from(whole);
    flipped.writeUInt16LE(flipped.readUInt16LE(firstGlyph) + 1, firstGlyph);
    // Resealed, the change is read and drawn (so the edit really reaches a glyph)...
    fs.writeFileSync(regular, resealShapeStore(flipped));
    expect(build(path.join(work, 'resealed.pdf'), env).equals(cold)).toBe(false);
    // ...as it stands, the file is refused whole, shaped again and written back whole.
    fs.writeFileSync(regular, flipped);
    expect(build(path.join(work, 'flipped.pdf'), env).equals(cold)).toBe(true);
    expect(readShapeStore(regular)).toEqual(stored);
  });

  test('the stored shapes are what the next run draws (the cache is really read)', () => {
    const { work, env, cold, regular } = coldBuild();
    const stored = { words: readShapeStore(regular) };
    // Widen every stored word: a run that reads the cache sets the text differently.
    for (const [text, encoded] of Object.entries(stored.words)) {
      const [g, c, p] = JSON.parse(encoded) as [number[], number[][], number[]];
      p[0] += 300;
      stored.words[text] = JSON.stringify([g, c, p]);
    }
    writeShapeStore(regular, stored.words);
    expect(build(path.join(work, 'tampered.pdf'), env).equals(cold)).toBe(false);
  });

  test('a stored word whose glyphs do not spell it is not used', () => {
    // fontkit keeps one glyph per id with the characters it first stood for, so a process that
    // drew "ﬀ" (U+FB00) before "staff" shaped "staff" as glyphs spelling "staﬀ". A cache
    // filled by such a process (the fuzz tests did) must not carry that into another document.
    const { work, env, cold, regular } = coldBuild();
    const stored = { words: readShapeStore(regular) };
    let changed = 0;
    for (const [text, encoded] of Object.entries(stored.words)) {
      if (!text.includes('ff')) continue;
      const [g, c, p] = JSON.parse(encoded) as [number[], number[][], number[]];
      const ff = c.map((cps) => (cps.join() === '102,102' ? [0xfb00] : cps));
      stored.words[text] = JSON.stringify([g, ff, p]);
      changed++;
    }
    expect(changed).toBeGreaterThan(3);
    writeShapeStore(regular, stored.words);
    expect(build(path.join(work, 'after.pdf'), env).equals(cold)).toBe(true);
  });

  test('long runs are not stored: the cache stays small', () => {
    const work = scratch();
    const cache = path.join(work, 'cache');
    const long = 'x'.repeat(200);
    // The long run goes into the service summary (a folded block): a copy beside nothing else.
    const answers = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace(
        '    Virtual servers, managed hosting',
        `    ${long} Virtual servers, managed hosting`,
      );
    expect(answers).toContain(long);
    const file = path.join(work, 'answers.yaml');
    fs.writeFileSync(file, answers);
    const r = srq(['build', file, '-o', path.join(work, 'a.pdf')], {
      cwd: work,
      env: { SRQ_CACHE_DIR: cache },
    });
    expect(r.code).toBe(0);
    const all = shapeFiles(cache).map((f) => readShapeStore(path.join(cache, f)));
    const texts = all.flatMap((w) => Object.keys(w));
    expect(texts).toContain('provider');
    expect(texts.filter((t) => t.includes(long))).toEqual([]);
    expect(Math.max(...texts.map((t) => t.length))).toBeLessThanOrEqual(32);
  });

  test('an unwritable cache folder changes nothing', () => {
    const work = scratch();
    const notADir = path.join(work, 'file');
    fs.writeFileSync(notADir, 'x');
    const off = build(path.join(work, 'off.pdf'), { SRQ_SHAPE_CACHE: '0' });
    const r = srq(['build', EXAMPLE, '-o', path.join(work, 'a.pdf')], {
      cwd: work,
      env: { SRQ_CACHE_DIR: path.join(notADir, 'cache') },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/cache|EEXIST|ENOTDIR/i);
    expect(fs.readFileSync(path.join(work, 'a.pdf')).equals(off)).toBe(true);
  });
});
