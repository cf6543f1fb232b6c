import type { Diff, DiffCounts, FieldChange, ItemChange, TextChange } from './types';
import { hunks } from './words';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line count of changes every format starts with. */
export function summaryLine(diff: Diff): string {
  const c: DiffCounts = diff.counts;
  const from = `${diff.old.version} → ${diff.new.version}`;
  if (!c.total) return `${from}: no changes`;
  const parts: string[] = [];
  const items = [
    c.itemsChanged ? `${c.itemsChanged} changed` : '',
    c.itemsAdded ? `${c.itemsAdded} added` : '',
    c.itemsRemoved ? `${c.itemsRemoved} removed` : '',
  ].filter(Boolean);
  if (items.length) parts.push(`principles: ${items.join(', ')}`);
  if (c.responsibilityChanges) parts.push(plural(c.responsibilityChanges, 'responsibility change'));
  if (c.textChanges) parts.push(plural(c.textChanges, 'text change'));
  const tiers = [
    c.tiersAdded ? `${c.tiersAdded} added` : '',
    c.tiersRemoved ? `${c.tiersRemoved} removed` : '',
    c.tiersChanged ? `${c.tiersChanged} changed` : '',
  ].filter(Boolean);
  if (tiers.length) parts.push(`tiers: ${tiers.join(', ')}`);
  const ev = [
    c.evidenceAdded ? `${c.evidenceAdded} added` : '',
    c.evidenceRemoved ? `${c.evidenceRemoved} removed` : '',
    c.evidenceChanged ? `${c.evidenceChanged} changed` : '',
  ].filter(Boolean);
  if (ev.length) parts.push(`evidence: ${ev.join(', ')}`);
  if (c.policiesChanged) parts.push(plural(c.policiesChanged, 'policy change'));
  if (c.documentChanges) parts.push(plural(c.documentChanges, 'document detail'));
  const lifecycle = diff.items.filter((i) => i.lifecycle?.length).length;
  if (lifecycle) parts.push(plural(lifecycle, 'lifecycle change'));
  return `${from}: ${parts.join('; ')}`;
}

const show = (v: string | undefined) => (v === undefined ? '(none)' : v);
const fieldLine = (f: FieldChange) => `${f.field}: ${show(f.old)} → ${show(f.new)}`;
const itemName = (i: { id: string; title: string }) => `${i.id} ${i.title}`;

interface Paint {
  /** Words removed / added inside a line. */
  del: (s: string) => string;
  ins: (s: string) => string;
  /** Whole lines removed / added (already marked by a leading - or +). */
  lineDel: (s: string) => string;
  lineIns: (s: string) => string;
  head: (s: string) => string;
  dim: (s: string) => string;
}

const ANSI = (open: number, close: number) => (s: string) =>
  s ? `\u001b[${open}m${s}\u001b[${close}m` : s;
const COLOUR: Paint = {
  del: ANSI(31, 39),
  ins: ANSI(32, 39),
  lineDel: ANSI(31, 39),
  lineIns: ANSI(32, 39),
  head: ANSI(1, 22),
  dim: ANSI(2, 22),
};
// NOTE: without colour, git's plain word-diff markers, which survive pipes and logs.
const PLAIN: Paint = {
  del: (s) => `[-${s}-]`,
  ins: (s) => `{+${s}+}`,
  lineDel: (s) => s,
  lineIns: (s) => s,
  head: (s) => s,
  dim: (s) => s,
};

/** Marks the words of a changed run, leaving its surrounding spaces outside the marks. */
function markRun(text: string, mark: (s: string) => string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return m[2] ? `${m[1]}${mark(m[2])}${m[3]}` : text;
}

function wordLines(
  t: TextChange,
  p: Paint,
  mark: { del: (s: string) => string; ins: (s: string) => string },
) {
  return hunks(t.words).map((h) => {
    const line = h.parts
      .map((part) =>
        part.op === '=' ? part.text : markRun(part.text, part.op === '-' ? mark.del : mark.ins),
      )
      .join('');
    return `${h.before ? p.dim('… ') : ''}${line.replace(/\s+/g, ' ').trim()}${h.after ? p.dim(' …') : ''}`;
  });
}

