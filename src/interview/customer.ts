import path from 'node:path';
import { readAnswers } from '../answers/read';
import { customerItemIds, tierResponsibility } from '../answers/parse';
import type { CustomerAnswers } from '../answers/schema';
import { CheckError, UsageError } from '../errors';
import { closest } from '../text/suggest';
import {
  compact,
  EditSession,
  schemaLine,
  itemHeading,
  optional,
  progressLabel,
  wrap,
  type FlowDeps,
} from './common';
import type { Choice } from './prompts';

/** The customer interview: the customer's own answers for the tier they bought. */

export const CUSTOMER_FILE_HEADER = `# A customer's answers to the parts of a provider's statement they are responsible for,
# started with \`srq customer\`. Edit by hand as you like; \`srq validate <file>\` checks it.

`;

const TOP_ORDER = ['customer', 'provider', 'tier', 'signatory', 'answers'];
const after = (key: string) => TOP_ORDER.slice(TOP_ORDER.indexOf(key) + 1);

export interface CustomerOptions {
  providerFile: string;
  providerShown: string;
  tier: string;
  file: string;
  shown: string;
  deps: FlowDeps;
}

export interface CustomerResult {
  needed: string[];
  unanswered: string[];
  stopped: boolean;
}

type Action = 'answer' | 'keep' | 'edit' | 'skip' | 'back' | 'jump' | 'stop';

