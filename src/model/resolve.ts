import path from 'node:path';
import { own } from '../own';
import {
  customerItemIds,
  tierResponsibility,
  type ParsedAnswers,
  type ParsedCustomer,
} from '../answers/parse';
import { readAny } from '../answers/read';
import { UsageError, type Diagnostic } from '../errors';
import { closest } from '../text/suggest';
import { applyAudience, DEFAULT_AUDIENCE, type Audience } from './audience';
import { lifecycleOf } from './lifecycle';
import type { Model, ModelItem, ModelPrinciple, ModelTier } from './types';

export interface ResolveOptions {
  /** Only these tiers (ids), in this order; all when empty. */
  tiers?: string[];
  /** The answers file, for resolving the logo path. */
  sourceFile?: string;
}

/**
 * Resolves checked answers against their catalogue into the model every output is made from.
 * Does not mutate its input.
 */
export function resolveModel(parsed: ParsedAnswers, options: ResolveOptions = {}): Model {
  const { answers: a, catalogue: cat } = parsed;
  const tiers = pickTiers(a.tiers, options.tiers);
  const evidenceById = new Map((a.evidence ?? []).map((e) => [e.id, { ...e }]));
  const makeItem = (id: string): ModelItem => {
    const c = cat.byId.get(id)!;
    const ans = own(a.answers, id);
    const base = {
      id,
      title: c.title,
      requirement: c.requirement,
      ...(c.parent ? { parent: c.parent } : {}),
      ...((c.maxWords ?? cat.meta.maxWords) ? { maxWords: c.maxWords ?? cat.meta.maxWords } : {}),
    };
    if (!ans) return { ...base, answered: false, provider: '', evidence: [], tiers: [] };
    return {
      ...base,
      answered: true,
      ...(ans.summary ? { summary: ans.summary } : {}),
      provider: ans.provider,
      ...(ans.assurance ? { assurance: ans.assurance } : {}),
      evidence: (ans.evidence ?? []).map((e) => evidenceById.get(e)!).filter(Boolean),
      tiers: tiers.map((tier) => {
        const { responsibility, customer } = tierResponsibility(own(ans.tiers, tier.id)!);
        return { tier, responsibility, ...(customer ? { customer } : {}) };
      }),
      lifecycle: lifecycleOf(ans, a.document.maxAge),
    };
  };
  const principles: ModelPrinciple[] = cat.items
    .filter((i) => !i.parent)
    .map((p) => {
      const whole = Boolean(own(a.answers, p.id));
      const parts = p.children.some((c) => own(a.answers, c));
      const items = whole || p.children.length === 0 ? [makeItem(p.id)] : p.children.map(makeItem);
      return {
        id: p.id,
        title: p.title,
        requirement: p.requirement,
        ...(p.url ? { url: p.url } : {}),
        answeredAs: whole ? 'whole' : parts ? 'parts' : 'none',
        items,
      };
    });
  const items = principles.flatMap((p) => p.items);
  const logo =
    a.provider.logo && options.sourceFile
      ? path.resolve(path.dirname(path.resolve(options.sourceFile)), a.provider.logo)
      : undefined;
  return {
    kind: 'statement',
    ...(options.sourceFile ? { sourceFile: options.sourceFile } : {}),
    framework: {
      id: cat.meta.id,
      title: cat.meta.title,
      version: cat.meta.version,
      ...(cat.meta.publisher ? { publisher: cat.meta.publisher } : {}),
      ...(cat.meta.source ? { source: cat.meta.source } : {}),
      ...(cat.meta.attribution ? { attribution: cat.meta.attribution } : {}),
    },
    provider: { ...a.provider, ...(logo ? { logo } : {}) },
    service: { ...a.service },
    tiers,
    document: {
      title: a.document.title,
      version: a.document.version,
      issued: a.document.issued,
      review: a.document.review,
      ...(a.document.classification ? { classification: a.document.classification } : {}),
      ...(a.document.changes ? { changes: a.document.changes } : {}),
      history: (a.document.history ?? []).map((h) => ({ ...h })),
      ...(a.document.approval ? { approval: a.document.approval } : {}),
      ...(a.document.maxAge ? { maxAge: a.document.maxAge } : {}),
    },
    signatory: { ...a.signatory },
    evidence: [...evidenceById.values()],
    policies: (a.policies ?? []).map((p) => ({ ...p })),
    principles,
    items,
    unanswered: items.filter((i) => !i.answered).map((i) => i.id),
  };
}

