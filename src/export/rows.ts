import type { Model, ModelItem, ModelTier } from '../model/types';
import { ASSURANCE_LABELS, RESPONSIBILITY_LABELS, evidenceLine } from './labels';
import { markdownToPlain } from './markdown-runs';

/**
 * The spreadsheet shape (CSV and XLSX): one row per principle × tier, with the columns of CSA's
 * shared security responsibility model (SSRM) sheets.
 */

export interface Column {
  key: keyof ExportRow;
  header: string;
  /** Width in characters (XLSX). */
  width: number;
}

export interface ExportRow {
  id: string;
  principle: string;
  tier: string;
  requirement: string;
  responsibility: string;
  provider: string;
  customer: string;
  assurance: string;
  evidence: string;
  customerAnswer: string;
}

export const COLUMNS: Column[] = [
  { key: 'id', header: 'ID', width: 8 },
  { key: 'principle', header: 'Principle', width: 30 },
  { key: 'tier', header: 'Tier', width: 22 },
  { key: 'requirement', header: 'Requirement', width: 50 },
  { key: 'responsibility', header: 'Responsibility', width: 15 },
  { key: 'provider', header: 'Provider implementation', width: 80 },
  { key: 'customer', header: 'Customer responsibility', width: 55 },
  { key: 'assurance', header: 'Assurance', width: 26 },
  { key: 'evidence', header: 'Evidence', width: 45 },
];

/** A customer document adds the customer's own answer. */
export const CUSTOMER_ANSWER_COLUMN: Column = {
  key: 'customerAnswer',
  header: 'Customer implementation',
  width: 60,
};

export function columnsFor(model: Model, options: { tierColumn: boolean }): Column[] {
  const cols = options.tierColumn ? COLUMNS : COLUMNS.filter((c) => c.key !== 'tier');
  return model.kind === 'customer' ? [...cols, CUSTOMER_ANSWER_COLUMN] : cols;
}

export const NOT_ANSWERED = 'Not answered';

function itemRow(item: ModelItem, tier: ModelTier): ExportRow {
  const t = item.tiers.find((x) => x.tier.id === tier.id);
  return {
    id: item.id,
    principle: item.title,
    tier: tier.name,
    requirement: item.requirement,
    responsibility: t ? RESPONSIBILITY_LABELS[t.responsibility] : '',
    provider: item.answered ? markdownToPlain(item.provider) : NOT_ANSWERED,
    customer: t?.customer
      ? markdownToPlain(t.customer)
      : t?.responsibility === 'not-applicable'
        ? 'Not applicable'
        : '',
    assurance: item.assurance ? ASSURANCE_LABELS[item.assurance] : '',
    evidence: item.evidence.map(evidenceLine).join('\n'),
    customerAnswer: item.customerAnswer ? markdownToPlain(item.customerAnswer) : '',
  };
}

/** Rows for one tier, in catalogue order. */
export function tierRows(model: Model, tier: ModelTier): ExportRow[] {
  return model.items.map((item) => itemRow(item, tier));
}

/** Every row: principle by principle, each followed by its tiers (the order a reviewer reads). */
export function exportRows(model: Model): ExportRow[] {
  return model.items.flatMap((item) => model.tiers.map((tier) => itemRow(item, tier)));
}
