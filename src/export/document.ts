import type { Responsibility } from '../answers/schema';
import type { Model, ModelItem } from '../model/types';
import { ASSURANCE_LABEL, RESPONSIBILITY_LABEL, evidenceLine, longDate, monthYear } from './labels';
import type { Run } from './markdown';

/**
 * The statement as a list of blocks, made once from the model and written out by the Markdown,
 * HTML and DOCX writers, so the three say the same thing in the same order.
 */

export type HeadingLevel = 1 | 2 | 3 | 4 | 5;

export interface Cell {
  text: string;
  /** Set on responsibility-matrix cells: writers colour them (and always print the text). */
  responsibility?: Responsibility;
}

export type Block =
  | { type: 'heading'; level: HeadingLevel; text: string; id: string }
  | { type: 'paragraph'; runs: Run[]; role?: 'subtitle' | 'marking' }
  | {
      type: 'markdown';
      /** The user's Markdown (an answer): rendered safely, its headings placed below `headingBase`. */
      markdown: string;
      headingBase: HeadingLevel;
    }
  | { type: 'list'; items: Run[][] }
  | {
      type: 'table';
      caption: string;
      head: string[];
      rows: Cell[][];
      /** The first cell of each row heads its row. */
      rowHeaders: boolean;
    };

export interface ExportDocument {
  title: string;
  /** Short title for running headers. */
  shortTitle: string;
  author: string;
  subject: string;
  keywords: string[];
  classification?: string;
  lang: 'en-GB';
  blocks: Block[];
}

const b = (text: string): Run => ({ text, bold: true });
const t = (text: string): Run => ({ text });
const p = (...runs: Run[]): Block => ({ type: 'paragraph', runs });

function heading(level: HeadingLevel, text: string, id: string): Block {
  return { type: 'heading', level, text, id };
}

function deeper(level: HeadingLevel): HeadingLevel {
  return Math.min(level + 1, 5) as HeadingLevel;
}

/** Builds the document the md, html and docx exports write. Does not change the model. */
export function buildExportDocument(model: Model): ExportDocument {
  const { provider, service, document: doc, framework } = model;
  const blocks: Block[] = [];
  const push = (...bs: Block[]) => blocks.push(...bs);
  const single = model.tiers.length === 1;

  push(heading(1, doc.title, 'title'));
  push({
    type: 'paragraph',
    role: 'subtitle',
    runs: [t(`${provider.name}: ${service.name}`)],
  });
  push({
    type: 'paragraph',
    role: 'subtitle',
    runs: [t(`Version ${doc.version}, ${monthYear(doc.issued)}`)],
  });
  if (model.customer) {
    push({
      type: 'paragraph',
      role: 'subtitle',
      runs: [t(`Prepared by ${model.customer.name} for the ${model.customer.tier.name} tier`)],
    });
  }
  if (doc.classification) {
    push({ type: 'paragraph', role: 'marking', runs: [b(doc.classification)] });
  }

  push(heading(2, 'About this document', 'about'));
  push(
    p(
      t(
        `This document sets out how ${service.name}, provided by ${provider.name}, meets the ` +
          `${framework.title} (version ${framework.version}), and which responsibilities fall to ` +
          `the customer in ${single ? 'the service tier it covers' : 'each service tier'}.`,
      ),
    ),
  );
  if (service.summary) push(p(t(service.summary)));
  if (model.customer) {
    push(
      p(
        t(
          `It also records how ${model.customer.name} meets the responsibilities that fall to it ` +
            `in the ${model.customer.tier.name} tier.`,
        ),
      ),
    );
  }
  if (model.unanswered.length) {
    push(p(b('Not yet answered: '), t(`principles ${model.unanswered.join(', ')}.`)));
  }
  if (framework.attribution) push(p({ text: framework.attribution, italic: true }));

  push(heading(2, 'Shared responsibility', 'responsibility'));
  push(
    p(
      t(
        `Who is responsible for each principle depends on the service tier. ` +
          `${single ? 'This document covers one tier:' : 'The tiers are:'}`,
      ),
    ),
  );
  push({
    type: 'list',
    items: model.tiers.map((tier) => [
      b(tier.name),
      ...(tier.summary ? [t(`: ${tier.summary}`)] : []),
    ]),
  });
  push({
    type: 'table',
    caption: 'Responsibility matrix',
    head: ['Principle', ...model.tiers.map((tier) => tier.name)],
    rowHeaders: true,
    rows: model.items.map((item) => [
      { text: `${item.id} ${item.title}` },
      ...model.tiers.map((tier): Cell => {
        const ta = item.tiers.find((x) => x.tier.id === tier.id);
        return ta
          ? { text: RESPONSIBILITY_LABEL[ta.responsibility], responsibility: ta.responsibility }
          : { text: 'Not answered' };
      }),
    ]),
  });

  push(heading(2, 'The principles', 'principles'));
  for (const principle of model.principles) {
    push(heading(3, `Principle ${principle.id}: ${principle.title}`, `principle-${principle.id}`));
    const parts = principle.items.length > 1 || principle.items[0]?.id !== principle.id;
    if (parts) {
      push(p(b('Requirement: '), t(principle.requirement)));
      for (const item of principle.items) {
        push(heading(4, `${item.id} ${item.title}`, `principle-${item.id}`));
        pushItem(push, model, item, 5);
      }
    } else {
      pushItem(push, model, principle.items[0], 4);
    }
  }

  push(heading(2, 'Assurance and evidence', 'evidence'));
  if (model.evidence.length) {
    push({
      type: 'table',
      caption: 'Certifications and reports',
      head: ['Evidence', 'Issuer', 'Reference', 'Expires'],
      rowHeaders: true,
      rows: model.evidence.map((e) => [
        { text: e.name },
        { text: e.issuer ?? '' },
        { text: e.reference ?? '' },
        { text: e.expires ? longDate(e.expires) : '' },
      ]),
    });
  } else {
    push(p(t('No certifications or reports are listed.')));
  }
  if (model.policies.length) {
    push(heading(2, 'Policies', 'policies'));
    push({
      type: 'table',
      caption: 'Policies in force',
      head: ['Policy', 'Last reviewed'],
      rowHeaders: true,
      rows: model.policies.map((pol) => [
        { text: pol.name },
        { text: pol.reviewed ? longDate(pol.reviewed) : '' },
      ]),
    });
  }

  push(heading(2, 'Document control', 'document-control'));
  push({
    type: 'table',
    caption: 'Document details',
    head: ['Item', 'Detail'],
    rowHeaders: true,
    rows: [
      ['Version', doc.version],
      ['Issued', longDate(doc.issued)],
      ['Next review', longDate(doc.review)],
      ['Owner', `${model.signatory.name}, ${model.signatory.role}`],
      ...(doc.classification ? [['Classification', doc.classification]] : []),
    ].map((r) => r.map((text) => ({ text }))),
  });
  push(heading(3, 'Version history', 'history'));
  push({
    type: 'table',
    caption: 'Version history',
    head: ['Version', 'Issued', 'Summary'],
    rowHeaders: true,
    rows: [
      { version: doc.version, issued: doc.issued, summary: doc.changes ?? 'This version.' },
      ...doc.history,
    ].map((h) => [{ text: h.version }, { text: longDate(h.issued) }, { text: h.summary ?? '' }]),
  });

  const contact = [
    provider.team ? `${provider.team}, ${provider.name}` : provider.name,
    provider.address,
    provider.email ? `Email: ${provider.email}` : undefined,
    provider.phone ? `Telephone: ${provider.phone}` : undefined,
  ].filter((x): x is string => Boolean(x));
  push(heading(2, 'Contact', 'contact'));
  push({
    type: 'paragraph',
    runs: contact.flatMap((line, i) => (i ? [{ text: '', br: true }, t(line)] : [t(line)])),
  });

  return {
    title: doc.title,
    shortTitle: `${provider.name}: ${doc.title}`,
    author: provider.name,
    subject: `${service.name}: ${framework.title}`,
    keywords: [framework.title, provider.name, service.name, ...model.tiers.map((x) => x.name)],
    ...(doc.classification ? { classification: doc.classification } : {}),
    lang: 'en-GB',
    blocks,
  };
}

