import { VISIBILITIES, type Visibility } from '../answers/schema';
import { UsageError } from '../errors';
import type { Model, ModelItem } from './types';

/**
 * Audiences (issue 18): who a document is for decides what it may contain. Every answer,
 * evidence item and policy has a visibility (public by default); a document for an audience
 * keeps what is at or below its level and replaces the rest with a notice. `internal` is above
 * every audience: it never reaches a document or an export.
 */

/** The audiences a document can be built for, lowest first. */
export const AUDIENCES = ['public', 'customer', 'nda'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** A statement goes to customers unless said otherwise. */
export const DEFAULT_AUDIENCE: Audience = 'customer';

/** What a reader below an answer's level sees instead of it. */
export const WITHHELD_NOTICE = 'Details of this answer are available on request.';

const rank = (v: Visibility) => VISIBILITIES.indexOf(v);

/** Whether something of visibility `v` may go to `audience`. */
export function visibleTo(v: Visibility | undefined, audience: Audience): boolean {
  const level = v ?? 'public';
  return level !== 'internal' && rank(level) <= rank(audience);
}

/** `--audience` as given; undefined when not given, a usage error when not an audience. */
export function parseAudience(value: string | undefined): Audience | undefined {
  if (value === undefined) return undefined;
  if ((AUDIENCES as readonly string[]).includes(value)) return value as Audience;
  throw new UsageError(
    `--audience must be one of ${AUDIENCES.join(', ')} (got "${value}"; internal answers are never published)`,
  );
}

function withhold(item: ModelItem): ModelItem {
  const { summary: _summary, ...rest } = item;
  void _summary;
  return {
    ...rest,
    provider: WITHHELD_NOTICE,
    evidence: [],
    tiers: item.tiers.map((t) => ({
      ...t,
      ...(t.customer ? { customer: WITHHELD_NOTICE } : {}),
    })),
    withheld: WITHHELD_NOTICE,
  };
}

/**
 * The model narrowed to what `audience` may read. Pure: returns a new model. Answers above the
 * level keep their place and responsibility marks, with their texts and evidence replaced by
 * the notice; evidence and policies above it are left out.
 */
export function applyAudience(model: Model, audience: Audience): Model {
  const evidence = model.evidence.filter((e) => visibleTo(e.visibility, audience));
  const shown = new Set(evidence.map((e) => e.id));
  const narrow = (item: ModelItem): ModelItem => {
    if (!item.answered || !item.lifecycle) return item;
    if (!visibleTo(item.lifecycle.visibility, audience)) return withhold(item);
    return { ...item, evidence: item.evidence.filter((e) => shown.has(e.id)) };
  };
  const principles = model.principles.map((p) => ({ ...p, items: p.items.map(narrow) }));
  return {
    ...model,
    audience,
    evidence,
    policies: model.policies.filter((p) => visibleTo(p.visibility, audience)),
    principles,
    items: principles.flatMap((p) => p.items),
  };
}
