import type { QuestionBank } from './bank';
import { candidates, mostLikely, type ConfidenceModel, type Signals } from './confidence';
import { hasSecurityTerm, isOffTopic, normaliseQuestion, terms, termsOfMany } from './text';
import { dot, wordVectors } from './vectors';

/**
 * Finds the answer for a buyer's question, deterministically and offline, in this order:
 * (a) an explicit cross-reference (`also:` ids) matching the question's reference, (b) the
 * answer remembered for the same question (the mapping file), (c) lexical similarity: BM25F
 * over each answer's fields with the field's synonyms, and, when the index has an example-question
 * bank (src/fill/bank.ts), the votes of the question's nearest labelled examples beside it.
 * Below the threshold nothing is chosen.
 */

/** A principle answer or a library entry, as the matcher sees it. */
export interface Answerable {
  /** 'principle 2.3' → kind 'principle', id '2.3'. */
  kind: 'principle' | 'library';
  id: string;
  /** Shown in the report: "2.3 Data encryption", "library cyber-insurance". */
  label: string;
  /** Weighted text fields. */
  fields: { text: string; weight: number }[];
  /** External ids (`also:`), as written. */
  also: string[];
}

export type MatchHow = 'reference' | 'remembered' | 'similarity' | 'confidence';

export interface Match {
  target: Answerable;
  how: MatchHow;
  /**
   * How = 'similarity': with a confidence model, the probability (0..1) that the principle is
   * the right answer; without one (or for a library entry), the similarity score, 0 to about 1.
   */
  score?: number;
  /** The score is the confidence model's probability. */
  confidence?: boolean;
  /** The runner-up, for the report. */
  second?: { target: Answerable; score: number };
}

export interface MatchOptions {
  /** A similarity below this is no match. */
  threshold: number;
  /**
   * The best must lead the runner-up by this much (and the runner-up score at most
   * RUNNER_UP_RATIO of the best), or the question is ambiguous and left blank.
   */
  margin?: number;
  /** Namespaces whose bare references ("4.2") count: the buyer's own (`buyer-acme`). */
  namespaces: string[];
  /** Normalised question text → 'principle:2.3' | 'library:id' | 'blank'. */
  remembered: Record<string, string>;
  /** With a confidence model: the probability needed to answer (default: the model's). */
  confidence?: number;
}

export const DEFAULT_THRESHOLD = 0.2;
export const DEFAULT_MARGIN = 0.05;
/** ... and the runner-up must score at most this fraction of the best. */
export const RUNNER_UP_RATIO = 0.75;
/**
 * ... or at most this fraction when only one of the question's words points at the best
 * answer (its largest share is there): an answer that rests on a single word needs a clearer
 * lead, because one word taken the wrong way ("locations", "third-party", "alert") is how new
 * wording goes wrong. Calibrated on the evaluation sets as they were first run (before any
 * tuning for them): it halves their wrong answers for about two points of right ones.
 */
export const SINGLE_EVIDENCE_RATIO = 0.6;

/**
 * With an example-question bank: a principle's score is LEXICAL_WEIGHT x its lexical score plus
 * the rest x its neighbours' vote (the share of the BANK_K nearest examples' weight, sim^2, that
 * carries its label, scaled down when even the nearest example is less similar than
 * BANK_FULL_SIM); "no principle" scores its own vote in full, so a question like known
 * off-topic ones stays blank. The best must lead the runner-up (or "no principle") by
 * BANK_MARGIN. Chosen by leave-one-set-out cross-validation over the labelled sets
 * (bench/fill-cv.js; figures in test/fill/crossval.test.ts), for wrong answers first.
 */
export const LEXICAL_WEIGHT = 0.7;
export const BANK_K = 5;
export const BANK_FULL_SIM = 0.3;
export const BANK_MARGIN = 0.12;

const K1 = 1.2;
const B = 0.6;
/**
 * Each term's weight is smoothed by this much (in field-weight units) spread evenly over all
 * targets: a word found once in one long statement then points nowhere in particular, while a
 * term in a title, the thesaurus vocabulary and the statement points firmly at its target.
 */
const SMOOTH = 2;

/** A target's similarity to a question, and how many of the question's terms point at it. */
export interface Ranked {
  target: Answerable;
  score: number;
  /** The question's terms whose largest share is this target's. */
  support: number;
}

interface Doc {
  target: Answerable;
  /** Per field: term frequencies and length. */
  fields: { tf: Map<string, number>; len: number; weight: number; slot: number }[];
}

export class AnswerIndex {
  private readonly docs: Doc[];
  /** Per term: its weight in each target (by target index), and the sum. */
  private readonly mass = new Map<string, number[]>();
  private readonly massSum = new Map<string, number>();
  private readonly avgLen: number[] = [];
  private readonly byKey: Map<string, Answerable>;

