import fs from 'node:fs';
import path from 'node:path';
import { CATALOGUE_DIR } from '../paths';

/**
 * Word vectors for the matcher's meaning-based signals: a question and a bank example (or a
 * principle) that share no word can still be near in meaning ("staff vetting" / "background
 * checks on employees"). The file is a compact int8 subset of GloVe-derived vectors made by
 * scripts/write-word-vectors.js (source and licence: src/catalogue/data/word-vectors.NOTICE.md).
 * A sentence's vector is the SIF-weighted mean (a / (a + p(w)), p from the word's frequency
 * rank) of its words' unit vectors: frequent words say little, rare ones most.
 */

export const VECTORS_FILE = path.join(CATALOGUE_DIR, 'word-vectors.bin');

/** The SIF weight's a (smaller: frequent words count for less). */
const SIF_A = 3e-4;

/** Words that say nothing about which answer a question wants. */
const STOP = new Set(
  (
    'a an and are as at be been being by can could do does did for from has have having how i if in into is it its ' +
    'of on or our ours please provide describe detail details explain confirm outline state give list ' +
    'should shall so such that the their them then there these they this those to us we what when where which ' +
    'who whom whether why will with would you your yours any all also each other own same than too very ' +
    'ensure ensures organisation organization company supplier service services solution provider vendor contractor e g eg ie etc yes no n'
  ).split(' '),
);

/** A question's words as the vectors know them: folded to ASCII lower case, no stop words or numbers. */
export function vectorWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w) && !/^\d+$/.test(w));
}

export class WordVectors {
  readonly dims: number;
  private readonly index = new Map<string, number>();
  private readonly rank: Uint32Array;
  private readonly scale: Float32Array;
  private readonly v: Int8Array;

  /** Parses the file's layout (see scripts/write-word-vectors.js); throws on a damaged file. */
  constructor(buf: Buffer, file = VECTORS_FILE) {
    const bad = (why: string) =>
      new Error(
        `${file}: not a word-vector file (${why}); reinstall srq or rerun scripts/write-word-vectors.js`,
      );
    if (buf.length < 16 || buf.toString('latin1', 0, 4) !== 'SRQV') throw bad('no SRQV header');
    const n = buf.readUInt32LE(4);
    this.dims = buf.readUInt32LE(8);
    const textLength = buf.readUInt32LE(12);
    let at = 16 + textLength;
    at += (4 - (at % 4)) % 4;
    if (buf.length !== at + 8 * n + n * this.dims) throw bad('wrong length');
    const words = buf.toString('utf8', 16, 16 + textLength).split('\n');
    if (words.length !== n) throw bad('word count');
    words.forEach((w, i) => this.index.set(w, i));
    const copy = (bytes: number, from: number) => {
      const out = new ArrayBuffer(bytes);
      new Uint8Array(out).set(buf.subarray(from, from + bytes));
      return out;
    };
    this.rank = new Uint32Array(copy(4 * n, at));
    this.scale = new Float32Array(copy(4 * n, at + 4 * n));
    this.v = new Int8Array(copy(n * this.dims, at + 8 * n));
  }

  private lookup(w: string): number | undefined {
    const i = this.index.get(w);
    return i === undefined && w.endsWith('s') ? this.index.get(w.slice(0, -1)) : i;
  }

  /** The text's SIF-weighted mean vector, unit length; undefined when no word is known. */
  sentence(text: string): Float64Array | undefined {
    const out = new Float64Array(this.dims);
    let any = false;
    for (const w of vectorWords(text)) {
      const i = this.lookup(w);
      if (i === undefined) continue;
      const p = 0.1 / (this.rank[i] + 1);
      const wt = (SIF_A / (SIF_A + p)) * this.scale[i];
      const base = i * this.dims;
      for (let d = 0; d < this.dims; d++) out[d] += wt * this.v[base + d];
      any = true;
    }
    return any ? unit(out) : undefined;
  }
}

export function unit(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** `v` minus `mean`, unit length (a fresh array). */
export function centred(v: Float64Array, mean: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] - mean[i];
  return unit(out);
}

let shipped: WordVectors | undefined;

/** The shipped vectors, read once per process. */
export function wordVectors(): WordVectors {
  return (shipped ??= new WordVectors(fs.readFileSync(VECTORS_FILE)));
}
