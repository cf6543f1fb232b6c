import fs from 'node:fs';
import path from 'node:path';
import { CATALOGUE_DIR } from '../paths';
import type { Neighbour } from './bank';

/**
 * The matcher's confidence: the probability that a candidate principle is the right answer to a
 * question, from a small model (boosted decision trees) over independent signals, so that a question is
 * answered only when they agree strongly enough (blank beats wrong). The signals:
 * - lexical: the candidate's BM25F-style similarity to the question (AnswerIndex.rank), its lead
 *   over the best other principle, whether it is the lexical best;
 * - the term bank vote: the share of the question's nearest labelled examples (TF-IDF cosine
 *   over thesaurus-folded terms) carrying the candidate, its lead, the nearest such example's
 *   similarity, the share of "no principle" examples, the nearest example's similarity;
 * - the meaning vote: the same over word-vector sentence similarity (src/fill/vectors.ts);
 * - the question's word-vector similarity to the principle's own text (and its gap to the best);
 * - whether the three methods' best choices agree, and the off-topic gate;
 * - the best other principle's share of each vote, and the candidate's and the runner-up's
 *   lexical score as a fraction of the best.
 * The trees are trained by scripts/train-fill-confidence.js over the team's labelled sets
 * (each row's bank votes from the other sets only) and shipped as data beside the catalogue.
 */

export const FEATURES = [
  'lex',
  'lexMargin',
  'lexTop',
  'tv',
  'tvMargin',
  'tvBest',
  'tvNone',
  'tvNear',
  'ev',
  'evMargin',
  'evBest',
  'evNone',
  'evNear',
  'psRel',
  'ps',
  'agree3',
  'agree2',
  'gate',
  'tvOther',
  'evOther',
  'lexRatio',
  'lexSecondRatio',
] as const;

/** Neighbours that vote (of the 15 looked up). */
export const VOTE_K = 10;
/** A term-bank neighbour's vote is sim^2, a meaning neighbour's sim^4 (their sims spread differently). */
const TERM_POW = 2;
const MEANING_POW = 4;
/** Candidates: the best few of each method. */
const PER_METHOD = 3;

export interface Signals {
  /** Principles by lexical similarity, best first (id, score). */
  lexical: { id: string; score: number }[];
  /** Nearest term-bank examples, nearest first. */
  terms: Neighbour[];
  /** Nearest examples by meaning, nearest first. */
  meaning: Neighbour[];
  /** The question's meaning similarity to each principle's own text. */
  principle: Map<string, number>;
  /** Off-topic words, or no security word at all. */
  gate: boolean;
}

interface Vote {
  share: Map<string, number>;
  best: Map<string, number>;
  /** Labels other than 'none', highest share first. */
  top: string[];
  near: number;
}

function vote(nn: Neighbour[], pow: number): Vote {
  const share = new Map<string, number>();
  const best = new Map<string, number>();
  let total = 0;
  for (const { entry, sim } of nn.slice(0, VOTE_K)) {
    const w = Math.max(sim, 0) ** pow;
    total += w;
    const labels = entry.answer.length ? entry.answer : ['none'];
    for (const l of labels) {
      share.set(l, (share.get(l) ?? 0) + w / labels.length);
      best.set(l, Math.max(best.get(l) ?? 0, sim));
    }
  }
  for (const [l, x] of share) share.set(l, x / (total || 1));
  const top = [...share]
    .filter(([l]) => l !== 'none')
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([l]) => l);
  return { share, best, top, near: nn[0]?.sim ?? 0 };
}

/** The largest share of a principle other than `c`. */
function bestOther(share: Map<string, number>, c: string): number {
  let other = 0;
  for (const [l, x] of share) if (l !== c && l !== 'none') other = Math.max(other, x);
  return other;
}

function leadOver(share: Map<string, number>, c: string): number {
  return (share.get(c) ?? 0) - bestOther(share, c);
}

export interface Candidate {
  id: string;
  features: number[];
}

