import fs from 'node:fs';
import path from 'node:path';
import type { Answers } from '../answers/schema';
import { BUILTIN_CATALOGUES, catalogueExists, type LoadedCatalogue } from '../catalogue';
import { UsageError } from '../errors';
import { closest } from '../text/suggest';
import {
  compact,
  oneYearOn,
  optional,
  slug,
  today,
  validDate,
  validId,
  type EditSession,
} from './common';
import type { Choice, Prompts } from './prompts';

/**
 * The document's details (everything but the answers): asked while missing when a file is new,
 * and changeable at any time from the details menu. Each detail is one row of `DETAILS`, so a
 * new one (an approval, an owner) is one more row.
 */

export const TOP_ORDER = [
  'framework',
  'provider',
  'service',
  'tiers',
  'document',
  'signatory',
  'evidence',
  'policies',
  'answers',
] as const;
/** The top-level keys a new `key` goes before. */
export const after = (key: string): string[] =>
  TOP_ORDER.slice(TOP_ORDER.indexOf(key as (typeof TOP_ORDER)[number]) + 1);

export type Raw = Partial<Answers> & Record<string, unknown>;

/** What editing a detail needs. */
export interface DetailContext {
  p: Prompts;
  s: EditSession;
  cat: LoadedCatalogue;
  now: () => Date;
}

export interface Detail {
  /** Menu label: "Provider". */
  label: string;
  /** Asked while missing in a new file (the logo and policies are only in the menu). */
  missing?: (raw: Raw) => boolean;
  /** The current value on one line, for the menu. */
  describe: (raw: Raw) => string;
  /** Asks for it, starting from the current value, and saves. */
  edit: (c: DetailContext) => Promise<void>;
}

const raw = (c: DetailContext) => (c.s.editor.data() ?? {}) as Raw;

/**
 * Writes a detail's fields: the whole map when it is new, else field by field, so the fields
 * not changed (and their quoting, comments and anything srq does not ask about) stay as they are.
 */
function setFields(
  c: DetailContext,
  key: string,
  fields: Record<string, string | undefined>,
): void {
  const ed = c.s.editor;
  if (ed.get([key]) === undefined) {
    ed.set([key], compact(fields), { before: after(key) });
    return;
  }
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) ed.delete([key, k]);
    else ed.set([key, k], v);
  }
}

/** An input that starts from the current value (editable), or empty. */
async function ask(
  p: Prompts,
  message: string,
  {
    current,
    ...o
  }: { current: string | undefined; required?: boolean; validate?: (v: string) => true | string },
): Promise<string> {
  return (
    await p.input({
      message,
      ...(current ? { default: current, editable: true } : {}),
      ...o,
    })
  ).trim();
}

