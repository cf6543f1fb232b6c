import type { Model, ModelItem, ModelTier } from '../model/types';
import { uuidV5 } from './uuid';
import { answerLead } from '../text/sentence';

/**
 * The answers as an OSCAL 1.1.2 component definition (JSON), shaped like NIST's published
 * examples (usnistgov/oscal-content, examples/component-definition): one `service` component;
 * one control implementation per tier, with an implemented requirement per answered principle;
 * in each, a statement of what the provider provides (role `provider`) and, where the customer
 * carries any of it, a statement of the customer's responsibility (role `customer`).
 * Every UUID is name-based (v5), so the same answers always give the same file.
 */

export const OSCAL_VERSION = '1.1.2';
/** Namespace of srq's own properties (responsibility, assurance, tier, expiry). */
export const SRQ_OSCAL_NS = 'urn:srq:oscal';

type Json = Record<string, unknown>;

/** OSCAL control ids are tokens (a letter first; letters, digits, . - _). */
export function controlId(itemId: string): string {
  return `principle-${itemId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

function prop(name: string, value: string): Json {
  return { name, ns: SRQ_OSCAL_NS, value };
}

function dateTime(iso: string): string {
  return `${iso}T00:00:00Z`;
}

export function exportOscal(model: Model): string {
  const { provider, service, document: doc, framework } = model;
  const base = `${provider.name}|${service.name}|${doc.version}`;
  const id = (...parts: string[]) => uuidV5([base, ...parts].join('|'));
  const partyUuid = uuidV5(`party|${provider.name}`);
  const customerPartyUuid = model.customer ? uuidV5(`party|${model.customer.name}`) : undefined;
  const frameworkUuid = uuidV5(`framework|${framework.id}|${framework.version}`);
  const evidenceUuid = (eid: string) => id('evidence', eid);

  const requirement = (item: ModelItem, tier: ModelTier): Json | undefined => {
    const ta = item.tiers.find((x) => x.tier.id === tier.id);
    if (!item.answered || !ta) return undefined;
    const cid = controlId(item.id);
    const r = ta.responsibility;
    const provides = r !== 'not-applicable';
    const customerRole = customerPartyUuid
      ? { 'role-id': 'customer', 'party-uuids': [customerPartyUuid] }
      : { 'role-id': 'customer' };
    const roles =
      r === 'provider'
        ? [{ 'role-id': 'provider', 'party-uuids': [partyUuid] }]
        : r === 'customer'
          ? [customerRole]
          : r === 'shared'
            ? [{ 'role-id': 'provider', 'party-uuids': [partyUuid] }, customerRole]
            : [];
    const statements: Json[] = [];
    if (provides) {
      statements.push({
        'statement-id': `${cid}_smt`,
        uuid: id('tier', tier.id, 'item', item.id, 'provided'),
        description: item.provider.trim(),
        props: [prop('statement-type', 'provided')],
        'responsible-roles': [{ 'role-id': 'provider', 'party-uuids': [partyUuid] }],
      });
    }
    if (ta.customer) {
      statements.push({
        'statement-id': `${cid}_smt.customer`,
        uuid: id('tier', tier.id, 'item', item.id, 'responsibility'),
        description: ta.customer.trim(),
        props: [prop('statement-type', 'responsibility')],
        'responsible-roles': [customerRole],
        ...(item.customerAnswer ? { remarks: item.customerAnswer.trim() } : {}),
      });
    }
    return {
      uuid: id('tier', tier.id, 'item', item.id),
      'control-id': cid,
      description: provides
        ? answerLead(item).text
        : `${item.id} ${item.title} does not apply to the ${tier.name} tier.`,
      props: [
        prop('principle', item.id),
        prop('responsibility', r),
        ...(item.assurance ? [prop('assurance', item.assurance)] : []),
      ],
      ...(item.evidence.length
        ? {
            links: item.evidence.map((e) => ({
              href: `#${evidenceUuid(e.id)}`,
              rel: 'reference',
              text: e.name,
            })),
          }
        : {}),
      ...(roles.length ? { 'responsible-roles': roles } : {}),
      ...(statements.length ? { statements } : {}),
    };
  };

  const controlImplementations = model.tiers
    .map((tier) => ({
      uuid: id('tier', tier.id),
      source: `#${frameworkUuid}`,
      description:
        `How ${service.name} meets the ${framework.title} in the ${tier.name} tier.` +
        (tier.summary ? ` ${tier.summary}` : ''),
      props: [prop('tier', tier.id)],
      'implemented-requirements': model.items
        .map((item) => requirement(item, tier))
        .filter((x): x is Json => Boolean(x)),
    }))
    .filter((ci) => ci['implemented-requirements'].length);

  const party: Json = {
    uuid: partyUuid,
    type: 'organization',
    name: provider.name,
    ...(provider.team ? { 'short-name': provider.team } : {}),
    ...(provider.email ? { 'email-addresses': [provider.email] } : {}),
    ...(provider.phone ? { 'telephone-numbers': [{ number: provider.phone }] } : {}),
    ...(provider.address ? { addresses: [{ 'addr-lines': [provider.address] }] } : {}),
  };
  const parties: Json[] = [party];
  if (model.customer && customerPartyUuid) {
    parties.push({ uuid: customerPartyUuid, type: 'organization', name: model.customer.name });
  }

  const resources: Json[] = [
    {
      uuid: frameworkUuid,
      title: `${framework.title} (version ${framework.version})`,
      ...(framework.attribution ? { description: framework.attribution } : {}),
      props: [prop('framework', framework.id)],
      ...(framework.source ? { rlinks: [{ href: framework.source }] } : {}),
    },
    ...model.evidence.map((e) => ({
      uuid: evidenceUuid(e.id),
      title: e.name,
      ...(e.issuer ? { description: `Issued by ${e.issuer}.` } : {}),
      props: [prop('evidence-id', e.id), ...(e.expires ? [prop('expires', e.expires)] : [])],
      ...(e.reference ? { 'document-ids': [{ identifier: e.reference }] } : {}),
    })),
  ];

  const out = {
    'component-definition': {
      uuid: uuidV5(
        [
          'component-definition',
          base,
          ...model.tiers.map((t) => t.id),
          model.customer?.name ?? '',
        ].join('|'),
      ),
      metadata: {
        title: `${service.name}: ${doc.title}`,
        published: dateTime(doc.issued),
        // NOTE: the issue date, not the clock, so unchanged answers give an identical file.
        'last-modified': dateTime(doc.issued),
        version: doc.version,
        'oscal-version': OSCAL_VERSION,
        ...(doc.history.length
          ? {
              revisions: doc.history.map((h) => ({
                published: dateTime(h.issued),
                version: h.version,
                ...(h.summary ? { remarks: h.summary } : {}),
              })),
            }
          : {}),
        props: [
          ...(doc.classification ? [prop('marking', doc.classification)] : []),
          prop('review-date', doc.review),
        ],
        roles: [
          { id: 'provider', title: 'Provider' },
          { id: 'customer', title: 'Customer' },
        ],
        parties,
        'responsible-parties': [
          { 'role-id': 'provider', 'party-uuids': [partyUuid] },
          ...(customerPartyUuid
            ? [{ 'role-id': 'customer', 'party-uuids': [customerPartyUuid] }]
            : []),
        ],
      },
      components: [
        {
          uuid: uuidV5(`component|${provider.name}|${service.name}`),
          type: 'service',
          title: service.name,
          description: service.summary ?? `${service.name}, provided by ${provider.name}.`,
          purpose: `A cloud service assessed against the ${framework.title}.`,
          'responsible-roles': [
            { 'role-id': 'provider', 'party-uuids': [partyUuid] },
            customerPartyUuid
              ? { 'role-id': 'customer', 'party-uuids': [customerPartyUuid] }
              : { 'role-id': 'customer' },
          ],
          ...(controlImplementations.length
            ? { 'control-implementations': controlImplementations }
            : {}),
        },
      ],
      'back-matter': { resources },
    },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
