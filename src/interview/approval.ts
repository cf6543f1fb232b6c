import { answerDigest, approvalOf } from '../answers/lifecycle';
import { AnswerSchema, type Answers } from '../answers/schema';
import type { LoadedCatalogue } from '../catalogue';
import { today, type EditSession } from './common';
import type { Prompts } from './prompts';

/**
 * Who reviewed an answer, and its approval, written by the interview and `srq review` into the
 * same fields `srq approve` writes (`reviewed: {by, on}`, `approved: {by, on, digest}`), the digest
 * sealing the answer as it is in the file now, so a later edit voids the approval.
 */
export function recordSignOff(
  s: EditSession,
  o: { id: string; by: string; on: string; approve: boolean },
): void {
  const at = ['answers', o.id];
  s.editor.set([...at, 'reviewed'], { by: o.by, on: o.on });
  if (o.approve) {
    const answer = AnswerSchema.parse(s.editor.get(at));
    s.editor.set([...at, 'approved'], approvalOf(answer, { by: o.by, on: o.on }));
  }
}

/** The name to offer as reviewer: whoever reviewed an answer last, else the signatory. */
export function defaultReviewer(a: {
  answers?: Record<string, Pick<Answers['answers'][string], 'reviewed' | 'approved'>>;
  signatory?: { name?: string };
}): string | undefined {
  let last: { by: string; on: string } | undefined;
  for (const ans of Object.values(a.answers ?? {})) {
    for (const r of [ans.reviewed, ans.approved]) {
      if (r && (!last || r.on > last.on)) last = r;
    }
  }
  return last?.by ?? a.signatory?.name;
}

/** Answered ids (in catalogue order) with no approval, or one the answer has changed since. */
export function awaitingApproval(
  order: string[],
  answers: Record<string, unknown>,
): { id: string; why: 'not approved' | 'changed since its approval' }[] {
  const out: { id: string; why: 'not approved' | 'changed since its approval' }[] = [];
  for (const id of order) {
    const parsed = AnswerSchema.safeParse(answers[id]);
    if (!parsed.success) continue;
    const { approved } = parsed.data;
    if (!approved) out.push({ id, why: 'not approved' });
    else if (approved.digest && approved.digest !== answerDigest(parsed.data))
      out.push({ id, why: 'changed since its approval' });
  }
  return out;
}

/**
 * "Approve answers…" in the interview: pick the answers to approve (all waiting ones are
 * ticked), give a name, and they are approved together in one atomic save.
 */
export async function approveMenu(o: {
  p: Prompts;
  s: EditSession;
  cat: LoadedCatalogue;
  now: () => Date;
}): Promise<void> {
  const { p, s } = o;
  const answers = (s.editor.get(['answers']) ?? {}) as Record<string, unknown>;
  const waiting = awaitingApproval(
    o.cat.items.map((i) => i.id),
    answers,
  );
  if (!waiting.length) {
    p.say('\n  Every answer is approved and current.');
    return;
  }
  const ids = await p.checkbox<string>({
    message: `Approve which answers? (${waiting.length} waiting; space to untick, Enter to approve)`,
    choices: waiting.map((w) => ({
      name: `${w.id} ${o.cat.byId.get(w.id)!.title} (${w.why})`,
      value: w.id,
      checked: true,
    })),
  });
  if (!ids.length) return;
  const suggested = defaultReviewer(s.editor.data() ?? {});
  const by = (
    await p.input({
      message: 'Approved by (your name):',
      ...(suggested ? { default: suggested } : {}),
      required: true,
    })
  ).trim();
  const on = today(o.now());
  for (const id of ids) recordSignOff(s, { id, by, on, approve: true });
  s.save(`approved ${ids.join(', ')}`);
  p.say(`  Approved ${ids.length} answer(s) as ${by} on ${on}: ${ids.join(', ')}.`);
}