export const DETAILS: Detail[] = [
  {
    label: 'Provider',
    missing: (r) => !r.provider,
    describe: (r) => r.provider?.name ?? '(not set)',
    edit: async (c) => {
      const { p } = c;
      const old = raw(c).provider;
      if (!old) p.say('\nAbout the provider');
      setFields(c, 'provider', {
        name: await ask(p, 'Provider (company) name:', { current: old?.name, required: true }),
        team: optional(await ask(p, 'Team responsible (optional):', { current: old?.team })),
        email: optional(await ask(p, 'Contact e-mail (optional):', { current: old?.email })),
        phone: optional(await ask(p, 'Contact phone (optional):', { current: old?.phone })),
        address: optional(
          await ask(p, 'Postal address, one line (optional):', { current: old?.address }),
        ),
        logo: old?.logo,
      });
      c.s.save('provider');
    },
  },
  {
    label: 'Service',
    missing: (r) => !r.service,
    describe: (r) => r.service?.name ?? '(not set)',
    edit: async (c) => {
      const { p } = c;
      const old = raw(c).service;
      if (!old) p.say('\nAbout the service');
      setFields(c, 'service', {
        name: await ask(p, 'Service name:', { current: old?.name, required: true }),
        summary: optional(
          await ask(p, 'One-sentence description of the service (optional):', {
            current: old?.summary,
          }),
        ),
      });
      c.s.save('service');
    },
  },
  {
    label: 'Tiers',
    missing: (r) => !Array.isArray(r.tiers) || !r.tiers.length,
    describe: (r) => (r.tiers ?? []).map((t) => t.name).join(', ') || '(none)',
    edit: async (c) => {
      const old = raw(c).tiers ?? [];
      if (!old.length)
        c.p.say(
          '\nService tiers: each tier splits the responsibilities differently (e.g. unmanaged, managed).',
        );
      const { tiers, renamed } = await editTiers(c.p, old);
      c.s.editor.set(['tiers'], tiers, { before: after('tiers') });
      followTierChanges(c, tiers, renamed);
      c.s.save('tiers');
    },
  },
  {
    label: 'Document details (title, version, dates, classification)',
    missing: (r) => !r.document,
    describe: (r) =>
      r.document
        ? `version ${r.document.version}, issued ${r.document.issued}, review ${r.document.review}`
        : '(not set)',
    edit: async (c) => {
      const { p } = c;
      const old = raw(c).document;
      if (!old) p.say('\nAbout this document');
      const title = await ask(p, 'Title:', {
        current: old?.title ?? `Following the ${c.cat.meta.title}`,
        required: true,
      });
      const version = await ask(p, 'Version:', {
        current: old?.version ?? '1.0',
        required: true,
        validate: validVersion,
      });
      const issued = await ask(p, 'Issue date:', {
        current: old?.issued ?? today(c.now()),
        validate: validDate,
      });
      const review = await ask(p, 'Next review date:', {
        current: old?.review ?? oneYearOn(issued),
        validate: (v) => {
          const ok = validDate(v);
          if (ok !== true) return ok;
          return v.trim() > issued ? true : `Must be after the issue date ${issued}`;
        },
      });
      const classification = optional(
        await ask(p, 'Classification printed on every page (optional, e.g. OFFICIAL):', {
          current: old ? old.classification : 'OFFICIAL',
        }),
      );
      // Field by field: the history (and anything else in document) stays as it is. A new
      // document asks for approvals: nothing is signed that nobody approved.
      setFields(c, 'document', {
        title,
        version,
        issued,
        review,
        classification,
        ...(old ? {} : { approval: 'required' }),
      });
      c.s.save('document');
      if (!old) {
        p.say(
          '  Every answer must be approved before the statement is signed (change it under "Approvals before signing").',
        );
      }
    },
  },
  {
    label: 'Signatory',
    missing: (r) => !r.signatory,
    describe: (r) => (r.signatory ? `${r.signatory.name}, ${r.signatory.role}` : '(not set)'),
    edit: async (c) => {
      const { p } = c;
      const old = raw(c).signatory;
      if (!old) p.say('\nWho signs the statement');
      setFields(c, 'signatory', {
        name: await ask(p, 'Signatory name:', { current: old?.name, required: true }),
        role: await ask(p, 'Signatory role:', { current: old?.role, required: true }),
      });
      c.s.save('signatory');
    },
  },
  {
    label: 'Evidence (certificates, reports, expiry dates)',
    missing: (r) => r.evidence === undefined,
    describe: (r) =>
      (r.evidence ?? [])
        .map((e) => `${e.id}${e.expires ? ` (expires ${e.expires})` : ''}`)
        .join(', ') || '(none)',
    edit: (c) => (raw(c).evidence === undefined ? askNewEvidence(c) : editEvidence(c)),
  },
  {
    label: 'Logo',
    describe: (r) => r.provider?.logo ?? '(none)',
    edit: async (c) => {
      const dir = path.dirname(c.s.file);
      const old = raw(c).provider;
      if (!old) throw new UsageError('set the provider first');
      const logo = optional(
        await ask(c.p, 'Logo file, PNG or JPEG, relative to the answers file (empty for none):', {
          current: old.logo,
          validate: (v) => validLogo(v, dir),
        }),
      );
      if (logo) c.s.editor.set(['provider', 'logo'], logo);
      else c.s.editor.delete(['provider', 'logo']);
      c.s.save('provider.logo');
    },
  },
  {
    label: 'Policies',
    describe: (r) => (r.policies ?? []).map((x) => x.name).join(', ') || '(none)',
    edit: editPolicies,
  },
  {
    label: 'Approvals before signing',
    describe: (r) =>
      r.document?.approval === 'required'
        ? 'required: every answer approved before signing'
        : 'not required',
    edit: async (c) => {
      if (!raw(c).document) {
        c.p.say('  Set the document details first.');
        return;
      }
      const required = await c.p.confirm({
        message: 'Must every answer be approved before the statement is signed?',
        default: raw(c).document?.approval !== 'optional',
      });
      c.s.editor.set(['document', 'approval'], required ? 'required' : 'optional');
      c.s.save('document.approval');
    },
  },
];