function pickTiers(
  all: { id: string; name: string; summary?: string }[],
  wanted?: string[],
): ModelTier[] {
  if (!wanted?.length) return all.map((t) => ({ ...t }));
  const ids = all.map((t) => t.id);
  // `--tier managed --tier managed` means the tier once.
  return [...new Set(wanted)].map((id) => {
    const t = all.find((x) => x.id === id);
    if (!t) {
      const guess = closest(id, ids);
      throw new UsageError(
        `--tier ${id}: no such tier (${guess ? `did you mean ${guess}? ` : ''}tiers are: ${ids.join(', ')})`,
      );
    }
    return { ...t };
  });
}

/**
 * The customer's document model: the provider's statement narrowed to the customer's tier,
 * each item carrying the customer's own answer where they gave one.
 */
export function resolveCustomerModel(parsed: ParsedCustomer): Model {
  const { customer: c, provider, providerFile } = parsed;
  const base = resolveModel(provider, { tiers: [c.tier], sourceFile: providerFile });
  const withAnswer = (item: ModelItem): ModelItem => {
    const own = c.answers?.[item.id]?.customer;
    return own ? { ...item, customerAnswer: own } : { ...item };
  };
  const principles = base.principles.map((p) => ({ ...p, items: p.items.map(withAnswer) }));
  // The customer's own unanswered parts count like the provider's: a build refuses them
  // unless --draft, so a final customer document never has a part left blank.
  const own = customerItemIds(provider.answers, c.tier, provider.catalogue).filter(
    (id) => !c.answers?.[id]?.customer,
  );
  return {
    ...base,
    kind: 'customer',
    unanswered: [...new Set([...base.unanswered, ...own])],
    principles,
    items: principles.flatMap((p) => p.items),
    customer: {
      name: c.customer.name,
      ...(c.customer.team ? { team: c.customer.team } : {}),
      tier: base.tiers[0],
      signatory: { ...c.signatory },
      ...(c.date ? { date: c.date } : {}),
    },
  };
}

/**
 * Reads a provider or customer answers file and resolves it into a model.
 * Throws CheckError (invalid input) or IoError (unreadable file).
 */
export function loadModel(
  file: string,
  /** `text`: the file's content when already read (standard input for `-`). */
  options: { tiers?: string[]; audience?: Audience; text?: string } = {},
): { model: Model; warnings: Diagnostic[] } {
  const { audience = DEFAULT_AUDIENCE, ...rest } = options;
  const { model, warnings } = loadFullModel(file, rest);
  // NOTE: every document and export is made from a model narrowed to its audience, so internal
  // answers and anything above the audience's level never reach one.
  return { model: applyAudience(model, audience), warnings };
}

function loadFullModel(
  file: string,
  options: { tiers?: string[]; text?: string },
): { model: Model; warnings: Diagnostic[] } {
  const { text, ...rest } = options;
  const parsed = readAny(file, text);
  if (parsed.kind === 'customer') {
    if (options.tiers?.length) {
      throw new UsageError(
        '--tier does not apply to a customer file (its tier is set in the file)',
      );
    }
    return {
      model: { ...resolveCustomerModel(parsed.value), sourceFile: file },
      warnings: parsed.warnings,
    };
  }
  return {
    model: resolveModel(parsed.value, { ...rest, sourceFile: file }),
    warnings: parsed.warnings,
  };
}
