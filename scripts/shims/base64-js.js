'use strict';
// Replaces base64-js (both copies: unicode-properties' and linebreak's) in the bundles
// (scripts/bundle.js): they decode their Unicode tables from base64 strings at load with a
// JavaScript decoder; Node's Buffer decodes natively. Same results for the valid, padded base64
// those packages hold: a plain Uint8Array of its own (byteOffset 0: unicode-trie reads `.buffer`).

function toByteArray(b64) {
  const b = Buffer.from(b64, 'base64');
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

function fromByteArray(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

function byteLength(b64) {
  return Buffer.byteLength(b64, 'base64');
}

module.exports = { toByteArray, fromByteArray, byteLength };
