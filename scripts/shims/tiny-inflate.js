'use strict';
// Replaces the tiny-inflate package in the bundles (scripts/bundle.js). tiny-inflate is a
// pure-JavaScript raw inflate; unicode-trie runs it twice on each Unicode table (unicode-properties',
// fontkit's and linebreak's, all decoded as their modules load) and fontkit on WOFF fonts. Node's
// zlib does the same inflate natively. Same contract as tiny-inflate 1.0.3: fills `dest` and
// returns it, or a copy of its first bytes when the data is shorter; never writes past its end.
const { inflateRawSync } = require('node:zlib');

module.exports = function inflate(source, dest) {
  const out = inflateRawSync(source);
  dest.set(out.length > dest.length ? out.subarray(0, dest.length) : out);
  return out.length < dest.length ? dest.slice(0, out.length) : dest;
};