function itemLines(i: ItemChange, textLine: (t: TextChange) => string[]): string[] {
  const out: string[] = [];
  if (i.summary) out.push('summary:', ...textLine(i.summary).map((l) => `  ${l}`));
  if (i.provider) out.push('statement:', ...textLine(i.provider).map((l) => `  ${l}`));
  if (i.assurance) out.push(`assurance: ${show(i.assurance.old)} → ${show(i.assurance.new)}`);
  if (i.evidence) {
    const ev = [
      ...i.evidence.added.map((e) => `+${e.id}`),
      ...i.evidence.removed.map((e) => `-${e.id}`),
    ];
    out.push(`evidence: ${ev.join(' ')}`);
  }
  for (const t of i.tiers) {
    if (t.responsibility)
      out.push(`${t.tier.id}: ${t.responsibility.old} → ${t.responsibility.new}`);
    if (t.customer)
      out.push(`${t.tier.id} customer:`, ...textLine(t.customer).map((l) => `  ${l}`));
  }
  if (i.customerAnswer)
    out.push('customer answer:', ...textLine(i.customerAnswer).map((l) => `  ${l}`));
  for (const f of i.lifecycle ?? []) out.push(fieldLine(f));
  return out;
}

function sideName(s: Diff['old']) {
  return s.label ?? s.file ?? `version ${s.version}`;
}

/** The terminal format: a summary line, then sections; `colour` adds ANSI red/green. */
export function formatDiffText(diff: Diff, options: { colour?: boolean } = {}): string {
  const p = options.colour ? COLOUR : PLAIN;
  const out: string[] = [summaryLine(diff)];
  out.push(
    p.dim(
      `--- ${sideName(diff.old)} (version ${diff.old.version}, issued ${diff.old.issued})\n+++ ${sideName(diff.new)} (version ${diff.new.version}, issued ${diff.new.issued})`,
    ),
  );
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', p.head(title), ...lines.map((l) => `  ${l}`));
  };
  section('Document', [
    ...diff.document.map(fieldLine),
    ...diff.history.added.map((h) => `history: ${p.lineIns(`+${h.version} (${h.issued})`)}`),
    ...diff.history.removed.map((h) => `history: ${p.lineDel(`-${h.version} (${h.issued})`)}`),
  ]);
  section('Tiers', [
    ...diff.tiers.added.map((t) => p.lineIns(`+ ${t.id}: ${t.name}`)),
    ...diff.tiers.removed.map((t) => p.lineDel(`- ${t.id}: ${t.name}`)),
    ...diff.tiers.changed.map((t) => `~ ${t.id}: ${t.changes.map(fieldLine).join('; ')}`),
  ]);
  section('Evidence', [
    ...diff.evidence.added.map((e) => p.lineIns(`+ ${e.id}: ${e.name}`)),
    ...diff.evidence.removed.map((e) => p.lineDel(`- ${e.id}: ${e.name}`)),
    ...diff.evidence.changed.map((e) => `~ ${e.id}: ${e.changes.map(fieldLine).join('; ')}`),
  ]);
  section('Policies', [
    ...diff.policies.added.map((f) =>
      p.lineIns(`+ ${f.field}${f.new ? ` (reviewed ${f.new})` : ''}`),
    ),
    ...diff.policies.removed.map((f) => p.lineDel(`- ${f.field}`)),
    ...diff.policies.changed.map((f) => `~ ${f.field}: reviewed ${show(f.old)} → ${show(f.new)}`),
  ]);
  const textLine = (t: TextChange) => wordLines(t, p, { del: p.del, ins: p.ins });
  const principles: string[] = [];
  for (const i of diff.items) {
    if (i.kind === 'added') principles.push(p.lineIns(`+ ${itemName(i)} (answered)`));
    else if (i.kind === 'removed')
      principles.push(p.lineDel(`- ${itemName(i)} (no longer answered)`));
    else principles.push(`~ ${itemName(i)}`, ...itemLines(i, textLine).map((l) => `    ${l}`));
  }
  section('Principles', principles);
  return `${out.join('\n')}\n`;
}