/** Each candidate principle with its feature vector (in FEATURES order). */
export function candidates(s: Signals): Candidate[] {
  const tv = vote(s.terms, TERM_POW);
  const ev = vote(s.meaning, MEANING_POW);
  const lex = new Map(s.lexical.map((r) => [r.id, r.score]));
  const lexTop = s.lexical[0]?.id;
  const lexFirst = s.lexical[0]?.score ?? 0;
  const lexSecond = s.lexical[1]?.score ?? 0;
  const ids = new Set([
    ...s.lexical.slice(0, PER_METHOD).map((r) => r.id),
    ...tv.top.slice(0, PER_METHOD),
    ...ev.top.slice(0, PER_METHOD),
  ]);
  let psTop = 0;
  for (const x of s.principle.values()) psTop = Math.max(psTop, x);
  const out: Candidate[] = [];
  for (const c of ids) {
    const lx = lex.get(c) ?? 0;
    const agree = +(lexTop === c) + +(tv.top[0] === c) + +(ev.top[0] === c);
    const ps = s.principle.get(c) ?? 0;
    out.push({
      id: c,
      features: [
        lx,
        lexTop === c ? lx - lexSecond : lx - lexFirst,
        lexTop === c ? 1 : 0,
        tv.share.get(c) ?? 0,
        leadOver(tv.share, c),
        tv.best.get(c) ?? 0,
        tv.share.get('none') ?? 0,
        tv.near,
        ev.share.get(c) ?? 0,
        leadOver(ev.share, c),
        ev.best.get(c) ?? 0,
        ev.share.get('none') ?? 0,
        ev.near,
        ps - psTop,
        ps,
        agree === 3 ? 1 : 0,
        agree >= 2 ? 1 : 0,
        s.gate ? 1 : 0,
        bestOther(tv.share, c),
        bestOther(ev.share, c),
        lexFirst ? lx / lexFirst : 0,
        lexFirst ? lexSecond / lexFirst : 0,
      ],
    });
  }
  return out;
}

/**
 * A trained model as shipped (src/catalogue/data/<catalogue>-confidence.json): gradient-boosted
 * decision trees over the features, whose leaf values add up to the log-odds that the candidate
 * is right (a plain logistic model over the same features missed the interactions: a strong
 * term vote means more when the meaning vote agrees, a lexical lead less when the bank says
 * "no principle").
 */
export interface ConfidenceModel {
  format: 2;
  features: string[];
  /** The log-odds before any tree. */
  base: number;
  /**
   * Each tree a list of nodes, the root first: a split `[feature, cut, left, right]` sends a
   * candidate whose feature is below the cut to node `left`, others to `right`; a leaf is
   * `[value]`, added to the log-odds.
   */
  trees: number[][][];
  /** The default confidence needed to answer. */
  threshold: number;
  /** How it was trained and what it scored (for people; not read). */
  trained?: unknown;
}

/** The value of the leaf a candidate's features reach in a tree. */
function leaf(tree: number[][], x: number[]): number {
  let node = tree[0];
  while (node.length === 4) node = tree[x[node[0]] < node[1] ? node[2] : node[3]];
  return node[0];
}

export function probability(m: ConfidenceModel, x: number[]): number {
  let s = m.base;
  for (const tree of m.trees) s += leaf(tree, x);
  return 1 / (1 + Math.exp(-s));
}

/** The candidate most likely right, with its probability. */
export function mostLikely(
  m: ConfidenceModel,
  cands: Candidate[],
): { id: string; p: number; second?: { id: string; p: number } } | undefined {
  const scored = cands
    .map((c) => ({ id: c.id, p: probability(m, c.features) }))
    .sort((a, b) => b.p - a.p || (a.id < b.id ? -1 : 1));
  if (!scored.length) return undefined;
  return { ...scored[0], ...(scored[1] ? { second: scored[1] } : {}) };
}

export interface TrainOptions {
  /** Trees, each at most `depth` splits deep. */
  trees?: number;
  depth?: number;
  /** Each tree's leaf values are scaled by this (shrinkage). */
  rate?: number;
  /** L2 penalty on leaf values (as in XGBoost's lambda). */
  l2?: number;
  /** Candidate cuts per feature: its quantiles over the examples. */
  bins?: number;
  /** A split leaves each side at least this much weight p(1-p). */
  minWeight?: number;
}

/**
 * Trains the model: gradient boosting on the log-loss, each tree grown greedily (Newton gain,
 * cuts at the features' quantiles), its leaves the Newton step; no randomness, so the same
 * examples give the same model. `y[n]` is 1 when candidate n is a right answer.
 */
