import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CATALOGUE_DIR, PACKAGE_ROOT } from '../paths';
import { normaliseQuestion, termsFingerprint, termsOfMany } from './text';
import { centred, VECTORS_FILE, wordVectors, type WordVectors } from './vectors';

/**
 * The example-question bank: buyer-style wordings of questions, each labelled with the
 * catalogue items whose answer answers it ([] = a question no principle answers: company,
 * commercial, other frameworks, services not offered). The matcher looks up a question's
 * nearest examples (TF-IDF cosine over the same thesaurus-folded terms it uses for the
 * answers) and lets their labels vote beside the lexical score: a wording seen before in
 * other words finds its principle, and a question like known off-topic ones stays blank.
 * Shipped as product data beside the catalogue (src/catalogue/data/<catalogue>-questions.yaml),
 * written by the team (never third-party text).
 */

export interface BankEntry {
  q: string;
  /** Catalogue item ids that answer it; [] when no principle does. */
  answer: string[];
}

export interface Neighbour {
  entry: BankEntry;
  /** Cosine similarity, 0..1. */
  sim: number;
}

interface Vec {
  entry: BankEntry;
  w: Map<string, number>;
  norm: number;
}

export class QuestionBank {
  private readonly vecs: Vec[];
  private readonly df = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  /** Each entry's distinct terms. */
  readonly terms: string[][];

  /**
   * `terms`: each entry's terms when worked out in advance (see bankFor); `storedMeaning`: the
   * examples' sentence vectors likewise.
   */
  constructor(
    readonly entries: BankEntry[],
    terms?: string[][],
    private readonly storedMeaning?: MeaningIndex,
  ) {
    this.terms = terms ?? termsOfMany(entries.map((e) => e.q)).map((ts) => [...new Set(ts)]);
    const sets = this.terms;
    for (const ts of sets) for (const t of ts) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.vecs = entries.map((entry, i) => {
      const w = new Map(sets[i].map((t) => [t, this.idf(t)]));
      for (const t of w.keys()) {
        let p = this.postings.get(t);
        if (!p) this.postings.set(t, (p = []));
        p.push(i);
      }
      return { entry, w, norm: Math.hypot(...w.values()) || 1 };
    });
  }

  private idf(t: string): number {
    return Math.log((this.entries.length + 1) / ((this.df.get(t) ?? 0) + 0.5));
  }

  private meaningIndex?: MeaningIndex;

  /** The examples' sentence vectors (for the build's cache). */
  meaningData(vectors: WordVectors = wordVectors()): MeaningIndex {
    return this.meaning(vectors);
  }

  /**
   * The examples' sentence vectors, centred on their mean, on their first AXES principal axes
   * (worked out on first use).
   */
  private meaning(vectors: WordVectors): MeaningIndex {
    if (this.meaningIndex) return this.meaningIndex;
    const dims = vectors.dims;
    const stored = this.storedMeaning;
    if (stored && stored.matrix.length === stored.rows.length * AXES)
      return (this.meaningIndex = stored);
    const raw = this.entries.map((e) => vectors.sentence(e.q));
    const mean = new Float64Array(dims);
    const rows: number[] = [];
    raw.forEach((v, i) => {
      if (!v) return;
      for (let d = 0; d < dims; d++) mean[d] += v[d];
      rows.push(i);
    });
    for (let d = 0; d < dims; d++) mean[d] /= rows.length || 1;
    const plain = new Float64Array(rows.length * dims);
    rows.forEach((i, r) => plain.set(centred(raw[i]!, mean), r * dims));
    const rotation = principalAxes(plain, dims);
    const matrix = new Float64Array(rows.length * AXES);
    for (let r = 0; r < rows.length; r++)
      matrix.set(turn(rotation, plain.subarray(r * dims, (r + 1) * dims), AXES), r * AXES);
    return (this.meaningIndex = { mean, rotation, matrix, rows });
  }

  /** A text's sentence vector, centred as the examples' are (undefined: no known word). */
  meaningOf(text: string, vectors: WordVectors = wordVectors()): Float64Array | undefined {
    const v = vectors.sentence(text);
    return v && centred(v, this.meaning(vectors).mean);
  }

