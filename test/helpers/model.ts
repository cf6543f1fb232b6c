import { loadCatalogue } from '../../src/catalogue';
import type { Responsibility } from '../../src/answers/schema';
import type {
  Model,
  ModelEvidence,
  ModelItem,
  ModelPrinciple,
  ModelTier,
} from '../../src/model/types';

/**
 * Hand-built models for unit tests of render and layout, independent of the answers parser.
 * Every ncsc-2023 item is answered unless listed in `unanswered`.
 */
export interface TestModelOptions {
  tiers?: number;
  providerName?: string;
  /** Item ids left unanswered. */
  unanswered?: string[];
  /** Provider Markdown per item id, replacing the generated statement. */
  provider?: Record<string, string>;
  classification?: string | null;
  logo?: string;
}

const TIER_NAMES = [
  ['unmanaged', 'Unmanaged virtual servers'],
  ['managed', 'Managed hosting'],
  ['fully-managed', 'Fully managed application'],
  ['backup', 'Backup as a service'],
  ['dr', 'Disaster recovery'],
  ['colo', 'Colocation'],
] as const;

const CYCLE: Responsibility[] = ['shared', 'provider', 'customer', 'not-applicable'];

export function testModel(options: TestModelOptions = {}): Model {
  const cat = loadCatalogue('ncsc-2023');
  const providerName = options.providerName ?? 'Example Cloud Ltd';
  const tiers: ModelTier[] = TIER_NAMES.slice(0, options.tiers ?? 3).map(([id, name]) => ({
    id,
    name,
    summary: `What ${name.toLowerCase()} covers.`,
  }));
  const evidence: ModelEvidence[] = [
    {
      id: 'iso27001',
      name: 'ISO/IEC 27001:2022 certification',
      issuer: 'Example Certification Ltd',
      reference: 'IS 123456',
      expires: '2027-03-31',
    },
    {
      id: 'ce-plus',
      name: 'Cyber Essentials Plus',
      issuer: 'Example Assessors Ltd',
      expires: '2027-05-20',
    },
  ];
  const unanswered = new Set(options.unanswered ?? []);
  const makeItem = (id: string, index: number): ModelItem => {
    const c = cat.byId.get(id)!;
    const answered = !unanswered.has(id);
    return {
      id,
      title: c.title,
      requirement: c.requirement,
      ...(c.parent ? { parent: c.parent } : {}),
      answered,
      provider: answered
        ? (options.provider?.[id] ??
          `Provider statement for ${id}: we protect this with **strong** controls.\n\n- First measure for ${id}\n- Second measure for ${id}`)
        : '',
      ...(answered ? { assurance: 'independent-validation' as const } : {}),
      evidence: answered ? [evidence[0]] : [],
      tiers: answered
        ? tiers.map((tier, t) => {
            const responsibility = CYCLE[(index + t) % CYCLE.length];
            const carries = responsibility === 'customer' || responsibility === 'shared';
            return {
              tier,
              responsibility,
              ...(carries ? { customer: `Customer duty for ${id} on ${tier.id}.` } : {}),
            };
          })
        : [],
    };
  };
  const principles: ModelPrinciple[] = [];
  const items: ModelItem[] = [];
  let index = 0;
  for (const c of cat.items) {
    if (c.parent) continue;
    const ids = c.children.length ? c.children : [c.id];
    const its = ids.map((id) => makeItem(id, index++));
    items.push(...its);
    const anyAnswered = its.some((i) => i.answered);
    principles.push({
      id: c.id,
      title: c.title,
      requirement: c.requirement,
      answeredAs: !anyAnswered ? 'none' : c.children.length ? 'parts' : 'whole',
      items: its,
    });
  }
  return {
    kind: 'statement',
    framework: {
      id: 'ncsc-2023',
      title: cat.meta.title,
      version: cat.meta.version,
      ...(cat.meta.publisher ? { publisher: cat.meta.publisher } : {}),
    },
    provider: {
      name: providerName,
      team: 'Compliance Department',
      email: 'compliance@example.com',
      phone: '+44 141 496 0000',
      address: '1 Example Street, Glasgow, G1 1AA',
      ...(options.logo ? { logo: options.logo } : {}),
    },
    service: {
      name: 'Example Cloud Hosting',
      summary: 'Virtual servers and managed hosting from UK data centres.',
    },
    tiers,
    document: {
      title: 'Following the NCSC Cloud Security Principles',
      version: '3.0',
      issued: '2026-11-22',
      review: '2027-11-22',
      ...(options.classification === null
        ? {}
        : { classification: options.classification ?? 'OFFICIAL' }),
      history: [
        { version: '2.0', issued: '2025-11-20', summary: 'Annual review; added the managed tier.' },
      ],
    },
    signatory: { name: 'Alex Morgan', role: 'Head of Compliance' },
    evidence,
    policies: [{ name: 'Information Security Policy', reviewed: '2026-06-01' }],
    principles,
    items,
    unanswered: items.filter((i) => !i.answered).map((i) => i.id),
  };
}
