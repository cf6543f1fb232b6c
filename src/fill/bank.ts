import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CATALOGUE_DIR, PACKAGE_ROOT } from '../paths';
import { normaliseQuestion, termsFingerprint, termsOfMany } from './text';

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

  /** `terms`: each entry's terms when worked out in advance (see bankFor). */
  constructor(
    readonly entries: BankEntry[],
    terms?: string[][],
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

  /** The k examples nearest to a question given as its terms, nearest first. */
  neighbours(questionTerms: string[], k: number): Neighbour[] {
    const q = new Map<string, number>();
    for (const t of questionTerms) if (this.df.has(t)) q.set(t, this.idf(t));
    if (!q.size) return [];
    const qn = Math.hypot(...q.values()) || 1;
    const dot = new Map<number, number>();
    for (const [t, w] of q)
      for (const i of this.postings.get(t) ?? [])
        dot.set(i, (dot.get(i) ?? 0) + w * this.vecs[i].w.get(t)!);
    return [...dot]
      .map(([i, d]) => ({ entry: this.vecs[i].entry, sim: d / (qn * this.vecs[i].norm) }))
      .sort((a, b) => b.sim - a.sim || a.entry.q.localeCompare(b.entry.q))
      .slice(0, k);
  }
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
        ? new QuestionBank(cache.entries, cache.terms)
        : new QuestionBank(parseBank(src.text));
  }
  loaded.set(framework, bank);
  return bank;
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
    const cache: BankCache = {
      fingerprint: src.fingerprint,
      entries: bank.entries,
      terms: bank.terms,
    };
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${m[1]}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(cache));
    fs.renameSync(`${file}.tmp`, file);
    out.push(file);
  }
  return out;
}
