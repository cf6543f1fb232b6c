import type { Model, ModelEvidence, ModelItem } from '../model/types';
import type {
  Diff,
  DiffCounts,
  DiffSide,
  EvidenceChange,
  FieldChange,
  ItemChange,
  TierAnswerChange,
  TierChange,
} from './types';
import { diffText } from './words';

export interface DiffOptions {
  /** How the user named each side (a path, or `path@rev`), for headings. */
  oldLabel?: string;
  newLabel?: string;
  /** Compare only these tiers (a build narrowed with --tier); all when empty. */
  tiers?: string[];
}

/** Records `name` as changed when its old and new values differ (blank counts as absent). */
function field(out: FieldChange[], name: string, [a, b]: [string | undefined, string | undefined]) {
  const x = a?.trim() ? a : undefined;
  const y = b?.trim() ? b : undefined;
  if (x !== y)
    out.push({
      field: name,
      ...(x !== undefined ? { old: x } : {}),
      ...(y !== undefined ? { new: y } : {}),
    });
}

function side(m: Model, label: string | undefined): DiffSide {
  return {
    ...(m.sourceFile ? { file: m.sourceFile } : {}),
    ...(label ? { label } : {}),
    version: m.document.version,
    issued: m.document.issued,
    provider: m.provider.name,
    service: m.service.name,
  };
}

function evidenceFields(e: ModelEvidence): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of ['name', 'issuer', 'reference', 'expires'] as const) {
    if (e[k]) out.push({ field: k, new: e[k] });
  }
  return out;
}

/**
 * What changed between two versions of a provider's (or customer's) answers, as plain data.
 * Pure: compares two resolved models and never mutates them. Texts are compared after
 * normalising whitespace, so re-wrapping a paragraph is not reported.
 */
