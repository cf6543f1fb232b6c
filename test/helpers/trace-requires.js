// Preloaded with --require: prints every module file the process loads, to check lazy loading.
'use strict';
const Module = require('node:module');
const orig = Module.prototype.require;
const seen = new Set();
Module.prototype.require = function (id) {
  const out = orig.apply(this, arguments);
  try {
    const file = Module._resolveFilename(id, this);
    if (!seen.has(file)) {
      seen.add(file);
      process.stderr.write(`LOADED ${file}\n`);
    }
  } catch {
    // built-in modules
  }
  return out;
};
// And, when it exits, the modules of Node's own it loaded (`BUILTIN name`, one a line).
process.once('exit', () => {
  for (const m of process.moduleLoadList) {
    if (m.startsWith('NativeModule ')) process.stderr.write(`BUILTIN ${m.slice(13)}\n`);
  }
});