  /** The k examples nearest in meaning (word-vector cosine) to a centred vector, nearest first. */
  meaningNeighbours(v: Float64Array, k: number, vectors: WordVectors = wordVectors()): Neighbour[] {
    const { matrix, rows, rotation } = this.meaning(vectors);
    const q = turn(rotation, v, AXES);
    const best = new TopK(k);
    for (let r = 0, at = 0; r < rows.length; r++, at += AXES) {
      // NOTE: four sums at once: this runs 300 x 4,000 x AXES times for a 300-question fill.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < AXES; d += 4) {
        s0 += q[d] * matrix[at + d];
        s1 += q[d + 1] * matrix[at + d + 1];
        s2 += q[d + 2] * matrix[at + d + 2];
        s3 += q[d + 3] * matrix[at + d + 3];
      }
      const sim = s0 + s1 + (s2 + s3);
      if (best.full && sim < best.last) continue;
      best.offer(this.entries[rows[r]], sim);
    }
    return best.items;
  }

  /** The k examples nearest to a question given as its terms, nearest first. */
  neighbours(questionTerms: string[], k: number): Neighbour[] {
    // An example's weight for each of its terms is the term's idf, so the dot product with the
    // question is the sum of idf^2 over the terms they share.
    const acc = (this.acc ??= new Float64Array(this.entries.length));
    const touched: number[] = [];
    const seen = new Set<string>();
    let qn = 0;
    for (const t of questionTerms) {
      if (seen.has(t) || !this.df.has(t)) continue;
      seen.add(t);
      const w = this.idf(t);
      qn += w * w;
      for (const i of this.postings.get(t) ?? []) {
        if (acc[i] === 0) touched.push(i);
        acc[i] += w * w;
      }
    }
    if (!seen.size) return [];
    qn = Math.sqrt(qn) || 1;
    const best = new TopK(k);
    for (const i of touched) {
      best.offer(this.entries[i], acc[i] / (qn * this.vecs[i].norm));
      acc[i] = 0;
    }
    return best.items;
  }

  private acc?: Float64Array;
}

/** The k best neighbours offered, kept in order: most similar first, then by wording. */
class TopK {
  readonly items: Neighbour[] = [];
  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.items.length === this.k;
  }

  get last(): number {
    return this.items[this.k - 1].sim;
  }

  offer(entry: BankEntry, sim: number): void {
    const { items, k } = this;
    if (items.length === k && sim < items[k - 1].sim) return;
    let at = items.length;
    while (
      at > 0 &&
      (sim > items[at - 1].sim ||
        (sim === items[at - 1].sim && entry.q.localeCompare(items[at - 1].entry.q) < 0))
    )
      at--;
    if (at >= k) return;
    items.splice(at, 0, { entry, sim });
    if (items.length > k) items.pop();
  }
}

/**
 * The principal axes meaning similarity is measured on: the first 48 of 100 carry about 80% of
 * the examples' spread, and the scan over every example (the largest cost of a fill) takes half
 * the time. A multiple of 4 (the scan sums four at once).
 */
const AXES = 48;

export interface MeaningIndex {
  mean: Float64Array;
  /** dims x dims, row j = the j-th principal axis (largest spread first). */
  rotation: Float64Array;
  /** The examples' centred, unit vectors on the first AXES axes, one row each. */
  matrix: Float64Array;
  /** Which entry each row is. */
  rows: number[];
}

/** `v` on the first `count` axes (rows of `rotation`). */
function turn(rotation: Float64Array, v: ArrayLike<number>, count: number): Float64Array {
  const dims = v.length;
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += rotation[j * dims + d] * v[d];
    out[j] = s;
  }
  return out;
}

/**
 * The principal axes of the rows of `m` (row-major, `dims` wide): eigenvectors of MᵀM by cyclic
 * Jacobi rotations, largest eigenvalue first, as the rows of a dims x dims matrix.
 */
export function principalAxes(m: Float64Array, dims: number): Float64Array {
  const n = m.length / dims;
  const a = new Float64Array(dims * dims);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < dims; i++) {
      const x = m[r * dims + i];
      if (!x) continue;
      for (let j = i; j < dims; j++) a[i * dims + j] += x * m[r * dims + j];
    }
  for (let i = 0; i < dims; i++) for (let j = 0; j < i; j++) a[i * dims + j] = a[j * dims + i];
  const e = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) e[i * dims + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let i = 0; i < dims; i++) for (let j = i + 1; j < dims; j++) off += a[i * dims + j] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < dims; p++)
      for (let q = p + 1; q < dims; q++) {
        const apq = a[p * dims + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * dims + q] - a[p * dims + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < dims; k++) {
          const akp = a[k * dims + p];
          const akq = a[k * dims + q];
          a[k * dims + p] = c * akp - sn * akq;
          a[k * dims + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < dims; k++) {
          const apk = a[p * dims + k];
          const aqk = a[q * dims + k];
          a[p * dims + k] = c * apk - sn * aqk;
          a[q * dims + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < dims; k++) {
          const ekp = e[k * dims + p];
          const ekq = e[k * dims + q];
          e[k * dims + p] = c * ekp - sn * ekq;
          e[k * dims + q] = sn * ekp + c * ekq;
        }
      }
  }
  const order = Array.from({ length: dims }, (_, i) => i).sort(
    (x, y) => a[y * dims + y] - a[x * dims + x] || x - y,
  );
  const out = new Float64Array(dims * dims);
  order.forEach((col, j) => {
    for (let d = 0; d < dims; d++) out[j * dims + d] = e[d * dims + col];
  });
  return out;
}