export function diffModels(oldModel: Model, newModel: Model, options: DiffOptions = {}): Diff {
  const only = options.tiers?.length ? new Set(options.tiers) : undefined;
  const inScope = (id: string) => !only || only.has(id);

  const document: FieldChange[] = [];
  field(document, 'framework', [oldModel.framework.id, newModel.framework.id]);
  field(document, 'title', [oldModel.document.title, newModel.document.title]);
  field(document, 'version', [oldModel.document.version, newModel.document.version]);
  field(document, 'issued', [oldModel.document.issued, newModel.document.issued]);
  field(document, 'review', [oldModel.document.review, newModel.document.review]);
  field(document, 'classification', [
    oldModel.document.classification,
    newModel.document.classification,
  ]);
  for (const k of ['name', 'team', 'email', 'phone', 'address'] as const) {
    field(document, `provider.${k}`, [oldModel.provider[k], newModel.provider[k]]);
  }
  field(document, 'provider.logo', [oldModel.provider.logo, newModel.provider.logo]);
  field(document, 'service.name', [oldModel.service.name, newModel.service.name]);
  field(document, 'service.summary', [oldModel.service.summary, newModel.service.summary]);
  field(document, 'signatory.name', [oldModel.signatory.name, newModel.signatory.name]);
  field(document, 'signatory.role', [oldModel.signatory.role, newModel.signatory.role]);
  if (oldModel.customer || newModel.customer) {
    field(document, 'customer.name', [oldModel.customer?.name, newModel.customer?.name]);
    field(document, 'customer.tier', [oldModel.customer?.tier.id, newModel.customer?.tier.id]);
    field(document, 'customer.signatory.name', [
      oldModel.customer?.signatory.name,
      newModel.customer?.signatory.name,
    ]);
    field(document, 'customer.signatory.role', [
      oldModel.customer?.signatory.role,
      newModel.customer?.signatory.role,
    ]);
  }

  const histKey = (h: { version: string; issued: string }) => `${h.version}\u0000${h.issued}`;
  const oldHist = new Set(oldModel.document.history.map(histKey));
  const newHist = new Set(newModel.document.history.map(histKey));
  const history = {
    added: newModel.document.history
      .filter((h) => !oldHist.has(histKey(h)))
      .map((h) => ({ version: h.version, issued: h.issued })),
    removed: oldModel.document.history
      .filter((h) => !newHist.has(histKey(h)))
      .map((h) => ({ version: h.version, issued: h.issued })),
  };

  // Tiers
  const oldTiers = new Map(oldModel.tiers.filter((t) => inScope(t.id)).map((t) => [t.id, t]));
  const newTiers = new Map(newModel.tiers.filter((t) => inScope(t.id)).map((t) => [t.id, t]));
  const tiers = {
    added: [...newTiers.values()]
      .filter((t) => !oldTiers.has(t.id))
      .map((t) => ({ id: t.id, name: t.name })),
    removed: [...oldTiers.values()]
      .filter((t) => !newTiers.has(t.id))
      .map((t) => ({ id: t.id, name: t.name })),
    changed: [] as TierChange[],
  };
  for (const t of newTiers.values()) {
    const o = oldTiers.get(t.id);
    if (!o) continue;
    const changes: FieldChange[] = [];
    field(changes, 'name', [o.name, t.name]);
    field(changes, 'summary', [o.summary, t.summary]);
    if (changes.length) tiers.changed.push({ id: t.id, name: t.name, changes });
  }

  // Evidence
  const oldEv = new Map(oldModel.evidence.map((e) => [e.id, e]));
  const newEv = new Map(newModel.evidence.map((e) => [e.id, e]));
  const evidence = {
    added: newModel.evidence
      .filter((e) => !oldEv.has(e.id))
      .map((e) => ({ id: e.id, name: e.name, changes: evidenceFields(e) })),
    removed: oldModel.evidence
      .filter((e) => !newEv.has(e.id))
      .map((e) => ({ id: e.id, name: e.name, changes: [] })),
    changed: [] as EvidenceChange[],
  };
  for (const e of newModel.evidence) {
    const o = oldEv.get(e.id);
    if (!o) continue;
    const changes: FieldChange[] = [];
    for (const k of ['name', 'issuer', 'reference', 'expires'] as const)
      field(changes, k, [o[k], e[k]]);
    if (changes.length) evidence.changed.push({ id: e.id, name: e.name, changes });
  }

  // Policies, matched by name.
  const oldPol = new Map(oldModel.policies.map((p) => [p.name, p]));
  const newPol = new Map(newModel.policies.map((p) => [p.name, p]));
  const policies = {
    added: newModel.policies
      .filter((p) => !oldPol.has(p.name))
      .map((p) => ({ field: p.name, ...(p.reviewed ? { new: p.reviewed } : {}) })),
    removed: oldModel.policies
      .filter((p) => !newPol.has(p.name))
      .map((p) => ({ field: p.name, ...(p.reviewed ? { old: p.reviewed } : {}) })),
    changed: [] as FieldChange[],
  };
  for (const p of newModel.policies) {
    const o = oldPol.get(p.name);
    if (o) field(policies.changed, p.name, [o.reviewed, p.reviewed]);
  }

  // Principles and sub-principles
  const answered = (m: Model) => new Map(m.items.filter((i) => i.answered).map((i) => [i.id, i]));
  const oldItems = answered(oldModel);
  const newItems = answered(newModel);
  const items: ItemChange[] = [];
  const head = (i: ModelItem) => ({
    id: i.id,
    title: i.title,
    ...(i.parent ? { parent: i.parent } : {}),
  });
  for (const n of newModel.items) {
    if (!n.answered) continue;
    const o = oldItems.get(n.id);
    if (!o) {
      items.push({ ...head(n), kind: 'added', tiers: [] });
      continue;
    }
    const change = diffItem(o, n, inScope);
    if (change) items.push(change);
  }
  for (const o of oldModel.items) {
    if (o.answered && !newItems.has(o.id)) items.push({ ...head(o), kind: 'removed', tiers: [] });
  }

  const counts: DiffCounts = {
    itemsChanged: items.filter((i) => i.kind === 'changed').length,
    itemsAdded: items.filter((i) => i.kind === 'added').length,
    itemsRemoved: items.filter((i) => i.kind === 'removed').length,
    responsibilityChanges: items.reduce(
      (n, i) => n + i.tiers.filter((t) => t.responsibility).length,
      0,
    ),
    textChanges: items.reduce(
      (n, i) =>
        n +
        (i.provider ? 1 : 0) +
        (i.summary ? 1 : 0) +
        (i.customerAnswer ? 1 : 0) +
        i.tiers.filter((t) => t.customer).length,
      0,
    ),
    tiersAdded: tiers.added.length,
    tiersRemoved: tiers.removed.length,
    tiersChanged: tiers.changed.length,
    evidenceAdded: evidence.added.length,
    evidenceRemoved: evidence.removed.length,
    evidenceChanged: evidence.changed.length,
    policiesChanged: policies.added.length + policies.removed.length + policies.changed.length,
    documentChanges: document.length + history.added.length + history.removed.length,
    total: 0,
  };
  counts.total =
    items.length +
    tiers.added.length +
    tiers.removed.length +
    tiers.changed.length +
    evidence.added.length +
    evidence.removed.length +
    evidence.changed.length +
    counts.policiesChanged +
    counts.documentChanges;

  return {
    old: side(oldModel, options.oldLabel),
    new: side(newModel, options.newLabel),
    counts,
    document,
    history,
    tiers,
    evidence,
    policies,
    items,
  };
}