export async function runCustomerInterview(o: CustomerOptions): Promise<CustomerResult> {
  const { prompts: p } = o.deps;
  const prov = readAnswers(o.providerFile);
  if (!prov.value) {
    throw new CheckError(
      `${o.providerShown}: ${prov.errors.length} error(s) in the provider's file; fix them (srq validate ${o.providerShown}) first`,
      prov.errors,
    );
  }
  const { answers: a, catalogue: cat } = prov.value;
  const tierIds = a.tiers.map((t) => t.id);
  const tier = a.tiers.find((t) => t.id === o.tier);
  if (!tier) {
    const guess = closest(o.tier, tierIds);
    throw new UsageError(
      `tier '${o.tier}' is not one of ${o.providerShown}'s tiers (${guess ? `did you mean ${guess}? ` : ''}tiers are: ${tierIds.join(', ')})`,
    );
  }
  const s = new EditSession(o.file, o.shown, {
    header: schemaLine(o.file, 'customer') + CUSTOMER_FILE_HEADER,
    onSave: o.deps.onSave,
  });
  const ed = s.editor;
  const raw = () => (ed.data() ?? {}) as Partial<CustomerAnswers>;
  if (raw().tier && raw().tier !== o.tier) {
    throw new UsageError(
      `${o.shown} is for tier '${raw().tier}', not '${o.tier}' (use --tier ${raw().tier}, or -o for a new file)`,
    );
  }
  const providerRef = path.relative(path.dirname(o.file), o.providerFile).split(path.sep).join('/');

  if (!raw().customer) {
    p.say(
      `\nYour own answers for "${tier.name}" of ${a.provider.name}'s ${a.service.name}, saved to ${o.shown}.`,
    );
    const customer = compact({
      name: (await p.input({ message: 'Your organisation:', required: true })).trim(),
      team: optional(await p.input({ message: 'Team responsible (optional):' })),
    });
    ed.set(['customer'], customer, { before: after('customer') });
    s.save('customer');
  }
  if (!raw().provider) {
    ed.set(['provider'], providerRef, { before: after('provider') });
    ed.set(['tier'], o.tier, { before: after('tier') });
    s.save('provider');
  }
  if (!raw().signatory) {
    p.say('\nWho signs your statement');
    const signatory = {
      name: (await p.input({ message: 'Signatory name:', required: true })).trim(),
      role: (
        await p.input({
          message: 'Signatory role (e.g. Senior Information Risk Owner):',
          required: true,
        })
      ).trim(),
    };
    ed.set(['signatory'], signatory, { before: after('signatory') });
    s.save('signatory');
  }

  const ids = customerItemIds(a, o.tier, cat);
  const answered = (id: string) => Boolean((raw().answers ?? {})[id]);
  const open = () => ids.filter((id) => !answered(id));
  if (!ids.length) {
    p.say(
      `\nIn "${tier.name}" ${a.provider.name} carries every principle: there is nothing for you to answer.`,
    );
    return { needed: [], unanswered: [], stopped: false };
  }
  let i = ids.findIndex((id) => !answered(id));
  if (i < 0) {
    p.say(`\nAll ${ids.length} principles needing your answer are answered.`);
    i = ids.length;
  } else if (i > 0) p.say(`\nResuming at ${ids[i]}, the first unanswered principle.`);

  for (;;) {
    if (i >= ids.length) {
      const left = open();
      if (!left.length) return { needed: ids, unanswered: [], stopped: false };
      p.say(`\nStill unanswered: ${left.join(', ')}`);
      const to = await p.select<string>({
        message: 'Now:',
        choices: [
          ...left.map((id) => ({ name: `Go to ${id} ${cat.byId.get(id)!.title}`, value: id })),
          { name: 'Finish for now (everything is saved)', value: '' },
        ],
        default: left[0],
      });
      if (!to) return { needed: ids, unanswered: left, stopped: false };
      i = ids.indexOf(to);
    }
    const id = ids[i];
    const item = cat.byId.get(id)!;
    const ans = a.answers[id];
    const { responsibility, customer: expected } = tierResponsibility(ans.tiers[o.tier]);
    const done = ids.filter(answered).length;
    p.say(
      `\n── ${progressLabel(i + 1, ids.length, done / ids.length)} ──\n${itemHeading(item, item.parent ? cat.byId.get(item.parent)!.title : undefined)}\n${wrap(item.requirement)}\n\n` +
        `  What ${a.provider.name} does:\n${wrap(ans.provider, 78, '    ')}\n\n` +
        `  Responsibility in "${tier.name}": ${responsibility}. What ${a.provider.name} expects of you:\n${wrap(expected ?? '', 78, '    ')}`,
    );
    const isDone = answered(id);
    const choices: Choice<Action>[] = isDone
      ? [
          { name: 'Keep your answer and go on', value: 'keep' },
          { name: 'Edit your answer', value: 'edit' },
        ]
      : [{ name: 'Answer', value: 'answer' }];
    choices.push({ name: 'Skip for now', value: 'skip' });
    if (i > 0) choices.push({ name: 'Back', value: 'back' });
    choices.push(
      { name: 'Jump to a principle…', value: 'jump' },
      { name: 'Save and stop', value: 'stop' },
    );
    const act = await p.select<Action>({
      message: 'What now?',
      choices,
      default: isDone ? 'keep' : 'answer',
    });
    switch (act) {
      case 'answer':
      case 'edit': {
        const current = raw().answers?.[id]?.customer;
        const text = await p.text({
          message: `How does ${raw().customer?.name ?? 'your organisation'} meet its part of ${id}? (Markdown)`,
          ...(current ? { default: current } : {}),
          required: true,
        });
        const later = ids.slice(i + 1);
        if ((raw().answers ?? {})[id]) ed.set(['answers', id, 'customer'], text);
        else ed.set(['answers', id], { customer: text }, { before: later });
        s.save(`answers.${id}`);
        i++;
        break;
      }
      case 'keep':
      case 'skip':
        i++;
        break;
      case 'back':
        i = Math.max(0, i - 1);
        break;
      case 'jump': {
        const to = await p.search<string>({
          message: 'Jump to (type to filter):',
          choices: ids.map((x) => ({
            name: `${x} ${cat.byId.get(x)!.title}${answered(x) ? ' ✓' : ''}`,
            value: x,
          })),
        });
        i = ids.indexOf(to);
        break;
      }
      case 'stop':
        return { needed: ids, unanswered: open(), stopped: true };
    }
  }
}
