import type { Responsibility } from '../answers/schema';
import type { Model, ModelItem } from '../model/types';
import { legendView } from './marks';
import { mdBlock, mdText } from './markdown-escape';
import {
  asSentence,
  statementView,
  type ItemView,
  type PrincipleView,
  type RenderExtras,
  type StatementView,
} from './view';

/**
 * The view model of the `customer` template: the provider's statement narrowed to the customer's
 * one tier, and for every item where the customer carries any of it, the provider's expectation
 * beside the customer's own answer. A superset of StatementView, so the statement template still
 * renders a customer model (the provider's text for that tier).
 */

export interface CustomerExtras extends RenderExtras {
  /** The document's own date (ISO): the build date; the signing date wins when signed. */
  date?: string;
}

export interface CustomerItemView extends ItemView {
  /** Who carries the item in the customer's tier. */
  tierResponsibility?: Responsibility;
  /** Whether the customer carries any of it (customer or shared). */
  customerCarries: boolean;
  /** What the provider expects of the customer (the provider's `customer` text). */
  expectationMd?: string;
  /** The customer's own answer; absent when not yet answered. */
  answerMd?: string;
}

export interface CustomerPrincipleView extends PrincipleView {
  items: CustomerItemView[];
  /** Whether the customer carries any part of the principle. */
  customerCarries: boolean;
}

export interface CustomerView extends StatementView {
  principles: CustomerPrincipleView[];
  customer: {
    name: string;
    team?: string;
    signatory: { name: string; role: string; date: string; signedBy?: string };
  };
  /** `summarySentence`: the provider's summary of the tier as a sentence of its own. */
  tier: { id: string; name: string; summary?: string; summarySentence?: string };
  /** The document's own date (the build date, or the signing date). ISO. */
  date: string;
  /** Items where the customer carries any of it. */
  duties: { id: string; title: string; responsibility: Responsibility; answered: boolean }[];
  dutiesAnswered: number;
  notYetAnswered: { id: string; title: string }[];
  /** How many items of each responsibility in the tier. */
  counts: {
    provider: number;
    shared: number;
    customer: number;
    notApplicable: number;
    items: number;
  };
}

function carries(r: Responsibility | undefined): boolean {
  return r === 'customer' || r === 'shared';
}

function customerItem(base: ItemView, item: ModelItem): CustomerItemView {
  const t = item.tiers[0];
  const view: CustomerItemView = {
    ...base,
    customerCarries: item.answered && carries(t?.responsibility),
  };
  if (t) view.tierResponsibility = t.responsibility;
  if (view.customerCarries) {
    view.expectationMd = mdBlock(t?.customer ?? 'No further action is described.');
    if (item.customerAnswer?.trim()) view.answerMd = mdBlock(item.customerAnswer);
  }
  return view;
}

/** Builds the customer document's view model. Pure; does not mutate the model. */
export function customerView(model: Model, extras: CustomerExtras = {}): CustomerView {
  const c = model.customer;
  if (model.kind !== 'customer' || !c) {
    throw new TypeError('customerView needs a customer model (from a customer answers file)');
  }
  const base = statementView(model, extras);
  const byId = new Map(model.items.map((i) => [i.id, i]));
  const principles: CustomerPrincipleView[] = base.principles.map((p) => {
    const items = p.items.map((iv) => customerItem(iv, byId.get(iv.id)!));
    return { ...p, items, customerCarries: items.some((i) => i.customerCarries) };
  });
  const items = principles.flatMap((p) => p.items);
  const duties = model.items
    .filter((i) => i.answered && carries(i.tiers[0]?.responsibility))
    .map((i) => ({
      id: i.id,
      title: mdText(i.title),
      responsibility: i.tiers[0].responsibility,
      answered: Boolean(i.customerAnswer?.trim()),
    }));
  const count = (r: Responsibility) => items.filter((i) => i.tierResponsibility === r).length;
  const date = extras.signature?.date ?? extras.date ?? model.document.issued;
  const provider = mdText(model.provider.name);
  return {
    ...base,
    title: `${mdText(c.name)} — our responsibilities under ${provider}'s ${base.service.name}, ${mdText(c.tier.name)} tier`,
    shortTitle: `${mdText(c.name)} · ${mdText(c.tier.name)} tier`,
    principles,
    customer: {
      name: mdText(c.name),
      ...(c.team ? { team: mdText(c.team) } : {}),
      signatory: {
        name: mdText(c.signatory.name),
        role: mdText(c.signatory.role),
        date,
        ...(extras.signature?.subject ? { signedBy: mdText(extras.signature.subject) } : {}),
      },
    },
    tier: {
      id: c.tier.id,
      name: mdText(c.tier.name),
      ...(c.tier.summary
        ? { summary: mdText(c.tier.summary), summarySentence: mdText(asSentence(c.tier.summary)) }
        : {}),
    },
    date,
    duties,
    dutiesAnswered: duties.filter((d) => d.answered).length,
    notYetAnswered: duties.filter((d) => !d.answered).map(({ id, title }) => ({ id, title })),
    counts: {
      provider: count('provider'),
      shared: count('shared'),
      customer: count('customer'),
      notApplicable: count('not-applicable'),
      items: items.length,
    },
    legend: legendView({ provider, customer: mdText(c.name) }),
  };
}
