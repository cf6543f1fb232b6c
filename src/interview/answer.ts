import type { YamlEditor } from '../answers/edit';
import { tierResponsibility } from '../answers/parse';
import {
  ASSURANCE_LEVELS,
  RESPONSIBILITIES,
  type Answer,
  type AssuranceLevel,
  type Responsibility,
  type TierAnswer,
} from '../answers/schema';
import type { CatalogueItem } from '../catalogue';
import { ASSURANCE_HELP, compact, optional, RESPONSIBILITY_HELP, wrap } from './common';
import type { Choice, Prompts } from './prompts';

/**
 * One principle's answer: asked as a whole (a new answer), or changed part by part (an existing
 * one: "edit this field", each part starting from its old value), shown before either.
 */

export interface AnswerContext {
  item: CatalogueItem;
  providerName: string;
  tiers: { id: string; name: string }[];
  evidence: { id: string; name: string; expires?: string }[];
  existing?: Answer;
}

/**
 * Asks for one principle's answer: statement, summary, assurance, evidence and, per tier, the
 * responsibility and the customer's part. Every question starts from the existing answer.
 */
export async function askAnswer(p: Prompts, c: AnswerContext): Promise<Answer> {
  const ex = c.existing;
  const provider = await askStatement(p, c, ex?.provider);
  const summary = await askSummary(p, ex?.summary);
  const assurance = await askAssurance(p, ex?.assurance);
  const evidence = await askEvidenceRefs(p, c, ex?.evidence);
  const tiers: Record<string, TierAnswer> = {};
  let lastCustomer: string | undefined;
  for (const t of c.tiers) {
    const prev = ex?.tiers[t.id] ? tierResponsibility(ex.tiers[t.id]) : undefined;
    const responsibility = await askResponsibility(p, t, prev?.responsibility);
    if (responsibility === 'customer' || responsibility === 'shared') {
      const customer = await askCustomerPart(p, t, prev?.customer ?? lastCustomer);
      lastCustomer = customer;
      tiers[t.id] = { responsibility, customer };
    } else {
      tiers[t.id] = responsibility;
    }
  }
  return compact({ summary, provider, assurance, evidence, tiers });
}

/**
 * A part of an answer that can be changed on its own: `statement`, `summary`, `assurance`,
 * `evidence`, `responsibility:<tier>`, `customer:<tier>`, `all`, or `done`.
 */
type Part = string;

/**
 * Changes an existing answer part by part: shows it, asks which part to change (the statement,
 * the summary, one tier's customer text, ...), asks only that, starting from the old value, and
 * calls `save` after each change. Ends when the user picks "Done".
 */
export async function editAnswer(
  p: Prompts,
  c: AnswerContext & { existing: Answer },
  save: (answer: Answer) => void,
): Promise<Answer> {
  let a = c.existing;
  for (;;) {
    p.say(describeAnswer(a, c.tiers));
    const part = await p.select<Part>({
      message: 'Which part do you want to change?',
      choices: partChoices(a, c),
    });
    if (part === 'done') return a;
    a = await changePart(p, c, { answer: a, part });
    save(a);
  }
}

function partChoices(a: Answer, c: AnswerContext): Choice<Part>[] {
  const cut = (s: string) => {
    const one = s.replace(/\s+/g, ' ').trim();
    return one.length > 50 ? `${one.slice(0, 49)}…` : one;
  };
  const choices: Choice<Part>[] = [
    { name: 'Done: keep the answer as shown', value: 'done' },
    { name: `The statement: ${cut(a.provider)}`, value: 'statement' },
    { name: `Summary: ${a.summary ? cut(a.summary) : '(none)'}`, value: 'summary' },
    { name: `Assurance: ${a.assurance ?? 'not stated'}`, value: 'assurance' },
  ];
  if (c.evidence.length)
    choices.push({
      name: `Evidence: ${a.evidence?.length ? a.evidence.join(', ') : '(none)'}`,
      value: 'evidence',
    });
  for (const t of c.tiers) {
    const ta = a.tiers[t.id];
    const r = ta ? tierResponsibility(ta) : undefined;
    choices.push({
      name: `"${t.name}": who is responsible (${r?.responsibility ?? 'not answered'})`,
      value: `responsibility:${t.id}`,
    });
    if (r?.customer)
      choices.push({
        name: `"${t.name}": what the customer must do: ${cut(r.customer)}`,
        value: `customer:${t.id}`,
      });
  }
  choices.push({ name: 'Answer every question again', value: 'all' });
  return choices;
}