export function train(
  X: number[][],
  y: number[],
  o: TrainOptions = {},
): Omit<ConfidenceModel, 'threshold'> {
  const nTrees = o.trees ?? 100;
  const depth = o.depth ?? 3;
  const rate = o.rate ?? 0.1;
  const l2 = o.l2 ?? 1;
  const bins = o.bins ?? 32;
  const minWeight = o.minWeight ?? 5;
  const N = X.length;
  const d = FEATURES.length;
  // Each feature's cuts (distinct quantiles, ascending) and each example's bin: the number of
  // cuts at or below its value, so bin <= b exactly when the value is below cuts[b].
  const cuts: number[][] = [];
  const bin = new Uint8Array(N * d);
  for (let j = 0; j < d; j++) {
    const v = X.map((x) => x[j]).sort((a, b) => a - b);
    const c: number[] = [];
    for (let b = 1; b < bins; b++) {
      const t = v[Math.floor((b * N) / bins)];
      if (!c.length || t > c[c.length - 1]) c.push(t);
    }
    cuts.push(c);
    for (let n = 0; n < N; n++) {
      let lo = 0;
      let hi = c.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (X[n][j] < c[mid]) hi = mid;
        else lo = mid + 1;
      }
      bin[n * d + j] = lo;
    }
  }
  const positive = y.reduce((a, b) => a + b, 0) / (N || 1);
  const base = Math.log(Math.max(positive, 1e-6) / Math.max(1 - positive, 1e-6));
  const F = new Float64Array(N).fill(base);
  const G = new Float64Array(N);
  const H = new Float64Array(N);
  const trees: number[][][] = [];
  for (let t = 0; t < nTrees; t++) {
    for (let n = 0; n < N; n++) {
      const p = 1 / (1 + Math.exp(-F[n]));
      G[n] = p - y[n];
      H[n] = p * (1 - p);
    }
    const nodes: number[][] = [];
    const grow = (rows: number[], level: number): number => {
      let g = 0;
      let h = 0;
      for (const n of rows) {
        g += G[n];
        h += H[n];
      }
      const at = nodes.length;
      nodes.push([]);
      let best = { gain: 1e-12, j: -1, b: -1 };
      if (level < depth) {
        const whole = (g * g) / (h + l2);
        for (let j = 0; j < d; j++) {
          const k = cuts[j].length + 1;
          const hg = new Float64Array(k);
          const hh = new Float64Array(k);
          for (const n of rows) {
            hg[bin[n * d + j]] += G[n];
            hh[bin[n * d + j]] += H[n];
          }
          let gl = 0;
          let hl = 0;
          for (let b = 0; b < k - 1; b++) {
            gl += hg[b];
            hl += hh[b];
            const hr = h - hl;
            if (hl < minWeight || hr < minWeight) continue;
            const gain = (gl * gl) / (hl + l2) + ((g - gl) * (g - gl)) / (hr + l2) - whole;
            if (gain > best.gain) best = { gain, j, b };
          }
        }
      }
      if (best.j < 0) {
        nodes[at] = [(-g / (h + l2)) * rate];
        return at;
      }
      const { j, b } = best;
      const left = rows.filter((n) => bin[n * d + j] <= b);
      const right = rows.filter((n) => bin[n * d + j] > b);
      const l = grow(left, level + 1);
      const r = grow(right, level + 1);
      nodes[at] = [j, cuts[j][b], l, r];
      return at;
    };
    grow(
      Array.from({ length: N }, (_, n) => n),
      0,
    );
    trees.push(nodes);
    for (let n = 0; n < N; n++) F[n] += leaf(nodes, X[n]);
  }
  return { format: 2, features: [...FEATURES], base, trees };
}

const loaded = new Map<string, ConfidenceModel | undefined>();

export function confidenceFile(framework: string): string {
  return path.join(CATALOGUE_DIR, `${framework}-confidence.json`);
}

/** The shipped model for a built-in catalogue, or undefined when there is none. */
export function confidenceFor(framework: string): ConfidenceModel | undefined {
  if (loaded.has(framework)) return loaded.get(framework);
  let model: ConfidenceModel | undefined;
  if (/^[a-z0-9-]+$/.test(framework)) {
    const file = confidenceFile(framework);
    if (fs.existsSync(file)) model = checkModel(file, readJson(file));
  }
  loaded.set(framework, model);
  return model;
}

function unusable(file: string): Error {
  return new Error(
    `${file}: not a confidence model for this version of srq (features or numbers do not fit); reinstall srq or rerun scripts/train-fill-confidence.js`,
  );
}

function readJson(file: string): Partial<ConfidenceModel> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ConfidenceModel>;
  } catch {
    throw unusable(file);
  }
}

function checkModel(file: string, m: Partial<ConfidenceModel>): ConfidenceModel {
  const d = FEATURES.length;
  // A split's children come after it, so walking a tree always ends at a leaf.
  const node = (x: unknown, at: number, size: number): boolean =>
    Array.isArray(x) &&
    x.every(Number.isFinite) &&
    (x.length === 1 ||
      (x.length === 4 &&
        Number.isInteger(x[0]) &&
        x[0] >= 0 &&
        x[0] < d &&
        [x[2], x[3]].every((k: number) => Number.isInteger(k) && k > at && k < size)));
  const ok =
    m.format === 2 &&
    m.features?.join() === FEATURES.join() &&
    Array.isArray(m.trees) &&
    m.trees.every(
      (t) => Array.isArray(t) && t.length > 0 && t.every((x, i) => node(x, i, t.length)),
    ) &&
    [m.base, m.threshold].every(Number.isFinite);
  if (!ok) throw unusable(file);
  return m as ConfidenceModel;
}
