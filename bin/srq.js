#!/usr/bin/env node
'use strict';
// NOTE: V8's code cache for every CommonJS module srq loads (pdfkit, fontkit, forge…): a cold
// `srq build --sign` spends most of its time compiling them otherwise (bench/: ~1.4 s → ~0.4 s).
// ES modules loaded through require() (@inquirer/*) keep Node's own compile path, which
// v8-compile-cache does not understand. SRQ_NO_COMPILE_CACHE=1 turns the cache off.
if (!process.env.SRQ_NO_COMPILE_CACHE) {
  const Module = require('node:module');
  const original = Module.prototype._compile;
  require('v8-compile-cache');
  const cached = Module.prototype._compile;
  if (cached !== original) {
    Module.prototype._compile = function compile(content, filename, format) {
      const esm = format === 'module' || filename.endsWith('.mjs') || /^\s*(import|export)\s/m.test(content);
      return (esm ? original : cached).apply(this, arguments);
    };
  }
}
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
require('../dist/cli/index.js').main(process.argv);
