import type { Responsibility } from '../answers/schema';

/**
 * The responsibility marks of the matrix: the word printed for each, and the one colour table
 * every format shades them with (PDF, HTML, DOCX, XLSX). The word is always printed as well:
 * colour is never the only carrier.
 */

export const RESPONSIBILITY_LABELS: Record<Responsibility, string> = {
  provider: 'Provider',
  customer: 'Customer',
  shared: 'Shared',
  'not-applicable': 'N/A',
};

/** Fill and text colours, as `#rrggbb`. */
export const RESPONSIBILITY_COLOURS: Record<Responsibility, { fill: string; text: string }> = {
  provider: { fill: '#cfe3f7', text: '#0b2e4f' },
  shared: { fill: '#fbe3b0', text: '#4a3300' },
  customer: { fill: '#d7efd2', text: '#153d12' },
  'not-applicable': { fill: '#e6e6e6', text: '#333333' },
};

const BY_LABEL = new Map<string, Responsibility>(
  (Object.entries(RESPONSIBILITY_LABELS) as [Responsibility, string][]).map(([r, label]) => [
    label.toLowerCase(),
    r,
  ]),
);
BY_LABEL.set('not applicable', 'not-applicable');

/** The responsibility a matrix cell's text names ("Shared", "N/A"), if it is a mark. */
export function markOf(text: string): Responsibility | undefined {
  return BY_LABEL.get(text.trim().toLowerCase());
}

/** The legend under every matrix: what each mark means, from the reader's side. */
export function legendView(options: {
  provider: string;
  /** Set in a customer's own document: the customer speaks ("ours"). */
  customer?: string;
}): { mark: string; meaning: string }[] {
  const { provider, customer } = options;
  return [
    { mark: RESPONSIBILITY_LABELS.provider, meaning: `${provider} carries all of it.` },
    {
      mark: RESPONSIBILITY_LABELS.shared,
      meaning: customer
        ? 'Both carry a part; ours is set out under the principle.'
        : 'Both carry a part; your part is described under the principle.',
    },
    {
      mark: RESPONSIBILITY_LABELS.customer,
      meaning: customer
        ? `${customer} carries it; how is set out under the principle.`
        : 'You carry it; what you must do is described under the principle.',
    },
    { mark: RESPONSIBILITY_LABELS['not-applicable'], meaning: 'It does not apply to this tier.' },
  ];
}
