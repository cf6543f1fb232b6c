// Preloaded with --require: prints every module file the process loads, to check lazy loading.
// NOTE: written with fs.writeSync: process.stderr would load node:tty, node:net and node:stream.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const orig = Module.prototype.require;
const seen = new Set();
Module.prototype.require = function (id) {
  const out = orig.apply(this, arguments);
  try {
    const file = Module._resolveFilename(id, this);
    if (!seen.has(file)) {
      seen.add(file);
      fs.writeSync(2, `LOADED ${file}\n`);
    }
  } catch {
    // built-in modules
  }
  return out;
};
// And, when it exits, the modules of Node's own it loaded (`BUILTIN name`, one a line).
process.once('exit', () => {
  for (const m of process.moduleLoadList) {
    if (m.startsWith('NativeModule ')) fs.writeSync(2, `BUILTIN ${m.slice(13)}\n`);
  }
});
