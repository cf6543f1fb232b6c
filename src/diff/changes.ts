import { ASSURANCE_LABELS, formatDate, RESPONSIBILITY_LABELS } from '../render/helpers';
import { joinAnd } from '../text/list';
import type { Diff, ItemChange } from './types';

/** "independent validation": the PDF's words, lower case inside a sentence. */
function assurance(level: string): string {
  const label = (ASSURANCE_LABELS as Partial<Record<string, string>>)[level];
  return label ? label.toLowerCase() : level;
}

/** 2026-11-02 → 2 November 2026 (GOV.UK style); anything else unchanged. */
function longDate(iso: string | undefined): string {
  return iso === undefined ? '' : formatDate(iso);
}

/** Escapes text for inline Markdown and table cells. */
const esc = (s: string) => s.replace(/([\\`*_[\]|<>~#])/g, '\\$1').replace(/\s+/g, ' ');

/** Lifecycle fields that change what a document says (the others are internal bookkeeping). */
export const CONTENT_LIFECYCLE_FIELDS = ['state', 'due', 'reason', 'visibility'];

/** Whether a change alters what a document says, not only who owns or approved it. */
export function isContentChange(i: ItemChange): boolean {
  if (i.kind !== 'changed') return true;
  return Boolean(
    i.summary ||
    i.provider ||
    i.assurance ||
    i.evidence ||
    i.tiers.length ||
    i.customerAnswer ||
    i.lifecycle?.some((f) => CONTENT_LIFECYCLE_FIELDS.includes(f.field)),
  );
}

const STATE_TEXT: Record<string, string> = {
  yes: 'in place',
  partial: 'partly in place',
  planned: 'planned',
  'not-applicable': 'not applicable',
  confidential: 'confidential (details on request)',
};

/** One sentence or a few on what changed in a principle, for tables and change notices. */
export function itemChangeText(i: ItemChange): string {
  return itemChanges(i);
}

function itemChanges(i: ItemChange): string {
  if (i.kind === 'added') return 'Answered in this version.';
  if (i.kind === 'removed') return 'No longer answered separately in this version.';
  const out: string[] = [];
  if (i.provider) out.push('Statement revised.');
  if (i.summary && !i.provider) out.push('Summary revised.');
  for (const t of i.tiers) {
    if (t.responsibility) {
      out.push(
        `${esc(t.tier.name)}: ${RESPONSIBILITY_LABELS[t.responsibility.old]} → ${RESPONSIBILITY_LABELS[t.responsibility.new]}.`,
      );
    }
  }
  const custTiers = i.tiers
    .filter((t) => t.customer && !t.responsibility)
    .map((t) => esc(t.tier.name));
  if (custTiers.length) out.push(`Customer responsibilities revised (${joinAnd(custTiers)}).`);
  if (i.assurance) {
    out.push(
      i.assurance.new
        ? `Assurance: ${assurance(i.assurance.new)}${i.assurance.old ? ` (was ${assurance(i.assurance.old)})` : ''}.`
        : 'Assurance level no longer stated.',
    );
  }
  if (i.evidence?.added.length)
    out.push(`Evidence added: ${joinAnd(i.evidence.added.map((e) => esc(e.name)))}.`);
  if (i.evidence?.removed.length) {
    out.push(`Evidence no longer cited: ${joinAnd(i.evidence.removed.map((e) => esc(e.name)))}.`);
  }
  if (i.customerAnswer) out.push("Customer's own answer revised.");
  const lf = (f: string) => i.lifecycle?.find((x) => x.field === f);
  const state = lf('state');
  const due = lf('due');
  if (state) {
    out.push(
      `Now ${STATE_TEXT[state.new ?? 'yes'] ?? state.new}${state.new === 'planned' && due?.new ? `, due ${longDate(due.new)}` : ''} (was ${STATE_TEXT[state.old ?? 'yes'] ?? state.old}).`,
    );
  } else if (due?.new) {
    out.push(
      `Due date moved to ${longDate(due.new)}${due.old ? ` (was ${longDate(due.old)})` : ''}.`,
    );
  }
  if (lf('reason')) out.push('Reason it does not apply revised.');
  const vis = lf('visibility');
  if (vis) out.push(`Visibility: ${vis.new ?? 'public'} (was ${vis.old ?? 'public'}).`);
  return out.join(' ');
}

/**
 * The first sentence of a change section. A new version "replaces" the old one; when the content
 * changed but the version number did not (an answer edited after issue without `srq review`), saying
 * "version 3.0 replaces version 3.0" would hide that, so it says it is a revised edition of the same
 * version, and which edition it replaces when the issue dates differ.
 */
function introOf(diff: Diff): string {
  const v = esc(diff.new.version);
  if (diff.new.version !== diff.old.version) {
    return `This is version ${v}, issued ${longDate(diff.new.issued)}. It replaces version ${esc(diff.old.version)}, issued ${longDate(diff.old.issued)}.`;
  }
  if (diff.new.issued !== diff.old.issued) {
    return `This is a revised edition of version ${v}, issued ${longDate(diff.new.issued)}. It replaces the edition of ${longDate(diff.old.issued)}, which had the same version number.`;
  }
  return `This is a revised edition of version ${v}, issued ${longDate(diff.new.issued)}: its content changed after that edition was issued, without a new version number or issue date.`;
}

/**
 * The "Changes since version X" section of a statement: an H2 heading, a short summary, a table
 * of changed principles and lists of changed tiers and evidence. Plain Markdown (headings,
 * paragraphs, bullet lists, one GFM table, bold) for the layout engine.
 */
export function renderChangesMarkdown(diff: Diff, options: { sinceVersion?: string } = {}): string {
  const since = options.sinceVersion ?? diff.old.version;
  // Owners and approvals are internal bookkeeping, never news to a reader.
  diff = { ...diff, items: diff.items.filter(isContentChange) };
  const out: string[] = [`## Changes since version ${esc(since)}`, ''];
  const c = diff.counts;
  const intro = introOf(diff);
  const itemCount = diff.items.length;
  if (
    !c.total ||
    (!itemCount &&
      !c.tiersAdded &&
      !c.tiersRemoved &&
      !c.tiersChanged &&
      !c.evidenceAdded &&
      !c.evidenceRemoved &&
      !c.evidenceChanged)
  ) {
    out.push(
      `${intro} No answers, tiers or evidence changed; only the document details were updated.`,
    );
    return `${out.join('\n')}\n`;
  }
  const parts: string[] = [];
  if (itemCount) parts.push(`${itemCount} ${itemCount === 1 ? 'principle' : 'principles'}`);
  if (c.responsibilityChanges) {
    parts.push(
      `${c.responsibilityChanges} ${c.responsibilityChanges === 1 ? 'responsibility' : 'responsibilities'} between provider and customer`,
    );
  }
  const tierCount = c.tiersAdded + c.tiersRemoved + c.tiersChanged;
  if (tierCount) parts.push(`${tierCount} service ${tierCount === 1 ? 'tier' : 'tiers'}`);
  const evCount = c.evidenceAdded + c.evidenceRemoved + c.evidenceChanged;
  if (evCount) parts.push(`${evCount} ${evCount === 1 ? 'item' : 'items'} of evidence`);
  out.push(`${intro} The changes below affect ${joinAnd(parts)}.`);
  if (diff.items.length) {
    out.push('', '| Principle | What changed |', '| --- | --- |');
    for (const i of diff.items) out.push(`| ${esc(i.id)} ${esc(i.title)} | ${itemChanges(i)} |`);
  }
  if (tierCount) {
    out.push('', '**Service tiers**', '');
    for (const t of diff.tiers.added) out.push(`- Added: ${esc(t.name)}.`);
    for (const t of diff.tiers.removed) out.push(`- Withdrawn: ${esc(t.name)}.`);
    for (const t of diff.tiers.changed) {
      const renamed = t.changes.find((f) => f.field === 'name');
      out.push(
        renamed
          ? `- Renamed: ${esc(renamed.old ?? '')} is now ${esc(t.name)}.`
          : `- Description updated: ${esc(t.name)}.`,
      );
    }
  }
  if (evCount) {
    out.push('', '**Assurance and evidence**', '');
    for (const e of diff.evidence.added) out.push(`- Added: ${esc(e.name)}.`);
    for (const e of diff.evidence.removed) out.push(`- Removed: ${esc(e.name)}.`);
    for (const e of diff.evidence.changed) {
      const exp = e.changes.find((f) => f.field === 'expires');
      const ref = e.changes.find((f) => f.field === 'reference');
      const what = [
        exp?.new ? `now valid until ${longDate(exp.new)}` : '',
        ref?.new ? `reference ${esc(ref.new)}` : '',
      ].filter(Boolean);
      out.push(`- Updated: ${esc(e.name)}${what.length ? ` (${what.join(', ')})` : ''}.`);
    }
  }
  return `${out.join('\n')}\n`;
}