function pushItem(
  push: (...bs: Block[]) => void,
  model: Model,
  item: ModelItem,
  level: HeadingLevel,
): void {
  const { provider } = model;
  push(p(b('Requirement: '), t(item.requirement)));
  if (!item.answered) {
    push(p({ text: 'Not answered yet.', italic: true }));
    return;
  }
  push(heading(level, `How ${provider.name} adheres`, `adheres-${item.id}`));
  push({ type: 'markdown', markdown: item.provider, headingBase: level });
  const facts: Run[] = [];
  if (item.assurance) facts.push(b('Assurance: '), t(ASSURANCE_LABEL[item.assurance]));
  if (facts.length) push(p(...facts));
  if (item.evidence.length) {
    push(p(b('Evidence: '), t(item.evidence.map(evidenceLine).join('; '))));
  }

  push(heading(level, 'Your responsibilities', `responsibilities-${item.id}`));
  const carried = item.tiers.filter((x) => x.customer || x.responsibility === 'not-applicable');
  const onProvider = item.tiers.filter((x) => x.responsibility === 'provider');
  for (const ta of carried) {
    push(p(b(`${ta.tier.name} (${RESPONSIBILITY_LABEL[ta.responsibility]})`)));
    if (ta.customer) push({ type: 'markdown', markdown: ta.customer, headingBase: deeper(level) });
    else push(p(t('This principle does not apply to this tier.')));
  }
  if (onProvider.length) {
    const names = onProvider.map((x) => x.tier.name);
    push(
      p(
        t(
          onProvider.length === item.tiers.length
            ? `${provider.name} carries all of this principle${item.tiers.length > 1 ? ' in every tier' : ''}; there is nothing for the customer to do.`
            : `${provider.name} carries all of this principle in the ${joinAnd(names)} tier${names.length > 1 ? 's' : ''}.`,
        ),
      ),
    );
  }
  if (model.customer) {
    push(heading(level, `How ${model.customer.name} meets its part`, `customer-${item.id}`));
    if (item.customerAnswer) {
      push({ type: 'markdown', markdown: item.customerAnswer, headingBase: level });
    } else if (carried.some((x) => x.customer)) {
      push(p({ text: 'Not answered yet.', italic: true }));
    } else {
      push(p(t('Nothing to answer: the provider carries all of this principle.')));
    }
  }
}

function joinAnd(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