function diffItem(
  o: ModelItem,
  n: ModelItem,
  inScope: (id: string) => boolean,
): ItemChange | undefined {
  const change: ItemChange = {
    id: n.id,
    title: n.title,
    ...(n.parent ? { parent: n.parent } : {}),
    kind: 'changed',
    tiers: [],
  };
  const summary = diffText(o.summary, n.summary);
  if (summary) change.summary = summary;
  const provider = diffText(o.provider, n.provider);
  if (provider) change.provider = provider;
  if (o.assurance !== n.assurance) {
    change.assurance = {
      ...(o.assurance ? { old: o.assurance } : {}),
      ...(n.assurance ? { new: n.assurance } : {}),
    };
  }
  const oldEv = new Set(o.evidence.map((e) => e.id));
  const newEv = new Set(n.evidence.map((e) => e.id));
  const evAdded = n.evidence
    .filter((e) => !oldEv.has(e.id))
    .map((e) => ({ id: e.id, name: e.name }));
  const evRemoved = o.evidence
    .filter((e) => !newEv.has(e.id))
    .map((e) => ({ id: e.id, name: e.name }));
  if (evAdded.length || evRemoved.length) change.evidence = { added: evAdded, removed: evRemoved };
  const oldTiers = new Map(o.tiers.map((t) => [t.tier.id, t]));
  for (const t of n.tiers) {
    const ot = oldTiers.get(t.tier.id);
    if (!ot || !inScope(t.tier.id)) continue;
    const tc: TierAnswerChange = { tier: { id: t.tier.id, name: t.tier.name } };
    if (ot.responsibility !== t.responsibility) {
      tc.responsibility = { old: ot.responsibility, new: t.responsibility };
    }
    const customer = diffText(ot.customer, t.customer);
    if (customer) tc.customer = customer;
    if (tc.responsibility || tc.customer) change.tiers.push(tc);
  }
  const own = diffText(o.customerAnswer, n.customerAnswer);
  if (own) change.customerAnswer = own;
  const lifecycle = diffLifecycle(o, n);
  if (lifecycle.length) change.lifecycle = lifecycle;
  const changed =
    change.summary ||
    change.provider ||
    change.assurance ||
    change.evidence ||
    change.tiers.length ||
    change.customerAnswer ||
    change.lifecycle;
  return changed ? change : undefined;
}

/** The lifecycle fields that differ, as "field: old → new" changes. */
function diffLifecycle(o: ModelItem, n: ModelItem): FieldChange[] {
  const out: FieldChange[] = [];
  const a = o.lifecycle;
  const b = n.lifecycle;
  const who = (x?: { by: string; on: string }) => (x ? `${x.by} on ${x.on}` : undefined);
  field(out, 'state', [a?.state, b?.state]);
  field(out, 'due', [a?.due, b?.due]);
  field(out, 'reason', [a?.reason, b?.reason]);
  field(out, 'visibility', [a?.visibility, b?.visibility]);
  field(out, 'owner', [a?.owner, b?.owner]);
  field(out, 'reviewed', [who(a?.reviewed), who(b?.reviewed)]);
  field(out, 'approved', [who(a?.approved), who(b?.approved)]);
  field(out, 'maxAge', [a?.maxAge, b?.maxAge]);
  return out;
}
