import { readAnswers } from '../answers/read';
import { tierResponsibility } from '../answers/parse';
import type { Answer } from '../answers/schema';
import { CheckError, UsageError } from '../errors';
import type { Choice } from './prompts';
import {
  askAnswer,
  bumpVersion,
  EditSession,
  itemHeading,
  oneYearOn,
  today,
  wrap,
  writeAnswer,
  type FlowDeps,
} from './common';

/** The yearly review: keep / edit / remove each answer, then bump the version and dates. */

export interface ReviewOptions {
  file: string;
  shown: string;
  /** Keep every answer and bump without asking. */
  yes?: boolean;
  major?: boolean;
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

export async function runReview(o: ReviewOptions): Promise<ReviewResult> {
  const { prompts: p } = o.deps;
  const s = new EditSession(o.file, o.shown, '', o.deps.onSave);
  const parsed = readAnswers(o.file, s.editor.text);
  if (!parsed.value) {
    throw new CheckError(
      `${o.shown}: ${parsed.errors.length} error(s); fix them (srq validate ${o.shown}) before the review`,
      parsed.errors,
    );
  }
  const { answers: a, catalogue: cat } = parsed.value;
  const order = cat.items.map((i) => i.id);
  const edited: string[] = [];
  const removed: string[] = [];
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

  if (!o.yes) {
    const ids = order.filter((id) => a.answers[id]);
    let n = 0;
    for (const id of ids) {
      n++;
      const item = cat.byId.get(id)!;
      const current = (s.editor.get(['answers', id]) as Answer | undefined) ?? a.answers[id];
      p.say(
        `\n── Answer ${n} of ${ids.length} ──\n${itemHeading(item, item.parent ? cat.byId.get(item.parent)!.title : undefined)}\n${describe(current, a.tiers)}`,
      );
      const act = await p.select<'keep' | 'edit' | 'remove'>({
        message: 'Keep, edit or remove this answer?',
        choices: [
          { name: 'Keep', value: 'keep' },
          {
            name: 'Edit',
            value: 'edit',
            description: 'every question starts from the current answer',
          },
          { name: 'Remove', value: 'remove', description: 'the principle becomes unanswered' },
        ],
        default: 'keep',
      });
      if (act === 'edit') {
        const next = await askAnswer(p, {
          item,
          providerName: a.provider.name,
          tiers: a.tiers,
          evidence: a.evidence ?? [],
          existing: current,
        });
        writeAnswer(s.editor, id, next, order);
        if (JSON.stringify(s.editor.get(['answers', id])) !== JSON.stringify(current))
          edited.push(id);
        s.save(`answers.${id}`);
      } else if (act === 'remove') {
        if (await p.confirm({ message: `Remove the answer to ${id}?`, default: false })) {
          s.editor.delete(['answers', id]);
          removed.push(id);
          s.save(`removed ${id}`);
        }
      }
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
          validate: (v) =>
            v.trim() && v.trim() !== from ? true : `Give a version other than ${from}`,
        })
      ).trim();
    } else {
      kind = pick as 'major' | 'minor';
      to = bumped[kind]!;
    }
  }
  const issued = today(o.deps.now());
  const review = oneYearOn(issued);
  const generated = defaultSummary(to, edited, removed);
  const summary = o.yes
    ? generated
    : (
        await p.input({
          message: `Summary of this review for the version history (entry for ${from}):`,
          default: generated,
          required: true,
        })
      ).trim();

  s.editor.prepend(['document', 'history'], { version: from, issued: a.document.issued, summary });
  s.editor.set(['document', 'version'], to);
  s.editor.set(['document', 'issued'], issued);
  s.editor.set(['document', 'review'], review);
  s.save('document');

  const expiring = (a.evidence ?? [])
    .filter((e) => e.expires && e.expires < review)
    .map((e) => ({ id: e.id, name: e.name, expires: e.expires! }));
  return { from, to, issued, review, edited, removed, summary, expiring };
}

function list(ids: string[]): string {
  return ids.length <= 1
    ? ids.join('')
    : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

/** "Replaced by 3.1 at the yearly review: edited 1 and 5.2; removed 7." */
export function defaultSummary(to: string, edited: string[], removed: string[]): string {
  const parts: string[] = [];
  if (edited.length)
    parts.push(`edited ${edited.length === 1 ? 'principle' : 'principles'} ${list(edited)}`);
  if (removed.length)
    parts.push(`removed the ${removed.length === 1 ? 'answer' : 'answers'} to ${list(removed)}`);
  return `Replaced by ${to} at the yearly review: ${parts.length ? parts.join('; ') : 'answers reviewed, no changes'}.`;
}

function describe(a: Answer, tiers: { id: string; name: string }[]): string {
  const lines = [wrap(a.provider)];
  if (a.summary) lines.push(`  Summary: ${a.summary}`);
  if (a.assurance) lines.push(`  Assurance: ${a.assurance}`);
  if (a.evidence?.length) lines.push(`  Evidence: ${a.evidence.join(', ')}`);
  for (const t of tiers) {
    const ta = a.tiers[t.id];
    if (!ta) continue;
    const { responsibility, customer } = tierResponsibility(ta);
    lines.push(`  ${t.name}: ${responsibility}${customer ? ` — customer: ${customer}` : ''}`);
  }
  return lines.join('\n');
}
