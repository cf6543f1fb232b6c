// Preloaded with --require: prints the size of every buffer zlib.inflateRawSync is given (the
// bundles inflate the packages' Unicode tables with it: scripts/shims/tiny-inflate.js), to see
// which tables a process decoded.
'use strict';
const zlib = require('node:zlib');
const orig = zlib.inflateRawSync;
zlib.inflateRawSync = function (buf, ...rest) {
  process.stderr.write(`INFLATE ${buf.length}\n`);
  return orig.call(this, buf, ...rest);
};
