import type { Model, ModelItem, ModelPrinciple } from '../model/types';
import type { AnswerState, AssuranceLevel, Responsibility } from '../answers/schema';
import { lastReviewedOn } from '../model/lifecycle';
import { ASSURANCE_LABELS, formatDate } from './helpers';
import { legendView, RESPONSIBILITY_LABELS } from './marks';
import { mdBlock, mdText } from './markdown-escape';

/**
 * The view model of the statement: everything a template shows, decided here in TypeScript.
 * Plain values are escaped Markdown (they print literally); `*Md` fields are the user's Markdown.
 * ISO dates stay ISO: the `date` and `month` helpers format them.
 */

export interface RenderExtras {
  buyer?: string;
  reference?: string;
  draft?: boolean;
  signature?: { subject?: string; date?: string };
  /** A "Changes since version X" section, Markdown made by src/diff (`--changes-since`). */
  changes?: string;
}

export interface ItemView {
  id: string;
  /** "2.1 Physical location and legal jurisdiction" (sub-principles only). */
  heading?: string;
  requirement: string;
  answered: boolean;
  providerMd: string;
  assurance?: AssuranceLevel;
  evidence: string[];
  /** Tiers where the customer carries any of it, with what they must do. */
  responsibilities: { tier: string; responsibility: Responsibility; customerMd: string }[];
  /** Tier names where the provider carries it all (or it does not apply), for one closing line. */
  providerTiers: string[];
  naTiers: string[];
  /**
   * The closing line for the tiers the provider carries in full: "In the other tiers, X carries
   * this principle in full (A, B)." / "In every tier, …" / "In this tier, …"; absent when none.
   */
  providerInFull?: string;
  /**
   * "*Assurance:* Independent validation. *Evidence:* A; B. *Last reviewed:* 1 May 2026." (any
   * part may be absent).
   */
  assuranceLine?: string;
  /** "Not applicable to: A, B." for N/A tiers without a note; absent when none. */
  notApplicable?: string;
  /** ISO date the answer was last reviewed or approved (src/model/lifecycle.ts). */
  lastReviewed?: string;
  /** What the answer commits to when it is not simply in place. */
  commitment?: { label: string; due?: string; reason?: string };
  /** "*Planned*: to be in place by 1 March 2027." (from `commitment`); absent when in place. */
  commitmentLine?: string;
}

export interface PrincipleView {
  id: string;
  heading: string;
  requirement: string;
  whole: boolean;
  answered: boolean;
  items: ItemView[];
}

export interface StatementView {
  title: string;
  shortTitle: string;
  provider: { name: string; team?: string; email?: string; phone?: string; address?: string };
  /** `summarySentence`: the summary as a sentence of its own (capital, one full stop). */
  service: { name: string; summary?: string; summarySentence?: string };
  /** The one tier a one-tier document (a `--tier` tender, a one-tier service) covers. */
  tier?: { name: string; summary?: string; summarySentence?: string };
  /** Whether any way to reach the provider (email, telephone, address) is given. */
  hasContact: boolean;
  document: {
    title: string;
    version: string;
    issued: string;
    review: string;
    classification?: string;
    /** What changed in this version ("This version." when the file does not say). */
    changes: string;
    history: { version: string; issued: string; summary: string }[];
  };
  framework: { title: string; version: string; publisher?: string; attribution?: string };
  buyer?: string;
  reference?: string;
  changes?: string;
  draft: boolean;
  tiers: { name: string; summary?: string }[];
  multipleTiers: boolean;
  matrix: { header: string; divider: string; rows: string[] };
  legend: { mark: string; meaning: string }[];
  principles: PrincipleView[];
  evidence: { name: string; issuer: string; reference: string; expires?: string }[];
  signatory: { name: string; role: string; date: string; signedBy?: string };
  unanswered: string[];
  /** Set when every answer was last reviewed on the same day: said once, not per answer. */
  reviewedAll?: string;
}

function cell(s: string): string {
  return mdText(s);
}

const COMMITMENT_LABELS: Partial<Record<AnswerState, string>> = {
  planned: 'Planned',
  partial: 'Partly in place',
  'not-applicable': 'Not applicable',
};

