import { readAnswers } from '../answers/read';
import type { Answer } from '../answers/schema';
import { CheckError, UsageError } from '../errors';
import type { Choice } from './prompts';
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from '../fsx';
import { describeAnswer, editAnswer, writeAnswer } from './answer';
import {
  bumpVersion,
  compact,
  EditSession,
  itemHeading,
  oneYearOn,
  today,
  validDate,
  type FlowDeps,
} from './common';
import { validVersion } from './details';
import { defaultReviewer, recordSignOff } from './approval';

/** The yearly review: keep / edit / remove each answer, then bump the version and dates. */

export interface ReviewOptions {
  file: string;
  shown: string;
  /** Keep every answer and bump without asking. */
  yes?: boolean;
  major?: boolean;
  /** Who reviews (`--by`); asked at the start of an interactive review when not given. */
  reviewer?: string;
  deps: FlowDeps;
}

export interface ReviewResult {
  from: string;
  to: string;
  issued: string;
  review: string;
  edited: string[];
  removed: string[];
  summary: string;
  /** Evidence expiring before the new review date. */
  expiring: { id: string; name: string; expires: string }[];
}

/**
 * The review's progress beside the answers file (`<file>.review.json`): which answers are done
 * and what changed, so an interrupted review resumes where it stopped and its history entry
 * says what really changed. Removed when the review ends with the version bump.
 */
interface Progress {
  version: string;
  started: string;
  done: string[];
  edited: string[];
  removed: string[];
}

export function progressPath(file: string): string {
  return `${file}.review.json`;
}

function loadProgress(file: string, version: string, now: Date): Progress {
  const fresh: Progress = {
    version,
    started: now.toISOString(),
    done: [],
    edited: [],
    removed: [],
  };
  let text: string;
  try {
    text = fs.readFileSync(progressPath(file), 'utf8');
  } catch {
    return fresh;
  }
  try {
    const p = JSON.parse(text) as Partial<Progress>;
    const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
    if (p.version !== version) return fresh; // a review of another version: start again
    return {
      version,
      started: typeof p.started === 'string' ? p.started : fresh.started,
      done: ids(p.done),
      edited: ids(p.edited),
      removed: ids(p.removed),
    };
  } catch {
    return fresh;
  }
}