async function changePart(
  p: Prompts,
  c: AnswerContext,
  { answer: a, part }: { answer: Answer; part: Part },
): Promise<Answer> {
  const [kind, tierId] = part.split(':') as [string, string | undefined];
  switch (kind) {
    case 'statement':
      return { ...a, provider: await askStatement(p, c, a.provider) };
    case 'summary':
      return compact({ ...a, summary: await askSummary(p, a.summary) });
    case 'assurance':
      return compact({ ...a, assurance: await askAssurance(p, a.assurance) });
    case 'evidence':
      return compact({ ...a, evidence: await askEvidenceRefs(p, c, a.evidence) });
    case 'responsibility': {
      const t = c.tiers.find((x) => x.id === tierId)!;
      const prev = a.tiers[t.id] ? tierResponsibility(a.tiers[t.id]) : undefined;
      const responsibility = await askResponsibility(p, t, prev?.responsibility);
      const needsText = responsibility === 'customer' || responsibility === 'shared';
      const tier: TierAnswer = needsText
        ? { responsibility, customer: await askCustomerPart(p, t, prev?.customer) }
        : responsibility;
      return { ...a, tiers: { ...a.tiers, [t.id]: tier } };
    }
    case 'customer': {
      const t = c.tiers.find((x) => x.id === tierId)!;
      const prev = tierResponsibility(a.tiers[t.id]);
      const customer = await askCustomerPart(p, t, prev.customer);
      return {
        ...a,
        tiers: { ...a.tiers, [t.id]: { responsibility: prev.responsibility, customer } },
      };
    }
    case 'all':
      return askAnswer(p, { ...c, existing: a });
    default:
      return a;
  }
}

function askStatement(p: Prompts, c: AnswerContext, current?: string): Promise<string> {
  return p.text({
    message: `How does ${c.providerName} meet ${c.item.id} ${c.item.title}? (Markdown)`,
    ...(current ? { default: current } : {}),
    required: true,
  });
}

async function askSummary(p: Prompts, current?: string): Promise<string | undefined> {
  return optional(
    await p.input({
      message: 'One-sentence summary for overviews (optional, Enter to leave out):',
      ...(current ? { default: current, editable: true } : {}),
    }),
  );
}

async function askAssurance(
  p: Prompts,
  current?: AssuranceLevel,
): Promise<AssuranceLevel | undefined> {
  const choices: Choice<AssuranceLevel | ''>[] = [
    { name: 'not stated', value: '', description: 'leave the assurance level out' },
    ...ASSURANCE_LEVELS.map((a) => ({ name: a, value: a, description: ASSURANCE_HELP[a] })),
  ];
  const v = await p.select<AssuranceLevel | ''>({
    message: 'Assurance: what backs this statement?',
    choices,
    default: current ?? '',
  });
  return v || undefined;
}

async function askEvidenceRefs(
  p: Prompts,
  c: AnswerContext,
  current?: string[],
): Promise<string[] | undefined> {
  if (!c.evidence.length) return current?.length ? current : undefined;
  const picked = await p.checkbox<string>({
    message: 'Evidence supporting it (space to tick, Enter when done):',
    choices: c.evidence.map((e) => ({
      name: `${e.name} (${e.id})`,
      value: e.id,
      checked: current?.includes(e.id) ?? false,
    })),
  });
  return picked.length ? picked : undefined;
}

function askResponsibility(
  p: Prompts,
  t: { name: string },
  current?: Responsibility,
): Promise<Responsibility> {
  return p.select<Responsibility>({
    message: `Who is responsible in "${t.name}"?`,
    choices: RESPONSIBILITIES.map((r) => ({
      name: r,
      value: r,
      description: RESPONSIBILITY_HELP[r],
    })),
    default: current ?? 'provider',
  });
}

async function askCustomerPart(p: Prompts, t: { name: string }, current?: string): Promise<string> {
  return (
    await p.input({
      message: `What must the customer do in "${t.name}"?`,
      ...(current ? { default: current, editable: true } : {}),
      required: true,
    })
  ).trim();
}

/** The answer as the user sees it before deciding to keep or change it. */
export function describeAnswer(a: Answer, tiers: { id: string; name: string }[]): string {
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

/** Writes one answer, field by field when it exists (so comments inside it survive). */
export function writeAnswer(
  editor: YamlEditor,
  id: string,
  { answer, order }: { answer: Answer; order: readonly string[] },
): void {
  const base = ['answers', id];
  if (editor.get(base) === undefined) {
    const after = order.slice(order.indexOf(id) + 1);
    editor.set(base, answer, { before: after });
    return;
  }
  for (const key of ['summary', 'provider', 'assurance', 'evidence'] as const) {
    if (answer[key] === undefined) editor.delete([...base, key]);
    else editor.set([...base, key], answer[key]);
  }
  const existingTiers = (editor.get([...base, 'tiers']) ?? {}) as Record<string, unknown>;
  for (const t of Object.keys(existingTiers))
    if (!(t in answer.tiers)) editor.delete([...base, 'tiers', t]);
  for (const [t, v] of Object.entries(answer.tiers)) editor.set([...base, 'tiers', t], v);
}
