/**
 * pdfkit 0.20's `PDFObject.convert`, the serialiser of every object's dictionary that
 * `PDFReference.finalize` writes, for srq's documents (never encrypted, no spot colours), with
 * the common values first. NOTE: pdfkit tries eight `instanceof` and a `{}.toString.call` before
 * it reaches a number, and four before a reference; a tagged statement's thousands of structure
 * elements are mostly names, numbers, references and small dictionaries: the serialiser was the
 * largest cost of drawing in a cold build (~8 ms of the example) and ~2 ms of a warm one.
 * test/pdf/pdf-object.test.ts holds it to pdfkit's own output, byte for byte.
 */

/** pdfkit's classes the serialiser tells apart (not exported by pdfkit: found from objects). */
export interface PdfClasses {
  /** PDFAbstractReference: written as `N 0 R` */
  reference: abstract new (...args: never[]) => { toString(): string };
  /** PDFTree (name and number trees): written by their own toString */
  tree: abstract new (...args: never[]) => { toString(encryptFn?: null): string };
}

/** PDF literal string escapes, as pdfkit writes them. */
const ESCAPE = /[\n\r\t\b\f()\\]/g;
const ESCAPES: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\\': '\\\\',
  '(': '\\(',
  ')': '\\)',
};

/** pdfkit's PDFObject.number: six decimals at most; a number it cannot write throws. */
function pdfNumber(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

/** A String object as pdfkit writes it: its low bytes, or UTF-16BE with a BOM when not ASCII. */
function literal(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  let bytes = s;
  if (!ascii) {
    bytes = '\u00fe\u00ff';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      bytes += String.fromCharCode(c >> 8, c & 0xff);
    }
  }
  return `(${bytes.replace(ESCAPE, (c) => ESCAPES[c])})`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0').slice(-width);

export function pdfObject(o: unknown, classes: PdfClasses): string {
  switch (typeof o) {
    case 'string':
      return `/${o}`;
    case 'number':
      return `${pdfNumber(o)}`;
    case 'object':
      break;
    default:
      return `${o as string}`;
  }
  if (o === null) return 'null';
  if (o instanceof classes.reference) return o.toString();
  if (Array.isArray(o)) {
    let out = '[';
    for (let i = 0; i < o.length; i++) {
      if (i) out += ' ';
      const e: unknown = o[i];
      out += pdfObject(e === undefined ? null : e, classes);
    }
    return `${out}]`;
  }
  if (o instanceof String) {
    // pdfkit reads each character's low byte (fromBinaryString) for an ASCII string.
    return literal(o.valueOf());
  }
  if (o instanceof Uint8Array)
    return `<${Buffer.from(o.buffer, o.byteOffset, o.length).toString('hex')}>`;
  if (o instanceof classes.tree) return o.toString(null);
  if (o instanceof Date) {
    return (
      `(D:${pad(o.getUTCFullYear(), 4)}${pad(o.getUTCMonth() + 1, 2)}${pad(o.getUTCDate(), 2)}` +
      `${pad(o.getUTCHours(), 2)}${pad(o.getUTCMinutes(), 2)}${pad(o.getUTCSeconds(), 2)}Z)`
    );
  }
  if (Object.prototype.toString.call(o) === '[object Object]') {
    let out = '<<';
    const dict = o as Record<string, unknown>;
    for (const key in dict) {
      const val = dict[key];
      if (val === undefined) continue;
      out += `\n/${key} ${pdfObject(val, classes)}`;
    }
    return `${out}\n>>`;
  }
  // Anything else as pdfkit writes it: its string form.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- pdfkit's `${object}`
  return String(o);
}