export async function runReview(o: ReviewOptions): Promise<ReviewResult> {
  const { prompts: p } = o.deps;
  const s = new EditSession(o.file, o.shown, { header: '', onSave: o.deps.onSave });
  const parsed = readAnswers(o.file, s.editor.text);
  if (!parsed.value) {
    throw new CheckError(
      `${o.shown}: ${parsed.errors.length} error(s); fix them (srq validate ${o.shown}) before the review`,
      parsed.errors,
    );
  }
  const { answers: a, catalogue: cat } = parsed.value;
  const order = cat.items.map((i) => i.id);
  const from = a.document.version;
  const bumped = {
    minor: bumpVersion(from, 'minor'),
    major: bumpVersion(from, 'major'),
  };
  if (o.yes && !bumped[o.major ? 'major' : 'minor']) {
    throw new UsageError(
      `${o.shown}: version "${from}" is not a number like 3.0, so it cannot be bumped automatically (run srq review without --yes, or set document.version by hand)`,
    );
  }
  const progress = loadProgress(o.file, from, o.deps.now());
  const { edited, removed } = progress;
  // NOTE: the progress file is read at the start and rewritten after each answer, on purpose.
  const saveProgress = () =>
    writeFileAtomic(progressPath(o.file), JSON.stringify(progress), { replacesInput: true });

  if (!o.yes) {
    const ids = order.filter((id) => a.answers[id] || removed.includes(id));
    if (progress.done.length) {
      p.say(
        `\nResuming the review of version ${from} started ${progress.started.slice(0, 10)}: ` +
          `${progress.done.length} of ${ids.length} answers already reviewed` +
          (edited.length ? `; edited ${list(edited)}` : '') +
          (removed.length ? `; removed ${list(removed)}` : '') +
          '.',
      );
    }
    const reviewer =
      o.reviewer?.trim() ||
      (
        await p.input({
          message: 'Your name (recorded as the reviewer of each answer you keep or edit):',
          ...(defaultReviewer(a) ? { default: defaultReviewer(a) } : {}),
          required: true,
        })
      ).trim();
    const day = today(o.deps.now());
    if (a.document.approval === 'required') {
      p.say(
        `\n${o.shown} needs every answer approved before the statement is signed: choose "Keep and approve" for each answer you approve.`,
      );
    }
    let n = 0;
    for (const id of ids) {
      n++;
      if (progress.done.includes(id)) continue;
      const item = cat.byId.get(id)!;
      const current = (s.editor.get(['answers', id]) as Answer | undefined) ?? a.answers[id];
      p.say(
        `\n── Answer ${n} of ${ids.length} ──\n${itemHeading(item, item.parent ? cat.byId.get(item.parent)!.title : undefined)}\n${describeAnswer(current, a.tiers)}`,
      );
      const act = await p.select<'keep' | 'approve' | 'edit' | 'remove'>({
        message: 'Keep, edit or remove this answer?',
        choices: [
          { name: 'Keep', value: 'keep', description: `recorded as reviewed by ${reviewer}` },
          {
            name: 'Keep and approve',
            value: 'approve',
            description: `reviewed and approved by ${reviewer} today`,
          },
          {
            name: 'Edit',
            value: 'edit',
            description: 'pick the part to change; each starts from the current text',
          },
          { name: 'Remove', value: 'remove', description: 'the principle becomes unanswered' },
        ],
        default: 'keep',
      });
      if (act === 'edit') {
        const context = {
          item,
          providerName: a.provider.name,
          tiers: a.tiers,
          evidence: a.evidence ?? [],
          existing: current,
        };
        await editAnswer(p, context, (next) => {
          writeAnswer(s.editor, id, { answer: next, order });
          s.save(`answers.${id}`);
          if (!edited.includes(id)) {
            edited.push(id);
            saveProgress();
          }
        });
        if (isDeepStrictEqual(s.editor.get(['answers', id]), current)) {
          // Changed and changed back: not an edit.
          const k = edited.indexOf(id);
          if (k >= 0) edited.splice(k, 1);
        }
        const approve = await p.confirm({
          message: `Approve this answer now, as ${reviewer}?`,
          default: false,
        });
        recordSignOff(s, { id, by: reviewer, on: day, approve });
        s.save(`answers.${id} reviewed`);
      } else if (act === 'keep' || act === 'approve') {
        recordSignOff(s, { id, by: reviewer, on: day, approve: act === 'approve' });
        s.save(`answers.${id} reviewed`);
      } else if (act === 'remove') {
        if (await p.confirm({ message: `Remove the answer to ${id}?`, default: false })) {
          s.editor.delete(['answers', id]);
          removed.push(id);
          s.save(`removed ${id}`);
        }
      }
      progress.done.push(id);
      saveProgress();
    }
  }

  let kind: 'major' | 'minor' = o.major ? 'major' : 'minor';
  let to: string;
  if (o.yes) {
    to = bumped[kind]!;
  } else {
    const choices: Choice<string>[] = (['minor', 'major'] as const)
      .filter((k) => bumped[k])
      .map((k) => ({ name: `${k}: ${from} → ${bumped[k]}`, value: k }));
    choices.push({ name: 'another version number…', value: 'other' });
    const pick = await p.select<string>({
      message: 'New version:',
      choices,
      default: bumped[kind] ? kind : 'other',
    });
    if (pick === 'other') {
      to = (
        await p.input({
          message: 'Version:',
          required: true,
          validate: (v) => {
            const ok = validVersion(v);
            if (ok !== true) return ok;
            return v.trim() !== from ? true : `Give a version other than ${from}`;
          },
        })
      ).trim();
    } else {
      kind = pick as 'major' | 'minor';
      to = bumped[kind]!;
    }
  }
  const issued = today(o.deps.now());
  const review = oneYearOn(issued);

  // Evidence that expires before the next review: renew it here (a new certificate's date).
  const renewed: string[] = [];
  let evidence = [...(a.evidence ?? [])];
  if (!o.yes) {
    for (const e of evidence.filter((x) => x.expires && x.expires < review)) {
      const date = (
        await p.input({
          message: `${e.name} (${e.id}) expires on ${e.expires}, before the next review ${review}. If it has been renewed, its new expiry date (Enter to leave it):`,
          validate: (v) => (!v.trim() ? true : validDate(v)),
        })
      ).trim();
      if (!date || date === e.expires) continue;
      evidence = evidence.map((x) => (x.id === e.id ? { ...x, expires: date } : x));
      s.editor.set(['evidence'], evidence);
      s.save(`evidence.${e.id}`);
      renewed.push(e.id);
    }
  }

  const generated = defaultSummary(to, { edited, removed, renewed });
  const summary = o.yes
    ? generated
    : (
        await p.input({
          message: `Summary of the changes in ${to}, for its row of the version history:`,
          default: generated,
          required: true,
          editable: true,
        })
      ).trim();

  // The old version's row keeps its own summary; this one's is the new version's.
  s.editor.prepend(
    ['document', 'history'],
    compact({ version: from, issued: a.document.issued, summary: a.document.changes }),
  );
  s.editor.set(['document', 'version'], to);
  s.editor.set(['document', 'issued'], issued);
  s.editor.set(['document', 'review'], review);
  s.editor.set(['document', 'changes'], summary);
  s.save('document');
  fs.rmSync(progressPath(o.file), { force: true });

  const expiring = evidence
    .filter((e) => e.expires && e.expires < review)
    .map((e) => ({ id: e.id, name: e.name, expires: e.expires! }));
  return { from, to, issued, review, edited, removed, summary, expiring };
}

function list(ids: string[]): string {
  return ids.length <= 1
    ? ids.join('')
    : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

/** "Yearly review for 3.1: edited principles 1 and 5.2; removed the answer to 7." */
export function defaultSummary(
  to: string,
  { edited, removed, renewed = [] }: { edited: string[]; removed: string[]; renewed?: string[] },
): string {
  const parts: string[] = [];
  if (edited.length)
    parts.push(`edited ${edited.length === 1 ? 'principle' : 'principles'} ${list(edited)}`);
  if (removed.length)
    parts.push(`removed the ${removed.length === 1 ? 'answer' : 'answers'} to ${list(removed)}`);
  if (renewed.length) parts.push(`renewed evidence ${list(renewed)}`);
  return `Yearly review for ${to}: ${parts.length ? parts.join('; ') : 'answers reviewed, no changes'}.`;
}