/** The sentences that close an item's responsibilities (logic kept out of the templates). */
function closingLines(
  view: Pick<ItemView, 'responsibilities' | 'providerTiers' | 'naTiers'>,
  context: { provider: string; multipleTiers: boolean },
): Pick<ItemView, 'providerInFull' | 'notApplicable'> {
  const out: Pick<ItemView, 'providerInFull' | 'notApplicable'> = {};
  const others = view.responsibilities.length > 0;
  if (view.providerTiers.length) {
    const lead = others
      ? 'In the other tiers'
      : context.multipleTiers
        ? 'In every tier'
        : 'In this tier';
    const where = view.naTiers.length ? ' where it applies' : '';
    const which = others ? ` (${view.providerTiers.join(', ')})` : '';
    out.providerInFull = `${lead}${where}, ${context.provider} carries this principle in full${which}.`;
  }
  if (view.naTiers.length) out.notApplicable = `Not applicable to: ${view.naTiers.join(', ')}.`;
  return out;
}

/** "*Assurance:* X. *Evidence:* A; B. *Last reviewed:* 1 May 2026." from the item's view. */
function assuranceLine(view: ItemView): string | undefined {
  const facts = [
    ...(view.assurance ? [`*Assurance:* ${ASSURANCE_LABELS[view.assurance]}`] : []),
    ...(view.evidence.length ? [`*Evidence:* ${view.evidence.join('; ')}`] : []),
  ];
  const lines = [
    ...(facts.length ? [`${facts.join('. ')}.`] : []),
    ...(view.lastReviewed ? [`*Last reviewed:* ${formatDate(view.lastReviewed)}.`] : []),
  ];
  return lines.length ? lines.join(' ') : undefined;
}

function itemView(
  item: ModelItem,
  options: { sub: boolean; provider: string; multipleTiers: boolean },
): ItemView {
  const { sub } = options;
  const responsibilities = item.tiers
    // A note written for an N/A tier (why it does not apply) is shown too.
    .filter(
      (t) =>
        t.responsibility === 'customer' ||
        t.responsibility === 'shared' ||
        (t.responsibility === 'not-applicable' && t.customer),
    )
    .map((t) => ({
      tier: mdText(t.tier.name),
      responsibility: t.responsibility,
      customerMd: mdBlock(t.customer ?? 'No further action is described for this tier.'),
    }));
  const view: ItemView = {
    id: item.id,
    requirement: mdText(item.requirement),
    answered: item.answered,
    providerMd: mdBlock(item.provider),
    evidence: item.evidence.map((e) => mdText(e.name)),
    responsibilities,
    providerTiers: item.tiers
      .filter((t) => t.responsibility === 'provider')
      .map((t) => mdText(t.tier.name)),
    naTiers: item.tiers
      .filter((t) => t.responsibility === 'not-applicable' && !t.customer)
      .map((t) => mdText(t.tier.name)),
  };
  if (sub) view.heading = `${item.id} ${mdText(item.title)}`;
  if (item.assurance) view.assurance = item.assurance;
  const l = item.lifecycle;
  // A withheld answer says nothing about itself beyond the notice.
  if (l && !item.withheld) {
    const reviewed = lastReviewedOn(l);
    if (reviewed) view.lastReviewed = reviewed;
    const label = COMMITMENT_LABELS[l.state];
    if (label) {
      view.commitment = {
        label,
        ...(l.state === 'planned' && l.due ? { due: l.due } : {}),
        ...(l.state === 'not-applicable' && l.reason ? { reason: mdText(l.reason) } : {}),
      };
      const c = view.commitment;
      view.commitmentLine = `*${c.label}*${c.due ? `: to be in place by ${formatDate(c.due)}` : ''}${c.reason ? `: ${c.reason}` : ''}.`;
    }
  }
  const line = assuranceLine(view);
  if (line) view.assuranceLine = line;
  return { ...view, ...closingLines(view, options) };
}

function principleView(
  p: ModelPrinciple,
  context: { provider: string; multipleTiers: boolean },
): PrincipleView {
  const whole = p.answeredAs !== 'parts' && p.items.length === 1 && p.items[0].id === p.id;
  return {
    id: p.id,
    heading: `Principle ${p.id} — ${mdText(p.title)}`,
    requirement: mdText(p.requirement),
    whole,
    answered: p.answeredAs !== 'none',
    items: p.items.map((i) => itemView(i, { sub: !whole, ...context })),
  };
}

