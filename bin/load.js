'use strict';
// Loads the bundled CLI (dist/srq.js and the per-command bundles it requires, made by
// scripts/bundle.js at `npm run build`) through a V8 code cache, so that a start neither parses
// nor compiles the bundles' code again. Node 20 has no built-in compile cache; this is the
// vm.Script `cachedData` one. The cache of a bundle is written into dist/.cache/ when the process
// that compiled it without a cache exits, and is keyed by the bundle's size and mtime and by the
// Node version (V8 also refuses data from another V8 or other flags: then it is rewritten). It is
// only ever an optimisation: an unreadable, stale or unwritable cache means compiling as usual.
// SRQ_CODE_CACHE=0 turns it off.
const { isAscii } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const DIST = path.resolve(__dirname, '..', 'dist');
const CACHE_DIR = path.join(DIST, '.cache');
const BUNDLE = /^(srq|worker)(-[\w-]+)?\.js$/;

/** Where the code cache of `file` (with these stats) is kept. */
function cacheFileFor(file, stat) {
  const key = `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}`;
  return path.join(CACHE_DIR, `${path.basename(file, '.js')}-${key}.bin`);
}

function readCache(cacheFile) {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Caches of older builds of the same bundle, and temp files a killed process left behind. */
function removeStale(cacheFile) {
  const name = path.basename(cacheFile);
  const bundleOf = (f) => f.split(/-v\d+\.\d+\.\d+-/)[0];
  const bundle = bundleOf(name);
  for (const f of fs.readdirSync(CACHE_DIR)) {
    const file = path.join(CACHE_DIR, f);
    const stale = f.endsWith('.tmp')
      ? Date.now() - fs.statSync(file).mtimeMs > 10 * 60 * 1000
      : f !== name && f.endsWith('.bin') && bundleOf(f) === bundle;
    if (stale) fs.rmSync(file, { force: true });
  }
}

/** Writes the cache atomically (a torn file would only be refused, but costs a compile). */
function writeCache(cacheFile, data) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, cacheFile);
    removeStale(cacheFile);
  } catch {
    // Unwritable (an installed package, a read-only file system): run without a cache.
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

const pending = [];

/**
 * A bundle's source. NOTE: the bundles are pure ASCII (scripts/ascii.js), and ASCII read as
 * latin1 is the same string, made without the UTF-8 decoder: 0.25 ms for srq-validate.js's
 * 1 MB against 3.7-6.8 ms as 'utf8'. A file that is not ASCII is decoded as UTF-8.
 */
function bundleSource(filename) {
  const bytes = fs.readFileSync(filename);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Compiles and runs one bundle as the CommonJS module `module`, with its code cache. */
function compileWithCache(module, filename) {
  const stat = fs.statSync(filename);
  const cacheFile = cacheFileFor(filename, stat);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(bundleSource(filename)), {
    filename,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (!cachedData || script.cachedDataRejected) pending.push({ script, cacheFile });
  const fn = script.runInThisContext({ displayErrors: true });
  const req = Module.createRequire(filename);
  req.main = process.mainModule;
  fn.call(module.exports, module.exports, req, module, filename, path.dirname(filename));
}

let installed = false;

/** Makes require() of dist/'s bundles go through the code cache. */
function installCodeCache() {
  if (installed || process.env.SRQ_CODE_CACHE === '0') return;
  installed = true;
  const plain = Module._extensions['.js'];
  Module._extensions['.js'] = function loadJs(module, filename) {
    if (path.dirname(filename) !== DIST || !BUNDLE.test(path.basename(filename))) {
      return plain(module, filename);
    }
    return compileWithCache(module, filename);
  };
  // After the command ran, the functions it used are compiled: cache those too.
  process.once('exit', () => {
    for (const { script, cacheFile } of pending.splice(0)) {
      let data;
      try {
        data = script.createCachedData();
      } catch {
        continue;
      }
      writeCache(cacheFile, data);
    }
  });
}

/** The CLI's entry module: the bundle when it was built, else tsc's dist/cli/index.js. */
function loadCli() {
  const bundle = path.join(DIST, 'srq.js');
  if (fs.existsSync(bundle)) {
    installCodeCache();
    return require(bundle);
  }
  return require(path.join(DIST, 'cli', 'index.js'));
}

module.exports = {
  bundleSource,
  loadCli,
  installCodeCache,
  cacheFileFor,
  CACHE_DIR,
};
