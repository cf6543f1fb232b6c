'use strict';
// Part of `npm run build`: makes a bundle's text pure ASCII. esbuild escapes non-ASCII characters
// in string literals but leaves them in comments and regexp literals; one such character makes V8
// keep the whole source of the bundle (which it holds for lazy compilation) as a two-byte
// string: twice the bytes for every start to read and, in the startup snapshot, 14 of the
// blob's 33 MB to deserialise. Each non-ASCII code point becomes its \u escape (a surrogate pair
// for one beyond U+FFFF), which means the same character in a comment, a string, an identifier
// and a regexp (with or without the u flag). Not safe in String.raw templates: a bundle with one
// holding a non-ASCII character is refused.
const fs = require('node:fs');

const hex = (n) => `\\u${n.toString(16).toUpperCase().padStart(4, '0')}`;

/** `text` with every non-ASCII character written as its \u escape. */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/gu, (c) => {
    const cp = c.codePointAt(0);
    if (cp <= 0xffff) return hex(cp);
    const v = cp - 0x10000;
    return hex(0xd800 + (v >> 10)) + hex(0xdc00 + (v & 0x3ff));
  });
}

/** Rewrites a bundle file as ASCII (unchanged when it already is). */
function asciiFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  // eslint-disable-next-line no-control-regex -- ASCII is the point
  if (/^[\x00-\x7f]*$/.test(text)) return;
  if (/String\.raw`[^`]*[^\x00-\x7f]/.test(text)) {
    throw new Error(`${file}: a String.raw template holds a non-ASCII character`);
  }
  fs.writeFileSync(file, asciiOnly(text));
}

module.exports = { asciiOnly, asciiFile };