  constructor(
    readonly targets: Answerable[],
    /** Labelled example questions whose nearest neighbours vote (see matchQuestion). */
    readonly bank?: QuestionBank,
    /** With a bank: the model that turns the signals into a confidence (src/fill/confidence.ts). */
    readonly confidence?: ConfidenceModel,
  ) {
    this.byKey = new Map(targets.map((t) => [`${t.kind}:${t.id}`, t]));
    const fieldTerms = termsOfMany(targets.flatMap((t) => t.fields.map((f) => f.text)));
    let next = 0;
    this.docs = targets.map((target) => ({
      target,
      fields: target.fields.map((f, slot) => {
        const ts = fieldTerms[next++];
        const tf = new Map<string, number>();
        for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
        return { tf, len: ts.length, weight: f.weight, slot };
      }),
    }));
    const slots = Math.max(0, ...targets.map((t) => t.fields.length));
    for (let s = 0; s < slots; s++) {
      const lens = this.docs.map((d) => d.fields[s]?.len ?? 0).filter((n) => n > 0);
      this.avgLen[s] = lens.length ? lens.reduce((a, b) => a + b, 0) / lens.length : 1;
    }
    this.docs.forEach((d, i) => {
      for (const f of d.fields) {
        if (!f.weight) continue;
        for (const [t, k] of f.tf) {
          const norm = k / (1 - B + (B * f.len) / this.avgLen[f.slot]);
          const w = (f.weight * norm) / (K1 + norm);
          let m = this.mass.get(t);
          if (!m) this.mass.set(t, (m = []));
          m[i] = (m[i] ?? 0) + w;
          this.massSum.set(t, (this.massSum.get(t) ?? 0) + w);
        }
      }
    });
  }

  get(key: string): Answerable | undefined {
    return this.byKey.get(key);
  }

  /**
   * Scores every target against the question. Each question term is evidence for the targets
   * that carry it, in proportion to how much of the term's weight (field weight x saturated,
   * length-normalised frequency) each target holds, smoothed towards "any target" so that a word
   * seen once in one long statement says little. A term counts by how concentrated it is (a term
   * every answer uses says nothing), and the score is the concentration-weighted mean of the
   * target's share: 0..1, comparable between questions; 1 = every telling term is only there.
   */
  rank(question: string, only?: (t: Answerable) => boolean): Ranked[] {
    const q = [...new Set(terms(question))].filter((t) => this.mass.has(t));
    if (!q.length) return [];
    const n = this.docs.length;
    let total = 0;
    const scores = new Array<number>(n).fill(0);
    const support = new Array<number>(n).fill(0);
    for (const t of q) {
      const m = this.mass.get(t)!;
      const sum = this.massSum.get(t)!;
      const share = (i: number) => ((m[i] ?? 0) + SMOOTH / n) / (sum + SMOOTH);
      let peak = 0;
      let at = -1;
      for (let i = 0; i < n; i++) {
        const s = share(i);
        if (s > peak) [peak, at] = [s, i];
      }
      const info = peak - 1 / n;
      if (info <= 0) continue;
      total += info;
      support[at]++;
      for (let i = 0; i < n; i++) scores[i] += info * share(i);
    }
    if (!total) return [];
    const out: Ranked[] = [];
    this.docs.forEach((d, i) => {
      if (only && !only(d.target)) return;
      if (scores[i] > 0)
        out.push({ target: d.target, score: scores[i] / total, support: support[i] });
    });
    return out.sort((a, b) => b.score - a.score || a.target.label.localeCompare(b.target.label));
  }
}

/** "IAM-02.1" and "iam 02.1" are one reference. */
function normRef(s: string): string {
  return s
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^ref\.?:?/, '');
}

export function matchByReference(
  index: AnswerIndex,
  reference: string,
  namespaces: string[],
): Answerable | 'ambiguous' | undefined {
  const ref = normRef(reference);
  if (!ref) return undefined;
  const hits = new Set<Answerable>();
  for (const t of index.targets) {
    for (const ext of t.also) {
      const colon = ext.indexOf(':');
      const ns = ext.slice(0, colon).toLowerCase();
      const local = normRef(ext.slice(colon + 1));
      if (normRef(ext) === ref) hits.add(t);
      // A bare number ("4.2") is only the buyer's own numbering; an id with letters (IAM-02.1,
      // A.8.8) is distinctive enough in any namespace.
      else if (local === ref && (namespaces.includes(ns) || /[a-z]/.test(local))) hits.add(t);
    }
  }
  if (hits.size > 1) return 'ambiguous';
  return [...hits][0];
}

export interface QuestionInput {
  text: string;
  reference?: string;
}