/** Parses a bank file's text (`questions: [{ q, answer }]`), dropping repeats of one wording. */
export function parseBank(text: string): BankEntry[] {
  const doc = parse(text) as { questions?: { q: string; answer: string[] | 'none' }[] };
  const seen = new Set<string>();
  const out: BankEntry[] = [];
  for (const e of doc.questions ?? []) {
    const key = normaliseQuestion(e.q);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ q: e.q, answer: e.answer === 'none' ? [] : e.answer.map(String) });
  }
  return out;
}

const loaded = new Map<string, QuestionBank | undefined>();

/** Where the build keeps a bank's entries with their terms worked out (bankFor reads it). */
export const BANK_CACHE_DIR = path.join(PACKAGE_ROOT, 'dist', 'fill-bank');

interface BankCache {
  fingerprint: string;
  entries: BankEntry[];
  terms: string[][];
  /** The sentence vectors' shape (the numbers are in <name>.meaning.bin). */
  meaning?: { dims: number; rows: number[]; vectorsBytes: number };
}

function bankSource(
  framework: string,
): { file: string; text: string; fingerprint: string } | undefined {
  if (!/^[a-z0-9-]+$/.test(framework)) return undefined;
  const file = path.join(CATALOGUE_DIR, `${framework}-questions.yaml`);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const fingerprint = createHash('sha256').update(text).update(termsFingerprint()).digest('hex');
  return { file, text, fingerprint };
}

/**
 * The shipped bank for a built-in catalogue (ncsc-2023), or undefined when there is none. The
 * terms of its 1,400-odd wordings take a few hundred ms to work out, so `npm run build` stores
 * them (writeBankCaches); they are used only while the bank file and the thesaurus are the ones
 * they were worked out from (the fingerprint), and worked out afresh otherwise.
 */
export function bankFor(framework: string): QuestionBank | undefined {
  if (loaded.has(framework)) return loaded.get(framework);
  const src = bankSource(framework);
  let bank: QuestionBank | undefined;
  if (src) {
    const cache = readCache(path.join(BANK_CACHE_DIR, `${framework}.json`));
    bank =
      cache?.fingerprint === src.fingerprint
        ? new QuestionBank(
            cache.entries,
            cache.terms,
            readMeaning(path.join(BANK_CACHE_DIR, `${framework}.meaning.bin`), cache),
          )
        : new QuestionBank(parseBank(src.text));
  }
  loaded.set(framework, bank);
  return bank;
}

/**
 * The stored sentence vectors: the mean, the axes, then the rows' turned vectors, as float64 (exactly what the
 * bank works out itself), valid only for the cache's fingerprint and the vector file's size.
 */
function readMeaning(file: string, cache: BankCache): MeaningIndex | undefined {
  try {
    if (!cache.meaning || cache.meaning.vectorsBytes !== fs.statSync(VECTORS_FILE).size)
      return undefined;
    const buf = fs.readFileSync(file);
    const all = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    const { dims, rows } = cache.meaning;
    if (all.length !== dims * (1 + dims) + AXES * rows.length) return undefined;
    return {
      mean: all.slice(0, dims),
      rotation: all.slice(dims, dims + dims * dims),
      matrix: all.slice(dims + dims * dims),
      rows,
    };
  } catch {
    return undefined;
  }
}

function readCache(file: string): BankCache | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BankCache;
  } catch {
    return undefined;
  }
}

/** Part of `npm run build`: stores each shipped bank's entries and terms in BANK_CACHE_DIR. */
export function writeBankCaches(dir = BANK_CACHE_DIR): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(CATALOGUE_DIR).sort()) {
    const m = /^([a-z0-9-]+)-questions\.yaml$/.exec(name);
    const src = m && bankSource(m[1]);
    if (!m || !src) continue;
    const bank = new QuestionBank(parseBank(src.text));
    const vectors = wordVectors();
    const meaning = bank.meaningData(vectors);
    const cache: BankCache = {
      fingerprint: src.fingerprint,
      entries: bank.entries,
      terms: bank.terms,
      meaning: {
        dims: vectors.dims,
        rows: meaning.rows,
        vectorsBytes: fs.statSync(VECTORS_FILE).size,
      },
    };
    fs.mkdirSync(dir, { recursive: true });
    const bin = path.join(dir, `${m[1]}.meaning.bin`);
    const numbers = new Float64Array(
      meaning.mean.length + meaning.rotation.length + meaning.matrix.length,
    );
    numbers.set(meaning.mean);
    numbers.set(meaning.rotation, meaning.mean.length);
    numbers.set(meaning.matrix, meaning.mean.length + meaning.rotation.length);
    fs.writeFileSync(`${bin}.tmp`, Buffer.from(numbers.buffer));
    fs.renameSync(`${bin}.tmp`, bin);
    const file = path.join(dir, `${m[1]}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(cache));
    fs.renameSync(`${file}.tmp`, file);
    out.push(file);
  }
  return out;
}