/** Builds the statement's view model. Pure; does not mutate the model. */
export function statementView(model: Model, extras: RenderExtras = {}): StatementView {
  const d = model.document;
  const tierNames = model.tiers.map((t) => cell(t.name));
  const answered = model.items.filter((i) => i.answered);
  const rows = answered.map((i) => {
    const marks = model.tiers.map((t) => {
      const a = i.tiers.find((x) => x.tier.id === t.id);
      return a ? RESPONSIBILITY_LABELS[a.responsibility] : '';
    });
    return `| ${i.id} ${cell(i.title)} | ${marks.join(' | ')} |`;
  });
  const view: StatementView = {
    title: mdText(d.title),
    shortTitle: mdText(shortTitle(model)),
    provider: {
      name: mdText(model.provider.name),
      ...(model.provider.team ? { team: mdText(model.provider.team) } : {}),
      ...(model.provider.email ? { email: mdText(model.provider.email) } : {}),
      ...(model.provider.phone ? { phone: mdText(model.provider.phone) } : {}),
      ...(model.provider.address ? { address: mdText(model.provider.address) } : {}),
    },
    service: {
      name: mdText(model.service.name),
      ...(model.service.summary
        ? {
            summary: mdText(model.service.summary),
            summarySentence: mdText(asSentence(model.service.summary)),
          }
        : {}),
    },
    hasContact: Boolean(model.provider.email || model.provider.phone || model.provider.address),
    document: {
      title: mdText(d.title),
      version: mdText(d.version),
      issued: d.issued,
      review: d.review,
      ...(d.classification ? { classification: mdText(d.classification) } : {}),
      changes: mdText(d.changes ?? 'This version.'),
      history: d.history.map((h) => ({
        version: mdText(h.version),
        issued: h.issued,
        summary: mdText(h.summary ?? ''),
      })),
    },
    framework: {
      title: mdText(model.framework.title),
      version: mdText(model.framework.version),
      ...(model.framework.publisher ? { publisher: mdText(model.framework.publisher) } : {}),
      ...(model.framework.attribution ? { attribution: mdText(model.framework.attribution) } : {}),
    },
    draft: Boolean(extras.draft),
    tiers: model.tiers.map((t) => ({
      name: mdText(t.name),
      ...(t.summary ? { summary: mdText(t.summary) } : {}),
    })),
    multipleTiers: model.tiers.length > 1,
    matrix: {
      header: `| Principle | ${tierNames.join(' | ')} |`,
      divider: `|${' --- |'.repeat(tierNames.length + 1)}`,
      rows,
    },
    legend: legendView({ provider: mdText(model.provider.name) }),
    principles: model.principles.map((p) =>
      principleView(p, {
        provider: mdText(model.provider.name),
        multipleTiers: model.tiers.length > 1,
      }),
    ),
    evidence: model.evidence.map((e) => ({
      name: mdText(e.name),
      issuer: mdText(e.issuer ?? '—'),
      reference: mdText(e.reference ?? '—'),
      ...(e.expires ? { expires: e.expires } : {}),
    })),
    signatory: {
      name: mdText(model.signatory.name),
      role: mdText(model.signatory.role),
      date: extras.signature?.date ?? d.issued,
      ...(extras.signature?.subject ? { signedBy: mdText(extras.signature.subject) } : {}),
    },
    unanswered: model.unanswered,
  };
  // One review date for every answer (the usual yearly review) is said once, above the principles.
  const items = view.principles.flatMap((p) => p.items).filter((i) => i.answered);
  const dates = new Set(items.map((i) => i.lastReviewed));
  if (items.length && dates.size === 1 && items[0].lastReviewed) {
    view.reviewedAll = items[0].lastReviewed;
    for (const i of items) {
      delete i.lastReviewed;
      const line = assuranceLine(i);
      if (line) i.assuranceLine = line;
      else delete i.assuranceLine;
    }
  }
  const only = model.tiers.length === 1 ? model.tiers[0] : undefined;
  if (only) {
    view.tier = {
      name: mdText(only.name),
      ...(only.summary
        ? { summary: mdText(only.summary), summarySentence: mdText(asSentence(only.summary)) }
        : {}),
    };
  }
  if (extras.buyer) view.buyer = mdText(extras.buyer);
  if (extras.reference) view.reference = mdText(extras.reference);
  if (extras.changes) view.changes = extras.changes;
  return view;
}

/**
 * The running-header title: the framework's short name, as buyers file these documents; a
 * one-tier document (a tender for one tier) names its tier too.
 */
export function shortTitle(model: Model): string {
  const tier = model.tiers.length === 1 ? ` · ${model.tiers[0].name} tier` : '';
  return `${model.provider.name} · ${model.framework.title}${tier}`;
}

/**
 * A summary written as a phrase or a sentence, made a sentence of its own: a capital first
 * letter and one closing full stop ("As unmanaged, … on it." not "…, As unmanaged, … on it..").
 */
export function asSentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) return t;
  const capital = t[0].toLocaleUpperCase('en-GB') + t.slice(1);
  return /[.!?…]["')\]]?$/.test(capital) ? capital : `${capital}.`;
}
