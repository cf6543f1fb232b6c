import type { Choice } from '../answers/schema';
import { markdownToPlain } from '../export/markdown-runs';
import { markdownWords } from '../export/words';
import type { ModelTier } from '../model/types';
import type { Answerable } from './match';
import type { Targets } from './targets';

/**
 * The text written into a buyer's answer cell, for one tier: the provider's statement plus what
 * the customer must do in that tier, phrased for the buyer; within a word or character limit by
 * the answer's summary where the statement is too long (as `export --max-words` does). And the
 * dropdown value (Yes / No / Partial / N/A) that the answer and the tier's responsibility imply.
 */

export interface Composed {
  text: string;
  choice?: Choice;
  /** Problems a person should look at (limit still exceeded, nothing to put in a dropdown). */
  notes: string[];
  /** The summary stood in for the statement to meet a limit. */
  usedSummary: boolean;
}

export interface Limits {
  maxWords?: number;
  maxChars?: number;
}

function overLimit(text: string, l: Limits): string | undefined {
  if (l.maxWords) {
    const n = markdownWords(text);
    if (n > l.maxWords) return `${n} words, over the limit of ${l.maxWords}`;
  }
  if (l.maxChars && text.length > l.maxChars) {
    return `${text.length} characters, over the limit of ${l.maxChars}`;
  }
  return undefined;
}

function withinLimits(
  full: string,
  summary: string | undefined,
  tail: string,
  l: Limits,
): Composed {
  const join = (a: string) => (tail ? `${a}\n\n${tail}` : a);
  const text = join(full);
  if (!overLimit(text, l)) return { text, notes: [], usedSummary: false };
  if (summary) {
    const short = join(summary);
    const still = overLimit(short, l);
    return {
      text: short,
      notes: still ? [`even with the summary the answer has ${still}`] : [],
      usedSummary: true,
    };
  }
  return {
    text,
    notes: [`the answer has ${overLimit(text, l)}, and there is no summary to use`],
    usedSummary: false,
  };
}

const CHOICE_OF = {
  provider: 'yes',
  shared: 'partial',
  customer: 'no',
  'not-applicable': 'not-applicable',
} as const;

export function composeAnswer(
  target: Answerable,
  targets: Targets,
  tier: ModelTier,
  limits: Limits,
): Composed {
  if (target.kind === 'library') {
    const e = targets.library.get(target.id)!;
    const body = markdownToPlain(e.tiers?.[tier.id] ?? e.answer);
    const composed = withinLimits(body, e.summary, '', limits);
    return e.choice ? { ...composed, choice: e.choice } : composed;
  }
  const item = targets.items.get(target.id)!;
  const ta = item.tiers.find((t) => t.tier.id === tier.id);
  const statement = markdownToPlain(item.provider);
  let tail = '';
  if (ta?.responsibility === 'not-applicable')
    tail = `This does not apply to our ${tier.name} service.`;
  else if (ta?.customer) {
    const lead = ta.responsibility === 'customer' ? 'In our' : 'Your part, in our';
    tail =
      ta.responsibility === 'customer'
        ? `${lead} ${tier.name} service this is your responsibility: ${markdownToPlain(ta.customer)}`
        : `${lead} ${tier.name} service: ${markdownToPlain(ta.customer)}`;
  }
  const composed = withinLimits(statement, item.summary, tail, limits);
  return ta ? { ...composed, choice: CHOICE_OF[ta.responsibility] } : composed;
}

/** Words a dropdown may use for each choice, normalised (lower case, letters and digits only). */
const CHOICE_WORDS: Record<Choice, string[]> = {
  yes: [
    'yes',
    'y',
    'compliant',
    'fully compliant',
    'full',
    'fully',
    'met',
    'fully met',
    'true',
    'comply',
    'complies',
    'in place',
    'implemented',
  ],
  partial: [
    'partial',
    'partially',
    'partly',
    'partially compliant',
    'partially met',
    'in part',
    'partially implemented',
    'shared',
    'shared responsibility',
  ],
  no: [
    'no',
    'n',
    'non compliant',
    'not compliant',
    'noncompliant',
    'not met',
    'false',
    'does not comply',
    'not implemented',
    'customer responsibility',
    'customer',
  ],
  'not-applicable': ['n a', 'na', 'not applicable', 'n/a'],
};

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The dropdown value for a choice, from the values the dropdown allows; a "Partial" the list
 * lacks falls back to "Yes" (the free text beside it says what the customer does). Undefined
 * when no allowed value fits: better blank than a wrong Yes.
 */
export function pickChoice(choice: Choice, allowed: string[] | undefined): string | undefined {
  const find = (c: Choice) => {
    if (!allowed) return undefined;
    const words = CHOICE_WORDS[c];
    return allowed.find((a) => words.includes(norm(a)));
  };
  if (!allowed) {
    return { yes: 'Yes', no: 'No', partial: 'Partial', 'not-applicable': 'N/A' }[choice];
  }
  return find(choice) ?? (choice === 'partial' ? find('yes') : undefined);
}
