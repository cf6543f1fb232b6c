import type { Model } from './model/types';
import { shortTitle } from './render';

/**
 * Who a built document is by and about: the provider's statement (and overview), or a customer's
 * own split. Feeds the PDF's metadata, running header, logo and signature field.
 */
export interface DocumentInfo {
  /** Whether this is a customer's own document (signed by the customer). */
  customer: boolean;
  title: string;
  author: string;
  subject: string;
  keywords: string;
  shortTitle: string;
  /** ISO date of the document. */
  date: string;
  signatory: { name: string; role: string };
}

/** The template a document uses when none is given: a customer file's own split, else the statement. */
export function defaultTemplate(model: Model): string {
  return model.kind === 'customer' ? 'customer' : 'statement';
}

/** The words that mark a customer document's subject (Info /Subject and XMP dc:description). */
const CUSTOMER_SUBJECT = 'meets its part of the';

/**
 * Whether a document subject is a customer document's, so `srq sign` of an unsigned customer
 * document labels its reserved field as `build --sign` does (documentInfo wrote the subject).
 */
export function isCustomerSubject(subject: string | undefined): boolean {
  return subject?.startsWith('How ') === true && subject.includes(` ${CUSTOMER_SUBJECT} `);
}

/** Templates that are the provider's documents even when built from a customer file. */
const PROVIDER_TEMPLATES = new Set(['statement', 'overview']);

export function documentInfo(model: Model, template: string, date?: string): DocumentInfo {
  const c = model.customer;
  if (model.kind === 'customer' && c && !PROVIDER_TEMPLATES.has(template)) {
    return {
      customer: true,
      title: `${c.name} — our responsibilities under ${model.provider.name}'s ${model.service.name}, ${c.tier.name} tier`,
      author: c.name,
      subject: `How ${c.name} ${CUSTOMER_SUBJECT} ${model.framework.title} in the ${c.tier.name} tier of ${model.service.name}`,
      keywords: [
        model.framework.title,
        'cloud security',
        'shared responsibility',
        c.name,
        model.provider.name,
        model.service.name,
        c.tier.name,
      ].join(', '),
      shortTitle: `${c.name} · ${c.tier.name} tier`,
      date: date ?? model.document.issued,
      signatory: c.signatory,
    };
  }
  // NOTE: a one-tier document (a tender for one tier) says so in its title, as on its cover;
  // the overview's title is its own, not the statement's.
  const tier = model.tiers.length === 1 ? ` — ${model.tiers[0].name} tier` : '';
  const overview = template === 'overview';
  return {
    customer: false,
    title: overview
      ? `${model.provider.name} Security Overview${tier}`
      : `${model.document.title}${tier}`,
    author: model.provider.name,
    subject: overview
      ? `A summary of how ${model.service.name} meets the ${model.framework.title}`
      : `How ${model.service.name} meets the ${model.framework.title}`,
    keywords: [
      model.framework.title,
      'cloud security',
      model.provider.name,
      model.service.name,
      ...model.tiers.map((t) => t.name),
    ].join(', '),
    shortTitle: shortTitle(model),
    date: model.document.issued,
    signatory: model.signatory,
  };
}

/**
 * A customer document's date comes from its inputs, never from the build day, so the same files
 * give the same bytes on any day: the customer file's own `date`, else the issue date of the
 * provider's statement it is based on. (A signature's date still wins when it is signed.)
 */
export function documentDate(model: Model): { date?: string } {
  if (model.kind !== 'customer') return {};
  return { date: model.customer?.date ?? model.document.issued };
}
