import type { Choice as AnswerChoice, LibraryEntry } from '../answers/schema';
import { CHOICES } from '../answers/schema';
import { slug } from '../text/slug';
import { EditSession } from '../interview/common';
import type { Prompts } from '../interview/prompts';
import type { ModelTier } from '../model/types';
import { composeAnswer } from './compose';
import { REVIEW_BELOW, type FillPlan, type PlannedQuestion } from './index';
import type { Answerable } from './match';

/**
 * `srq fill --review`: walks the questions left blank or matched with a low score. For each:
 * accept the suggestion, pick another principle or library entry, write a new library entry
 * (saved into the answers file at once, with the interview's atomic, comment-keeping save, so
 * the next fill answers it by itself), leave it blank for good, or skip.
 */

export interface ReviewDeps {
  prompts: Prompts;
  answersFile: string;
  answersShown: string;
  tier: ModelTier;
  onSave?: (what: string) => void;
}

type Action = 'accept' | 'suggestion' | 'pick' | 'new' | 'decline' | 'skip' | 'stop';

function needsReview(q: PlannedQuestion): boolean {
  const d = q.decision;
  if (d.declined) return false;
  if (!d.target) return true;
  return d.how === 'similarity' && (d.score ?? 0) < REVIEW_BELOW;
}

const preview = (s: string) => (s.length > 400 ? `${s.slice(0, 399)}…` : s);

export async function reviewFill(
  plan: FillPlan,
  deps: ReviewDeps,
): Promise<{ reviewed: number; added: string[] }> {
  const { prompts } = deps;
  const todo = plan.questions.filter(needsReview);
  const added: string[] = [];
  let reviewed = 0;
  if (!todo.length) {
    prompts.say('Nothing to review: every question has a confident answer.');
    return { reviewed, added };
  }
  prompts.say(`${todo.length} question(s) to review (blank, or matched with a low score).`);
  let session: EditSession | undefined;
  for (const [i, q] of todo.entries()) {
    const d = q.decision;
    prompts.say(
      `\n[${i + 1}/${todo.length}] ${q.sheet} ${q.rowLabel}${q.reference ? ` [${q.reference}]` : ''}\n${q.text}`,
    );
    if (d.target) {
      prompts.say(
        `Suggested: ${d.target.label} (similarity ${d.score?.toFixed(2)})\n${preview(composeAnswer(d.target, plan.targets, { tier: deps.tier, limits: q.mapping }).text)}`,
      );
    } else prompts.say(`No answer chosen: ${d.reason ?? ''}`);
    const choices: { name: string; value: Action }[] = [];
    if (d.target) choices.push({ name: `Accept ${d.target.label}`, value: 'accept' });
    else if (d.suggestion)
      choices.push({ name: `Use the closest: ${d.suggestion.label}`, value: 'suggestion' });
    choices.push(
      { name: 'Pick another principle or library entry', value: 'pick' },
      { name: 'Write a new library entry for this question', value: 'new' },
      { name: 'Leave it blank (and remember that)', value: 'decline' },
      { name: 'Skip for now', value: 'skip' },
      { name: 'Stop reviewing (write the file with what is decided)', value: 'stop' },
    );
    const action = await prompts.select<Action>({
      message: 'What should this question get?',
      choices,
    });
    if (action === 'stop') break;
    reviewed++;
    if (action === 'skip') continue;
    if (action === 'accept') q.decision = { target: d.target!, how: 'review' };
    else if (action === 'suggestion') q.decision = { target: d.suggestion!, how: 'review' };
    else if (action === 'decline')
      q.decision = { declined: true, reason: 'left blank in --review' };
    else if (action === 'pick') {
      const target = await prompts.search<Answerable>({
        message: 'Answer it from (type to filter):',
        choices: plan.targets.all.map((t) => ({ name: t.label, value: t })),
      });
      q.decision = { target, how: 'review' };
    } else {
      session ??= new EditSession(deps.answersFile, deps.answersShown, {
        header: '',
        onSave: deps.onSave,
      });
      const taken = new Set(plan.targets.library.keys());
      const base = slug(q.text).split('-').slice(0, 5).join('-') || 'answer';
      const id = await prompts.input({
        message: 'Library id for this answer:',
        default: taken.has(base) ? `${base}-2` : base,
        required: true,
        validate: (v) =>
          !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v)
            ? 'letters, digits, dot, dash and underscore, e.g. cyber-insurance'
            : taken.has(v)
              ? `'${v}' is taken; choose another id`
              : true,
      });
      const answer = (
        await prompts.text({ message: 'The answer (Markdown):', required: true })
      ).trim();
      const choice = await prompts.select<AnswerChoice | ''>({
        message: 'For a Yes/No dropdown beside it, the value is:',
        choices: [{ name: '(none)', value: '' }, ...CHOICES.map((c) => ({ name: c, value: c }))],
      });
      const entry: LibraryEntry = {
        id,
        questions: [q.text],
        answer,
        ...(choice ? { choice } : {}),
      };
      session.editor.prepend(['library'], entry);
      session.save(`library.${id}`);
      prompts.say(`Saved library entry '${id}' in ${deps.answersShown}.`);
      plan.targets.library.set(id, entry);
      const target: Answerable = {
        kind: 'library',
        id,
        label: `library ${id}`,
        fields: [],
        also: [],
      };
      plan.targets.all.push(target);
      q.decision = { target, how: 'review' };
      added.push(id);
    }
  }
  return { reviewed, added };
}