export type MatchResult =
  | { kind: 'match'; match: Match }
  | { kind: 'none'; reason: string; best?: { target: Answerable; score: number } }
  | { kind: 'declined' };

export function matchQuestion(index: AnswerIndex, q: QuestionInput, o: MatchOptions): MatchResult {
  if (q.reference) {
    const hit = matchByReference(index, q.reference, o.namespaces);
    if (hit && hit !== 'ambiguous')
      return { kind: 'match', match: { target: hit, how: 'reference' } };
  }
  const key = normaliseQuestion(q.text);
  const remembered = o.remembered[key];
  if (remembered === 'blank') return { kind: 'declined' };
  if (remembered) {
    const t = index.get(remembered);
    if (t) return { kind: 'match', match: { target: t, how: 'remembered' } };
  }
  const business = isOffTopic(q.text);
  const offTopic = business || !hasSecurityTerm(q.text);
  if (index.bank && index.confidence)
    return matchWithConfidence(index, { question: q.text, offTopic, business }, o);
  if (index.bank && !offTopic) return matchWithBank(index, q.text, o);
  const ranked = index.rank(q.text, offTopic ? (t) => t.kind === 'library' : undefined);
  const [best, second] = ranked;
  if (!best) {
    return {
      kind: 'none',
      reason: business
        ? 'not about the service (only the library answers this)'
        : offTopic
          ? 'no security term: not about the service (only the library answers this)'
          : 'no answer shares its words',
    };
  }
  if (best.score < o.threshold) {
    return {
      kind: 'none',
      reason: `best similarity ${best.score.toFixed(2)} is below the threshold ${o.threshold}`,
      best,
    };
  }
  const margin = o.margin ?? DEFAULT_MARGIN;
  const ratio = best.support <= 1 ? SINGLE_EVIDENCE_RATIO : RUNNER_UP_RATIO;
  if (second && (best.score - second.score < margin || second.score > best.score * ratio)) {
    return {
      kind: 'none',
      reason: `ambiguous: ${best.target.label} (${best.score.toFixed(2)}) and ${second.target.label} (${second.score.toFixed(2)}) fit about as well`,
      best,
    };
  }
  return {
    kind: 'match',
    match: {
      target: best.target,
      how: 'similarity',
      score: best.score,
      ...(second ? { second } : {}),
    },
  };
}

/** The neighbours' vote: label ('none' for off-topic examples) → share of the weight, 0..1. */
function bankVote(
  bank: QuestionBank,
  question: string,
): { vote: Map<string, number>; near: string } {
  const nn = bank.neighbours(terms(question), BANK_K);
  const vote = new Map<string, number>();
  let total = 0;
  for (const { entry, sim } of nn) {
    const w = sim * sim;
    total += w;
    const labels = entry.answer.length ? entry.answer : ['none'];
    for (const l of labels) vote.set(l, (vote.get(l) ?? 0) + w / labels.length);
  }
  const scale = total ? Math.min(1, nn[0].sim / BANK_FULL_SIM) / total : 0;
  for (const [l, v] of vote) vote.set(l, v * scale);
  const near = nn.length ? `"${nn[0].entry.q}" (${nn[0].sim.toFixed(2)})` : 'none';
  return { vote, near };
}

function matchWithBank(index: AnswerIndex, question: string, o: MatchOptions): MatchResult {
  const ranked = index.rank(question);
  const { vote, near } = bankVote(index.bank!, question);
  const scored: Ranked[] = [];
  const seen = new Set<string>();
  for (const r of ranked) {
    seen.add(r.target.id);
    // A library entry's question wordings are its own examples: its lexical score stands.
    const score =
      r.target.kind === 'library'
        ? r.score
        : LEXICAL_WEIGHT * r.score + (1 - LEXICAL_WEIGHT) * (vote.get(r.target.id) ?? 0);
    scored.push({ ...r, score });
  }
  for (const [id, v] of vote) {
    const t = index.get(`principle:${id}`);
    if (t && !seen.has(id)) scored.push({ target: t, score: (1 - LEXICAL_WEIGHT) * v, support: 0 });
  }
  scored.sort((a, b) => b.score - a.score || a.target.label.localeCompare(b.target.label));
  const [best, second] = scored;
  const none = vote.get('none') ?? 0;
  if (!best) return { kind: 'none', reason: 'no answer shares its words' };
  if (none >= best.score) {
    return {
      kind: 'none',
      reason: `like questions no principle answers (nearest example ${near}; off-topic vote ${none.toFixed(2)} vs ${best.target.label} ${best.score.toFixed(2)})`,
      best,
    };
  }
  if (best.score < o.threshold) {
    return {
      kind: 'none',
      reason: `best similarity ${best.score.toFixed(2)} is below the threshold ${o.threshold}`,
      best,
    };
  }
  const rival = Math.max(second?.score ?? 0, none);
  if (best.score - rival < BANK_MARGIN) {
    const other = (second?.score ?? 0) >= none && second ? second.target.label : 'no principle';
    return {
      kind: 'none',
      reason: `ambiguous: ${best.target.label} (${best.score.toFixed(2)}) and ${other} (${rival.toFixed(2)}) fit about as well`,
      best,
    };
  }
  return {
    kind: 'match',
    match: {
      target: best.target,
      how: 'similarity',
      score: best.score,
      ...(second ? { second: { target: second.target, score: second.score } } : {}),
    },
  };
}