/** Asks every detail still missing, in file order (a new file, or one written by hand). */
export async function askMissingDetails(c: DetailContext): Promise<void> {
  for (const d of DETAILS) if (d.missing?.(raw(c))) await d.edit(c);
}

/** The details menu: pick any detail, change it, until "Done". */
export async function detailsMenu(c: DetailContext): Promise<void> {
  for (;;) {
    const r = raw(c);
    const choices: Choice<number>[] = [
      { name: 'Done', value: -1 },
      ...DETAILS.map((d, i) => ({ name: `${d.label}: ${d.describe(r)}`, value: i })),
    ];
    const pick = await c.p.select<number>({
      message: 'Change which detail?',
      choices,
      default: -1,
    });
    if (pick < 0) return;
    await DETAILS[pick].edit(c);
    c.p.say(`  Saved ${c.s.shown}.`);
  }
}

export async function askFramework(p: Prompts): Promise<string> {
  const choice = await p.select<string>({
    message: 'Which framework are you answering?',
    choices: [
      {
        name: 'NCSC Cloud Security Principles (2023 numbering)',
        value: 'ncsc-2023',
        description: 'ncsc-2023: 2.1–2.5, 5.1–5.4, 6.1–6.2, 13.1–13.2, 14.1–14.2',
      },
      {
        name: 'NCSC Cloud Security Principles (2016 numbering)',
        value: 'ncsc-2016',
        description: 'ncsc-2016: the numbering most published statements use',
      },
      { name: 'My own catalogue file…', value: '' },
    ],
    default: 'ncsc-2023',
  });
  if (choice) return choice;
  return (
    await p.input({
      message: 'Path to the catalogue file (relative to the answers file):',
      required: true,
    })
  ).trim();
}

export function checkFramework(ref: string, dir: string): void {
  if (!catalogueExists(ref, dir)) {
    const guess = closest(ref, BUILTIN_CATALOGUES);
    throw new UsageError(
      `unknown framework '${ref}' (${guess ? `did you mean ${guess}? ` : ''}use ${BUILTIN_CATALOGUES.join(' or ')}, or a path to a catalogue file)`,
    );
  }
}

/** A version srq can name files after and bump: numbers and dots, e.g. 1.0 or 3.1. */
export function validVersion(v: string): true | string {
  return /^\d+(\.\d+){0,2}$/.test(v.trim())
    ? true
    : 'Use numbers and dots, e.g. 1.0 or 3.1 (no leading "v")';
}

function validLogo(v: string, dir: string): true | string {
  const t = v.trim();
  if (!t) return true;
  if (!/\.(png|jpe?g)$/i.test(t)) return 'A PNG or JPEG file (.png, .jpg, .jpeg)';
  return fs.existsSync(path.resolve(dir, t))
    ? true
    : `No such file ${path.resolve(dir, t)} (paths are relative to the answers file)`;
}

interface Tier {
  id: string;
  name: string;
  summary?: string;
}

