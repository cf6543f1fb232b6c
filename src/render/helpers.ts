// NOTE: per-function entry points: the package root loads all ~800 date-fns modules (~100 ms cold).
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { enGB } from 'date-fns/locale/en-GB';
import { parseISO } from 'date-fns/parseISO';
import type Handlebars from 'handlebars';
import type { AssuranceLevel, Responsibility } from '../answers/schema';
import { RESPONSIBILITY_LABELS } from './marks';

/** Helpers only format; what to show is decided in the view model (view.ts). */

export { RESPONSIBILITY_LABELS };

export const ASSURANCE_LABELS: Record<AssuranceLevel, string> = {
  'provider-assertion': 'Provider assertion',
  'contractual-commitment': 'Contractual commitment',
  'independent-validation': 'Independent validation',
  'independent-testing': 'Independent testing',
  'assured-design': 'Assured design',
  'assured-components': 'Assured components',
};

function isoDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const d = parseISO(value);
  return isValid(d) ? d : undefined;
}

/** "November 2026" */
export function formatMonth(iso: string): string {
  const d = isoDate(iso);
  return d ? format(d, 'MMMM yyyy', { locale: enGB }) : iso;
}

/** "22 November 2026" */
export function formatDate(iso: string): string {
  const d = isoDate(iso);
  return d ? format(d, 'd MMMM yyyy', { locale: enGB }) : iso;
}

export function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('month', (v: unknown) => (typeof v === 'string' ? formatMonth(v) : ''));
  hb.registerHelper('date', (v: unknown) => (typeof v === 'string' ? formatDate(v) : ''));
  hb.registerHelper(
    'responsibility',
    (v: unknown) => RESPONSIBILITY_LABELS[v as Responsibility] ?? '',
  );
  hb.registerHelper('assurance', (v: unknown) => ASSURANCE_LABELS[v as AssuranceLevel] ?? '');
}
