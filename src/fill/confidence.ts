import fs from 'node:fs';
import path from 'node:path';
import { CATALOGUE_DIR } from '../paths';
import type { Neighbour } from './bank';

/**
 * The matcher's confidence: the probability that a candidate principle is the right answer to a
 * question, from a small logistic model over independent signals, so that a question is
 * answered only when they agree strongly enough (blank beats wrong). The signals:
 * - lexical: the candidate's BM25F-style similarity to the question (AnswerIndex.rank), its lead
 *   over the best other principle, whether it is the lexical best;
 * - the term bank vote: the share of the question's nearest labelled examples (TF-IDF cosine
 *   over thesaurus-folded terms) carrying the candidate, its lead, the nearest such example's
 *   similarity, the share of "no principle" examples, the nearest example's similarity;
 * - the meaning vote: the same over word-vector sentence similarity (src/fill/vectors.ts);
 * - the question's word-vector similarity to the principle's own text (and its gap to the best);
 * - whether the three methods' best choices agree, and the off-topic gate.
 * The weights are trained by scripts/train-fill-confidence.js over the team's labelled sets
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

function leadOver(share: Map<string, number>, c: string): number {
  let other = 0;
  for (const [l, x] of share) if (l !== c && l !== 'none') other = Math.max(other, x);
  return (share.get(c) ?? 0) - other;
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
      ],
    });
  }
  return out;
}

/** A trained model as shipped (src/catalogue/data/<catalogue>-confidence.json). */
export interface ConfidenceModel {
  format: 1;
  features: string[];
  /** Standardisation: (x - mean) / sd per feature. */
  mean: number[];
  sd: number[];
  weights: number[];
  bias: number;
  /** The default confidence needed to answer. */
  threshold: number;
  /** How it was trained and what it scored (for people; not read). */
  trained?: unknown;
}

export function probability(m: ConfidenceModel, x: number[]): number {
  let s = m.bias;
  for (let j = 0; j < x.length; j++) s += (m.weights[j] * (x[j] - m.mean[j])) / m.sd[j];
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

/**
 * Trains the model: logistic regression on standardised features, L2-regularised, full-batch
 * gradient descent from zero (deterministic). `y[n]` is 1 when candidate n is a right answer.
 */
export function train(
  X: number[][],
  y: number[],
  o: { l2?: number; iterations?: number; rate?: number } = {},
): Omit<ConfidenceModel, 'threshold'> {
  const l2 = o.l2 ?? 1e-3;
  const d = FEATURES.length;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const x of X) for (let j = 0; j < d; j++) mean[j] += x[j] / X.length;
  for (const x of X) for (let j = 0; j < d; j++) sd[j] += (x[j] - mean[j]) ** 2 / X.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const Z = X.map((x) => x.map((v, j) => (v - mean[j]) / sd[j]));
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < (o.iterations ?? 400); it++) {
    const g = new Array<number>(d + 1).fill(0);
    for (let n = 0; n < Z.length; n++) {
      let s = w[d];
      for (let j = 0; j < d; j++) s += w[j] * Z[n][j];
      const e = 1 / (1 + Math.exp(-s)) - y[n];
      for (let j = 0; j < d; j++) g[j] += e * Z[n][j];
      g[d] += e;
    }
    for (let j = 0; j <= d; j++)
      w[j] -= (o.rate ?? 0.5) * (g[j] / Z.length + (j < d ? l2 * w[j] : 0));
  }
  return { format: 1, features: [...FEATURES], mean, sd, weights: w.slice(0, d), bias: w[d] };
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
  const ok =
    m.format === 1 &&
    m.features?.join() === FEATURES.join() &&
    [m.mean, m.sd, m.weights].every((a) => Array.isArray(a) && a.length === d) &&
    [...m.mean!, ...m.sd!, ...m.weights!, m.bias, m.threshold].every(Number.isFinite);
  if (!ok) throw unusable(file);
  return m as ConfidenceModel;
}