/** Add, rename, remove and reorder tiers until the user is done; `renamed`: old id → new id. */
export async function editTiers(
  p: Prompts,
  start: Tier[],
): Promise<{ tiers: Tier[]; renamed: Map<string, string> }> {
  const tiers = start.map((t) => ({ ...t }));
  const renamed = new Map<string, string>();
  const askTier = async (old?: Tier): Promise<Tier> => {
    const name = await ask(p, 'Tier name:', { current: old?.name, required: true });
    const id = (
      await p.input({
        message: 'Tier id (short, used in the file):',
        default: old?.id ?? slug(name),
        validate: (v) => {
          const ok = validId(v);
          if (ok !== true) return ok;
          return tiers.some((t) => t.id === v.trim() && t !== old)
            ? `Another tier already has the id ${v.trim()}`
            : true;
        },
      })
    ).trim();
    const summary = optional(
      await ask(p, 'What the tier covers, one sentence (optional):', { current: old?.summary }),
    );
    if (old && old.id !== id) {
      const origin = [...renamed].find(([, to]) => to === old.id)?.[0] ?? old.id;
      renamed.set(origin, id);
    }
    return compact({ id, name, summary });
  };
  if (!tiers.length) tiers.push(await askTier());
  for (;;) {
    p.say(`  Tiers: ${tiers.map((t, i) => `${i + 1}. ${t.name} (${t.id})`).join('  ')}`);
    type Act = 'done' | 'add' | 'rename' | 'remove' | 'up';
    const act = await p.select<Act>({
      message: 'Tiers:',
      choices: [
        { name: 'Done', value: 'done' },
        { name: 'Add a tier', value: 'add' },
        { name: 'Rename a tier', value: 'rename' },
        ...(tiers.length > 1
          ? [
              { name: 'Remove a tier', value: 'remove' as const },
              { name: 'Move a tier up', value: 'up' as const },
            ]
          : []),
      ],
      default: 'done',
    });
    if (act === 'done') return { tiers, renamed };
    if (act === 'add') {
      tiers.push(await askTier());
      continue;
    }
    const pick = await p.select<number>({
      message: 'Which tier?',
      choices: tiers.map((t, i) => ({ name: `${t.name} (${t.id})`, value: i })),
    });
    if (act === 'rename') tiers[pick] = await askTier(tiers[pick]);
    if (act === 'remove') tiers.splice(pick, 1);
    if (act === 'up' && pick > 0) tiers.splice(pick - 1, 0, ...tiers.splice(pick, 1));
  }
}

/** Answers follow their tiers: a renamed id moves, a removed tier's part goes. */
function followTierChanges(c: DetailContext, tiers: Tier[], renamed: Map<string, string>): void {
  const ids = new Set(tiers.map((t) => t.id));
  const answers = (raw(c).answers ?? {}) as Record<string, { tiers?: Record<string, unknown> }>;
  for (const [id, a] of Object.entries(answers)) {
    const own = a?.tiers ?? {};
    for (const [from, to] of renamed) {
      if (from in own && from !== to) {
        c.s.editor.set(['answers', id, 'tiers', to], own[from]);
        c.s.editor.delete(['answers', id, 'tiers', from]);
      }
    }
    const now = (c.s.editor.get(['answers', id, 'tiers']) ?? {}) as Record<string, unknown>;
    for (const t of Object.keys(now))
      if (!ids.has(t)) c.s.editor.delete(['answers', id, 'tiers', t]);
  }
}

interface Evidence {
  id: string;
  name: string;
  issuer?: string;
  reference?: string;
  expires?: string;
}

const evidenceList = (c: DetailContext) => (raw(c).evidence ?? []) as Evidence[];

/** Saves the list as it is now: every completed item is kept even if the next is interrupted. */
function saveEvidence(c: DetailContext, list: Evidence[], what: string): void {
  c.s.editor.set(['evidence'], list, { before: after('evidence') });
  c.s.save(what);
}

async function askEvidenceItem(p: Prompts, taken: string[], old?: Evidence): Promise<Evidence> {
  const name = await ask(p, 'Evidence name (e.g. ISO/IEC 27001:2022 certification):', {
    current: old?.name,
    required: true,
  });
  const id = old
    ? old.id
    : (
        await p.input({
          message: 'Evidence id (short, used in answers):',
          default: slug(name),
          validate: (v) => {
            const ok = validId(v);
            return ok !== true ? ok : taken.includes(v.trim()) ? 'That id is taken' : true;
          },
        })
      ).trim();
  const issuer = optional(await ask(p, 'Issued by (optional):', { current: old?.issuer }));
  const reference = optional(
    await ask(p, 'Certificate or report reference (optional):', { current: old?.reference }),
  );
  const expires = optional(
    await ask(p, 'Expiry date YYYY-MM-DD (optional):', {
      current: old?.expires,
      validate: (v) => (!v.trim() ? true : validDate(v)),
    }),
  );
  return compact({ id, name, issuer, reference, expires });
}

