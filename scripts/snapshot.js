// Part of `npm run build` (scripts/bundle.js calls it last): srq's V8 startup snapshot.
//
//   dist/snapshot.js          src/cli/snapshot.ts and everything it imports, in one file (node's
//                             snapshot builder runs one script and require()s only built-ins)
//   dist/.snapshot/srq.blob   the heap after that script ran: modules evaluated, the example built
//   dist/.snapshot/node       the Node version that made it and the blob's size (bin/srq.js
//                             compares them with `node --version` and the blob; same mtime)
//
// bin/srq.js starts `node --snapshot-blob dist/.snapshot/srq.blob` for the PDF commands when the
// blob is there with the stamp written with it (same mtime, the blob's size, the node on the PATH); otherwise
// (and always under `node bin/srq.js`) the normal bundles run. A snapshot that cannot be built
// (another Node, a package that is not snapshot-safe) is reported as a warning and left out:
// srq works as before without it. SRQ_SNAPSHOT=0 at build time leaves it out on purpose.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');
const { asciiFile } = require('./ascii');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, '.snapshot');
const BLOB = path.join(OUT, 'srq.blob');
const STAMP = path.join(OUT, 'node');
const NODE_BIN = path.join(OUT, 'node-bin');
const ENTRY = path.join(DIST, 'snapshot.js');

// Runs before the bundle's own code, in the snapshot builder only (the bundle is never loaded
// otherwise): the require() the bundle's code calls, and a record of the files the build reads.
const BANNER = `"use strict";
const __srqRequire = (() => {
  const builtin = require;
  const fs = builtin('node:fs');
  const Module = builtin('node:module');
  const pathResolve = builtin('node:path').resolve;
  const v8 = builtin('node:v8');
  // V8 cannot write a regexp's compiled machine code into a snapshot: the regexps the build
  // runs are interpreted (bytecode) instead; the flags are set back before the snapshot is taken.
  v8.setFlagsFromString('--regexp-interpret-all');
  const building = () => v8.startupSnapshot.isBuildingSnapshot();
  const entry = __filename;
  let real = Module.createRequire(entry);
  const stat = fs.statSync;
  const key = (f) => {
    try {
      const s = stat(f);
      return s.size + ':' + s.mtimeMs;
    } catch {
      return '';
    }
  };
  const rec = {
    inputs: new Map([[entry, key(entry)]]),
    recording: true,
    runtime() {
      real = Module.createRequire(entry);
    },
  };
  globalThis[Symbol.for('srq.snapshot')] = rec;
  for (const name of ['readFileSync', 'openSync', 'readdirSync', 'existsSync']) {
    const orig = fs[name];
    fs[name] = function (f, ...rest) {
      if (rec.recording && typeof f === 'string') {
        const file = pathResolve(f);
        if (!rec.inputs.has(file)) rec.inputs.set(file, key(file));
      }
      return orig.call(this, f, ...rest);
    };
  }
  // node:worker_threads must not be loaded while the snapshot builds: a Worker started from the
  // restored heap then fails (its shared cwd counter does not survive). Its functions are
  // looked up when first called; any other use while building stops the build.
  const LAZY_FUNCTIONS = new Set(['Worker', 'isMarkedAsUntransferable']);
  const workers = new Proxy({}, {
    get(_, k) {
      if (!building()) return builtin('node:worker_threads')[k];
      if (!LAZY_FUNCTIONS.has(k)) throw new Error('worker_threads.' + String(k) + ' used while the snapshot builds');
      return function (...args) {
        const f = builtin('node:worker_threads')[k];
        return new.target ? new f(...args) : f.apply(this, args);
      };
    },
  });
  const req = (id) => {
    if (id === 'worker_threads' || id === 'node:worker_threads') return workers;
    return Module.isBuiltin(id) ? builtin(id) : real(id);
  };
  req.resolve = (id, options) => real.resolve(id, options);
  return req;
})();
// node's snapshot builder gives its script require, __filename and __dirname, but no module or
// exports: esbuild's CommonJS output writes module.exports, so the wrapper passes its own.
const __srqModule = { exports: {} };
(function (require, module, exports) {`;
const FOOTER = `})(__srqRequire, __srqModule, __srqModule.exports);`;

// Module-level objects V8 cannot put in a snapshot (native handles), made on first use instead.
const SNAPSHOT_SAFE = [
  {
    file: /[\\/]fflate[\\/]esm[\\/]index\.mjs$/,
    from: "var td = typeof TextDecoder != 'undefined' && /*#__PURE__*/ new TextDecoder();",
    to: "var td0, td = typeof TextDecoder != 'undefined' && { decode: function (d, o) { return (td0 || (td0 = new TextDecoder())).decode(d, o); } };",
  },
  {
    // fflate's probe of whether TextDecoder streams (Node's does) would make one at load.
    file: /[\\/]fflate[\\/]esm[\\/]index\.mjs$/,
    from: 'var tds = 0;\ntry {\n    td.decode(et, { stream: true });\n    tds = 1;\n}\ncatch (e) { }',
    to: 'var tds = 1;',
  },
];
const snapshotSafePlugin = {
  name: 'snapshot-safe',
  setup(build) {
    build.onLoad({ filter: /[\\/]fflate[\\/]esm[\\/]index\.mjs$/ }, (args) => {
      let src = fs.readFileSync(args.path, 'utf8');
      for (const r of SNAPSHOT_SAFE.filter((x) => x.file.test(args.path))) {
        if (!src.includes(r.from)) throw new Error(`${args.path}: no ${JSON.stringify(r.from)}`);
        src = src.replace(r.from, r.to);
      }
      return { contents: src, loader: 'js' };
    });
  },
};