const mdEscape = (s: string) => s.replace(/([\\`*_[\]|<>~])/g, '\\$1');

/** Markdown for review notes or a pull request: ~~removed~~ and **added** words. */
export function formatDiffMarkdown(diff: Diff): string {
  const out: string[] = [
    `# Changes: ${mdEscape(diff.new.service)} version ${mdEscape(diff.old.version)} → ${mdEscape(diff.new.version)}`,
    '',
    `**${mdEscape(summaryLine(diff))}**`,
    '',
    `Compared ${mdEscape(sideName(diff.old))} (issued ${diff.old.issued}) with ${mdEscape(sideName(diff.new))} (issued ${diff.new.issued}).`,
  ];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', `## ${title}`, '', ...lines);
  };
  const mdField = (f: FieldChange) =>
    `- ${mdEscape(f.field)}: ${f.old !== undefined ? `~~${mdEscape(f.old)}~~` : '(none)'} → ${f.new !== undefined ? `**${mdEscape(f.new)}**` : '(none)'}`;
  section('Document', [
    ...diff.document.map(mdField),
    ...diff.history.added.map(
      (h) => `- history: added version ${mdEscape(h.version)} (${h.issued})`,
    ),
    ...diff.history.removed.map(
      (h) => `- history: removed version ${mdEscape(h.version)} (${h.issued})`,
    ),
  ]);
  section('Tiers', [
    ...diff.tiers.added.map((t) => `- Added: **${mdEscape(t.name)}** (\`${t.id}\`)`),
    ...diff.tiers.removed.map((t) => `- Removed: ~~${mdEscape(t.name)}~~ (\`${t.id}\`)`),
    ...diff.tiers.changed.flatMap((t) => [
      `- Changed: \`${t.id}\``,
      ...t.changes.map((f) => `  ${mdField(f)}`),
    ]),
  ]);
  section('Evidence', [
    ...diff.evidence.added.map((e) => `- Added: **${mdEscape(e.name)}** (\`${e.id}\`)`),
    ...diff.evidence.removed.map((e) => `- Removed: ~~${mdEscape(e.name)}~~ (\`${e.id}\`)`),
    ...diff.evidence.changed.flatMap((e) => [
      `- Changed: ${mdEscape(e.name)} (\`${e.id}\`)`,
      ...e.changes.map((f) => `  ${mdField(f)}`),
    ]),
  ]);
  section('Policies', [
    ...diff.policies.added.map((f) => `- Added: **${mdEscape(f.field)}**`),
    ...diff.policies.removed.map((f) => `- Removed: ~~${mdEscape(f.field)}~~`),
    ...diff.policies.changed.map(
      (f) => `- ${mdEscape(f.field)}: reviewed ${show(f.old)} → ${show(f.new)}`,
    ),
  ]);
  const mdText = (t: TextChange) =>
    wordLines(t, PLAIN, { del: (s) => `~~${s}~~`, ins: (s) => `**${s}**` });
  if (diff.items.length) {
    out.push('', '## Principles');
    for (const i of diff.items) {
      const name = `${i.id} ${mdEscape(i.title)}`;
      if (i.kind === 'added') out.push('', `### ${name} (answered)`);
      else if (i.kind === 'removed') out.push('', `### ${name} (no longer answered)`);
      else {
        out.push('', `### ${name}`, '');
        for (const l of itemLines(i, mdText)) {
          out.push(l.startsWith('  ') ? `  - ${l.trim()}` : `- ${l}`);
        }
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** The diff as JSON: the `Diff` object plus the summary line. */
export function formatDiffJson(diff: Diff): string {
  return `${JSON.stringify({ summary: summaryLine(diff), ...diff }, null, 2)}\n`;
}
