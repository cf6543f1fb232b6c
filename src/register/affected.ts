import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { looksLikeCustomerFile, type ParsedAnswers } from '../answers/parse';
import { readAnswers } from '../answers/read';
import { diffModels, renderChangesMarkdown, type Diff, type ItemChange } from '../diff';
import { itemChangeText, isContentChange } from '../diff/changes';
import { readAtRevision } from '../diff/load';
import { resolveModel } from '../model/resolve';
import type { Model } from '../model/types';
import { applyAudience, parseAudience } from '../model/audience';
import { entryPath, readRegister, sha256, type RegisterEntry } from './index';

/**
 * What every issued document promised (issue 18): for each document in the register, the answers
 * it was built from — the copy kept beside the register (`answers/<sha256>.yaml`), else the
 * answers file itself while it is unchanged, else the commit in the file's git history whose
 * text has the recorded SHA-256 — compared with a later version of the file by the same diff
 * engine `build --changes-since` uses.
 */

export interface BuiltAnswers {
  text: string;
  /** Where the text came from. */
  source: 'copy' | 'file' | 'git';
  /** The commit, for `git`. */
  rev?: string;
}

/** Commits touching `file`, newest first; empty outside git. */
function commitsOf(file: string): string[] {
  try {
    const out = execFileSync('git', ['log', '--format=%H', '--', path.basename(file)], {
      cwd: path.dirname(file),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 16 * 1024 * 1024,
    });
    return out.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The exact answers text a register entry was built from, or undefined when none is found. */
export function builtAnswers(registerFile: string, e: RegisterEntry): BuiltAnswers | undefined {
  const matches = (t: string | Buffer) => sha256(t) === e.answersSha256;
  if (e.answersCopy) {
    const copy = entryPath(registerFile, e.answersCopy);
    try {
      const buf = fs.readFileSync(copy);
      if (matches(buf)) return { text: buf.toString('utf8'), source: 'copy' };
    } catch {
      // removed or unreadable: look further
    }
  }
  const file = entryPath(registerFile, e.answersFile);
  try {
    const buf = fs.readFileSync(file);
    if (matches(buf)) return { text: buf.toString('utf8'), source: 'file' };
  } catch {
    // gone: git may still have it
  }
  for (const rev of commitsOf(file)) {
    let text: string;
    try {
      text = readAtRevision(file, rev);
    } catch {
      continue;
    }
    if (matches(text)) return { text, source: 'git', rev };
  }
  return undefined;
}

/** The model of a provider document as it was built (its tiers and audience); undefined when not recoverable. */
export function builtModel(
  registerFile: string,
  e: RegisterEntry,
): { model: Model; parsed: ParsedAnswers; built: BuiltAnswers } | undefined {
  const built = builtAnswers(registerFile, e);
  if (!built || looksLikeCustomerFile(built.text)) return undefined;
  const file = entryPath(registerFile, e.answersFile);
  const res = readAnswers(file, built.text);
  if (!res.value) return undefined;
  const ids = new Set(res.value.answers.tiers.map((t) => t.id));
  const tiers = e.tiers.filter((t) => ids.has(t));
  const model = audienceOf(resolveModel(res.value, { tiers, sourceFile: file }), e);
  return { model, parsed: res.value, built };
}

function audienceOf(model: Model, e: RegisterEntry): Model {
  const audience = parseAudience(e.audience);
  return audience ? applyAudience(model, audience) : model;
}

export interface AffectedDocument {
  entry: RegisterEntry;
  /** Where the answers as built were found. */
  source: BuiltAnswers['source'];
  rev?: string;
  /** The comparison of the answers as built with the later version, narrowed to the document. */
  diff: Diff;
  /** Answers the document contained that have changed (content, not owner or approval). */
  changed: ItemChange[];
  /** One line per changed answer: "1 Data in transit protection: Statement revised." */
  lines: string[];
}

export interface AffectedReport {
  /** Documents of this answers file whose answers changed since they were built. */
  affected: AffectedDocument[];
  /** Documents of this file that say what the file says now. */
  unchanged: RegisterEntry[];
  /** Documents whose answers as built could not be found (no copy, file changed, no git). */
  unknown: RegisterEntry[];
}

/**
 * Every document built from `answersFile` whose content included an answer that differs in
 * `current` (the file as it is now, or at a revision), with what changed per document.
 */
export function affectedDocuments(o: {
  registerFile: string;
  answersFile: string;
  current: ParsedAnswers;
}): AffectedReport {
  const abs = path.resolve(o.answersFile);
  const entries = readRegister(o.registerFile).entries.filter(
    (e) => entryPath(o.registerFile, e.answersFile) === abs,
  );
  const report: AffectedReport = { affected: [], unchanged: [], unknown: [] };
  const currentTiers = new Set(o.current.answers.tiers.map((t) => t.id));
  for (const e of entries) {
    const then = builtModel(o.registerFile, e);
    if (!then) {
      report.unknown.push(e);
      continue;
    }
    const tiers = then.model.tiers.map((t) => t.id).filter((t) => currentTiers.has(t));
    const now = audienceOf(resolveModel(o.current, { tiers, sourceFile: abs }), e);
    const diff = diffModels(then.model, now, { tiers: then.model.tiers.map((t) => t.id) });
    const inDocument = new Set(
      e.items ?? then.model.items.filter((i) => i.answered).map((i) => i.id),
    );
    const changed = diff.items.filter(
      (i) => i.kind !== 'added' && inDocument.has(i.id) && isContentChange(i),
    );
    if (!changed.length) {
      report.unchanged.push(e);
      continue;
    }
    report.affected.push({
      entry: e,
      source: then.built.source,
      ...(then.built.rev ? { rev: then.built.rev } : {}),
      diff,
      changed,
      lines: changed.map((i) => `${i.id} ${i.title}: ${itemChangeText(i)}`),
    });
  }
  return report;
}

/** One Markdown change notice per buyer (their latest affected document), keyed by buyer. */
export function changeNotices(report: AffectedReport): { buyer: string; markdown: string }[] {
  const latest = new Map<string, AffectedDocument>();
  for (const a of report.affected) {
    const key = a.entry.buyer ?? '';
    const prev = latest.get(key);
    if (!prev || prev.entry.time <= a.entry.time) latest.set(key, a);
  }
  return [...latest.entries()].map(([buyer, a]) => {
    const e = a.entry;
    const who = buyer ? `Change notice for ${buyer}` : 'Change notice';
    const ref = e.reference ? ` (reference ${e.reference})` : '';
    const head = [
      `# ${who}`,
      '',
      `The document we issued on ${e.time.slice(0, 10)}${ref}, version ${e.version}, contained answers that have changed since. This notice lists them.`,
      '',
    ];
    const body = renderChangesMarkdown(
      { ...a.diff, items: a.changed },
      { sinceVersion: a.diff.old.version },
    );
    return { buyer, markdown: `${head.join('\n')}\n${body}` };
  });
}