/** Term-bank and meaning neighbours looked up per question (VOTE_K of them vote). */
const TERM_NEIGHBOURS = 15;
const MEANING_NEIGHBOURS = 20;

const principleVectors = new WeakMap<AnswerIndex, Map<string, Float64Array>>();

/** Each principle's own text (title twice, requirement, buyer vocabulary) as a centred vector. */
function principleVectorsOf(index: AnswerIndex): Map<string, Float64Array> {
  let out = principleVectors.get(index);
  if (out) return out;
  out = new Map();
  for (const t of index.targets) {
    if (t.kind !== 'principle') continue;
    const f = t.fields.map((x) => x.text);
    const v = index.bank!.meaningOf([f[0], f[0], f[2], f[5]].join(' '));
    if (v) out.set(t.id, v);
  }
  principleVectors.set(index, out);
  return out;
}

/**
 * The signals the confidence model weighs for a question (index: one with a bank). Also used by
 * scripts/train-fill-confidence.js, so the model is trained on exactly what fill computes.
 */
export function confidenceSignals(
  index: AnswerIndex,
  question: string,
  o: { offTopic?: boolean; ranked?: Ranked[] } = {},
): Signals {
  const offTopic = o.offTopic ?? (isOffTopic(question) || !hasSecurityTerm(question));
  const bank = index.bank!;
  const qv = bank.meaningOf(question);
  const principle = new Map<string, number>();
  for (const [id, v] of principleVectorsOf(index)) principle.set(id, qv ? dot(qv, v) : 0);
  return {
    lexical: (o.ranked ?? index.rank(question))
      .filter((r) => r.target.kind === 'principle')
      .map((r) => ({ id: r.target.id, score: r.score })),
    terms: bank.neighbours(terms(question), TERM_NEIGHBOURS),
    meaning: qv ? bank.meaningNeighbours(qv, MEANING_NEIGHBOURS, wordVectors()) : [],
    principle,
    gate: offTopic,
  };
}

/**
 * With a bank and a confidence model: a library entry whose wording fits clearly answers as
 * before; otherwise the principle the model finds most likely right answers when its
 * probability reaches the confidence needed (src/fill/confidence.ts says what it weighs).
 */
function matchWithConfidence(
  index: AnswerIndex,
  { question, offTopic, business }: { question: string; offTopic: boolean; business: boolean },
  o: MatchOptions,
): MatchResult {
  const ranked = index.rank(question);
  const library = ranked.filter((r) => r.target.kind === 'library');
  const [lib, libSecond] = library;
  if (
    lib &&
    lib === ranked[0] &&
    lib.score >= o.threshold &&
    (!ranked[1] || lib.score - ranked[1].score >= (o.margin ?? DEFAULT_MARGIN))
  ) {
    return {
      kind: 'match',
      match: {
        target: lib.target,
        how: 'similarity',
        score: lib.score,
        ...(libSecond ? { second: { target: libSecond.target, score: libSecond.score } } : {}),
      },
    };
  }
  const best = mostLikely(
    index.confidence!,
    candidates(confidenceSignals(index, question, { offTopic, ranked })),
  );
  const target = best && index.get(`principle:${best.id}`);
  if (!best || !target) return { kind: 'none', reason: 'no answer shares its words or meaning' };
  const needed = o.confidence ?? index.confidence!.threshold;
  const secondTarget = best.second && index.get(`principle:${best.second.id}`);
  if (best.p < needed) {
    const unsure = `confidence ${best.p.toFixed(2)} that ${target.label} answers it, below the ${needed} needed`;
    return {
      kind: 'none',
      // A company or commercial question (insurance, pricing): say so first, as the lexical rule does.
      reason: business
        ? 'not about the service (only the library answers this)'
        : `not sure enough: ${unsure}`,
      ...(business ? {} : { best: { target, score: best.p } }),
    };
  }
  return {
    kind: 'match',
    match: {
      target,
      how: 'confidence',
      score: best.p,
      confidence: true,
      ...(secondTarget ? { second: { target: secondTarget, score: best.second!.p } } : {}),
    },
  };
}