/** Environment of the builder: none of srq's own settings, no NODE_OPTIONS (V8 flags). */
function builderEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SRQ_') || k === 'NODE_OPTIONS') delete env[k];
  return env;
}

function run(args, opts) {
  return spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
}

/**
 * V8 heap settings the blob is made with and started with (V8 refuses a blob made under other
 * flags: bin/srq.js's first line starts node with these, word for word). NOTE: a cold build from the snapshot
 * ran ~20 young-generation collections in V8's starting 1 MB semi-space and an old-generation
 * mark-compact (the restored heap was already near its first limit); with room for the build's
 * ~25 MB: 346 -> 341 ms wall, 400 -> 360 ms CPU (interleaved, 15 runs).
 */
const V8_FLAGS = [
  '--min-semi-space-size=16',
  '--max-semi-space-size=32',
  '--initial-old-space-size=96',
];

/**
 * What bin/srq.js checks before it starts node on the blob: the stamp (the Node version that
 * made it, for people, and the blob's size) and NODE_BIN, a link to the node executable that
 * made it; the blob and the stamp get one mtime, a little in the past, so that a blob written
 * over later (even in the same second, on a file system with whole-second times) differs from it,
 * and so does a node executable changed in place since.
 * NOTE: the launcher compares the node on the PATH with the link (the same file, not changed
 * since the stamp) instead of running `node --version`: that process was ~6 ms of every start.
 */
function writeStamp() {
  fs.writeFileSync(STAMP, `${process.version} ${fs.statSync(BLOB).size}\n`);
  fs.rmSync(NODE_BIN, { force: true });
  fs.symlinkSync(fs.realpathSync(process.execPath), NODE_BIN);
  const t = Math.floor(Date.now() / 1000) - 2;
  fs.utimesSync(BLOB, t, t);
  fs.utimesSync(STAMP, t, t);
}

/** Bundles the entry and writes the blob; throws with the reason when it cannot. */
async function make(common, plugins) {
  await esbuild.build({
    ...common,
    metafile: false,
    outdir: undefined,
    entryPoints: ['src/cli/snapshot.ts'],
    outfile: path.relative(ROOT, ENTRY),
    minifyWhitespace: true,
    banner: { js: BANNER },
    footer: { js: FOOTER },
    plugins: [snapshotSafePlugin, ...plugins],
  });
  asciiFile(ENTRY);
  fs.mkdirSync(OUT, { recursive: true });
  const tmpBlob = `${BLOB}.${process.pid}.tmp`;
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'srq-snapshot-'));
  try {
    // --no-warnings: node warns that some built-ins are "not yet fully verified" in snapshots.
    const r = run(
      ['--no-warnings', ...V8_FLAGS, '--snapshot-blob', tmpBlob, '--build-snapshot', ENTRY],
      {
        cwd,
        env: builderEnv(),
      },
    );
    if (r.status !== 0 || !fs.existsSync(tmpBlob)) {
      throw new Error(
        `node --build-snapshot exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(0, 12).join('\n')}`,
      );
    }
    // The blob must start: node refuses (or crashes on) one it cannot read, before any srq code.
    const bin = path.join(ROOT, 'bin', 'srq.js');
    const check = run([...V8_FLAGS, '--snapshot-blob', tmpBlob, bin, '--version'], {
      cwd,
      env: { ...builderEnv(), SRQ_SNAPSHOT_TRACE: '1' },
    });
    const version = require(path.join(ROOT, 'package.json')).version;
    if (
      check.status !== 0 ||
      check.stdout.trim() !== version ||
      !/started from the startup snapshot/.test(check.stderr)
    ) {
      throw new Error(
        `the snapshot does not start (exit ${check.status}): ${(check.stderr || '').trim().slice(0, 400)}`,
      );
    }
    fs.renameSync(tmpBlob, BLOB);
    writeStamp();
  } finally {
    fs.rmSync(tmpBlob, { force: true });
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/** `common`: scripts/bundle.js's esbuild options; `plugins`: those every bundle needs. */
async function buildSnapshot(common, plugins) {
  fs.rmSync(OUT, { recursive: true, force: true });
  if (process.env.SRQ_SNAPSHOT === '0') return false;
  try {
    await make(common, plugins);
    return true;
  } catch (e) {
    fs.rmSync(OUT, { recursive: true, force: true });
    console.warn(
      `srq: no startup snapshot (srq runs without it, only slower to start): ${e.message}`,
    );
    return false;
  }
}

module.exports = { buildSnapshot, BLOB, STAMP, NODE_BIN, ENTRY, V8_FLAGS };
