import { bareVersion } from '../text/output-name';
import type { AssuranceLevel, Responsibility } from '../answers/schema';
import type { Model, ModelEvidence } from '../model/types';
import {
  ASSURANCE_LABELS,
  RESPONSIBILITY_LABELS,
  formatDate,
  formatMonth,
} from '../render/helpers';

/** Words shown for the enumerations of the answers file, the same in every export format. */

// NOTE: the same words as the PDF (src/render/helpers.ts), so a buyer reading the statement and
// the spreadsheet sees one vocabulary.
export const RESPONSIBILITY_LABEL: Record<Responsibility, string> = RESPONSIBILITY_LABELS;
export const ASSURANCE_LABEL: Record<AssuranceLevel, string> = ASSURANCE_LABELS;

/** Light fills for the responsibility matrix; the text of the mark is always shown as well. */
export const RESPONSIBILITY_FILL: Record<Responsibility, string> = {
  provider: 'DCEFD9',
  customer: 'FBE3C4',
  shared: 'D9E6F5',
  'not-applicable': 'E7E7E7',
};

/** 2026-11-02 → "2 November 2026" (UK style). */
export const longDate = formatDate;

/** 2026-11-02 → "November 2026". */
export const monthYear = formatMonth;

/** "ISO/IEC 27001:2022 certification (IS 704512, expires 14 March 2028)". */
export function evidenceLine(e: ModelEvidence): string {
  const extra = [e.reference, e.expires ? `expires ${longDate(e.expires)}` : undefined].filter(
    Boolean,
  );
  return extra.length ? `${e.name} (${extra.join(', ')})` : e.name;
}

/** "Principle 2.1" / "Principle 3". */
export function itemLabel(id: string): string {
  return `Principle ${id}`;
}

/** Lower-case, ASCII, dash-separated; keeps dots when asked (versions). */
export function slug(s: string, keepDots = false): string {
  const re = keepDots ? /[^a-z0-9.]+/g : /[^a-z0-9]+/g;
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(re, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** The default output name: output/<provider>-<service>-v<version>[-<customer>][-<tiers>].<ext>. */
export function defaultOutputName(model: Model, ext: string, tiers?: string[]): string {
  const parts = [
    slug(model.provider.name),
    slug(model.service.name),
    `v${slug(bareVersion(model.document.version))}`,
  ];
  if (model.customer) parts.push(slug(model.customer.name));
  else if (tiers?.length) parts.push(...tiers.map((t) => slug(t)));
  return `${parts.filter(Boolean).join('-')}.${ext}`;
}