/** A new file's evidence: "add an item?" until no; each item saved as soon as it is complete. */
async function askNewEvidence(c: DetailContext): Promise<void> {
  const { p } = c;
  p.say('\nEvidence: certifications and reports your answers can point to.');
  const list: Evidence[] = [];
  saveEvidence(c, list, 'evidence');
  while (
    await p.confirm({
      message: list.length
        ? 'Add another evidence item?'
        : 'Add an evidence item (certification, report)?',
      default: list.length === 0,
    })
  ) {
    list.push(
      await askEvidenceItem(
        p,
        list.map((e) => e.id),
      ),
    );
    saveEvidence(c, list, `evidence.${list[list.length - 1].id}`);
  }
}

/** Change an item (a renewed certificate's new expiry date), add one, or remove an unused one. */
export async function editEvidence(c: DetailContext, only?: string): Promise<void> {
  const { p } = c;
  for (;;) {
    const list = evidenceList(c);
    const pick = only
      ? `edit:${list.findIndex((e) => e.id === only)}`
      : await p.select<string>({
          message: 'Evidence:',
          choices: [
            { name: 'Done', value: 'done' },
            ...list.map((e, i) => ({
              name: `Change ${e.name} (${e.id}${e.expires ? `, expires ${e.expires}` : ''})`,
              value: `edit:${i}`,
            })),
            { name: 'Add an evidence item', value: 'add' },
            ...list.map((e, i) => ({ name: `Remove ${e.name} (${e.id})`, value: `remove:${i}` })),
          ],
          default: 'done',
        });
    const [act, at] = pick.split(':') as [string, string | undefined];
    const index = Number(at);
    if (act === 'done' || index < 0) return;
    if (act === 'add') {
      const item = await askEvidenceItem(
        p,
        list.map((e) => e.id),
      );
      saveEvidence(c, [...list, item], `evidence.${item.id}`);
    } else if (act === 'edit') {
      const item = await askEvidenceItem(p, [], list[index]);
      saveEvidence(
        c,
        list.map((e, i) => (i === index ? item : e)),
        `evidence.${item.id}`,
      );
    } else {
      const e = list[index];
      const users = Object.entries(
        (raw(c).answers ?? {}) as Record<string, { evidence?: string[] }>,
      )
        .filter(([, a]) => a?.evidence?.includes(e.id))
        .map(([id]) => id);
      if (users.length) {
        p.say(
          `  ${e.id} is cited by the answer(s) to ${users.join(', ')}; untick it there first, then remove it.`,
        );
      } else {
        saveEvidence(
          c,
          list.filter((_, i) => i !== index),
          `removed evidence ${e.id}`,
        );
      }
    }
    if (only) return;
  }
}

interface Policy {
  name: string;
  reviewed?: string;
}

async function editPolicies(c: DetailContext): Promise<void> {
  const { p } = c;
  const save = (list: Policy[], what: string) => {
    c.s.editor.set(['policies'], list, { before: after('policies') });
    c.s.save(what);
  };
  const askPolicy = async (old?: Policy): Promise<Policy> =>
    compact({
      name: await ask(p, 'Policy name (e.g. Information security policy):', {
        current: old?.name,
        required: true,
      }),
      reviewed: optional(
        await ask(p, 'Last reviewed YYYY-MM-DD (optional):', {
          current: old?.reviewed,
          validate: (v) => (!v.trim() ? true : validDate(v)),
        }),
      ),
    });
  for (;;) {
    const list = (raw(c).policies ?? []) as Policy[];
    const pick = await p.select<string>({
      message: 'Policies:',
      choices: [
        { name: 'Done', value: 'done' },
        ...list.map((x, i) => ({
          name: `Change ${x.name}${x.reviewed ? ` (reviewed ${x.reviewed})` : ''}`,
          value: `edit:${i}`,
        })),
        { name: 'Add a policy', value: 'add' },
        ...list.map((x, i) => ({ name: `Remove ${x.name}`, value: `remove:${i}` })),
      ],
      default: 'done',
    });
    const [act, at] = pick.split(':') as [string, string | undefined];
    const index = Number(at);
    if (act === 'done') return;
    if (act === 'add') save([...list, await askPolicy()], 'policies');
    else if (act === 'edit') {
      const next = [...list];
      next[index] = await askPolicy(list[index]);
      save(next, 'policies');
    } else
      save(
        list.filter((_, i) => i !== index),
        'policies',
      );
  }
}
