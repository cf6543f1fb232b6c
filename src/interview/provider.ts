import path from 'node:path';
import {
  BUILTIN_CATALOGUES,
  catalogueExists,
  loadCatalogue,
  type CatalogueItem,
  type LoadedCatalogue,
} from '../catalogue';
import { unansweredIds } from '../answers/parse';
import type { Answer, Answers } from '../answers/schema';
import { UsageError } from '../errors';
import { closest } from '../text/suggest';
import {
  askAnswer,
  compact,
  EditSession,
  itemHeading,
  oneYearOn,
  optional,
  progressLabel,
  slug,
  today,
  validDate,
  validId,
  wrap,
  writeAnswer,
  type FlowDeps,
} from './common';
import type { Choice, Prompts } from './prompts';

/** The provider interview: creates an answers file or resumes it, saving after every answer. */

export const NEW_FILE_HEADER = `# Answers to a security framework, started with \`srq interview\`.
# Edit by hand as you like (comments are kept); \`srq validate <file>\` checks it.

`;

const TOP_ORDER = [
  'framework',
  'provider',
  'service',
  'tiers',
  'document',
  'signatory',
  'evidence',
  'policies',
  'answers',
];
const after = (key: string) => TOP_ORDER.slice(TOP_ORDER.indexOf(key) + 1);

export interface InterviewOptions {
  /** Absolute path of the answers file. */
  file: string;
  /** The path as shown to the user. */
  shown: string;
  framework?: string;
  deps: FlowDeps;
}

export interface InterviewResult {
  /** Items still unanswered, in catalogue order. */
  unanswered: string[];
  /** Items marked to revisit. */
  revisit: string[];
  /** Whether the user stopped before the end. */
  stopped: boolean;
  notes: string[];
}

type Raw = Partial<Answers> & Record<string, unknown>;

export async function runInterview(o: InterviewOptions): Promise<InterviewResult> {
  const { prompts: p } = o.deps;
  const s = new EditSession(o.file, o.shown, NEW_FILE_HEADER, o.deps.onSave);
  const ed = s.editor;
  const notes: string[] = [];
  const dir = path.dirname(o.file);
  const raw = () => (ed.data() ?? {}) as Raw;

  // --- framework ---
  let framework = typeof raw().framework === 'string' ? raw().framework! : undefined;
  if (framework && o.framework && o.framework !== framework) {
    notes.push(
      `${o.shown} already uses framework ${framework}; --framework ${o.framework} only applies to a new file`,
    );
  }
  if (!framework) {
    framework = o.framework ?? (await askFramework(p));
    checkFramework(framework, dir);
    ed.set(['framework'], framework, { before: after('framework') });
    s.save('framework');
  }
  checkFramework(framework, dir);
  const cat = loadCatalogue(framework, dir);

  if (s.isNew || !raw().provider)
    p.say(`\nNew answers file ${o.shown} for ${cat.meta.title} (${cat.meta.version}).`);

  // --- the document's details, each asked only while missing ---
  if (!raw().provider) {
    p.say('\nAbout the provider');
    const provider = compact({
      name: (await p.input({ message: 'Provider (company) name:', required: true })).trim(),
      team: optional(await p.input({ message: 'Team responsible (optional):' })),
      email: optional(await p.input({ message: 'Contact e-mail (optional):' })),
      phone: optional(await p.input({ message: 'Contact phone (optional):' })),
      address: optional(await p.input({ message: 'Postal address, one line (optional):' })),
    });
    ed.set(['provider'], provider, { before: after('provider') });
    s.save('provider');
  }
  if (!raw().service) {
    p.say('\nAbout the service');
    const service = compact({
      name: (await p.input({ message: 'Service name:', required: true })).trim(),
      summary: optional(
        await p.input({ message: 'One-sentence description of the service (optional):' }),
      ),
    });
    ed.set(['service'], service, { before: after('service') });
    s.save('service');
  }
  if (!Array.isArray(raw().tiers) || !raw().tiers!.length) {
    p.say(
      '\nService tiers: each tier splits the responsibilities differently (e.g. unmanaged, managed).',
    );
    const tiers = await editTiers(p, []);
    ed.set(['tiers'], tiers, { before: after('tiers') });
    s.save('tiers');
  }
  if (!raw().document) {
    p.say('\nAbout this document');
    const title = (
      await p.input({
        message: 'Title:',
        default: `Following the ${cat.meta.title}`,
        required: true,
      })
    ).trim();
    const version = (await p.input({ message: 'Version:', default: '1.0', required: true })).trim();
    const issued = (
      await p.input({ message: 'Issue date:', default: today(o.deps.now()), validate: validDate })
    ).trim();
    const review = (
      await p.input({
        message: 'Next review date:',
        default: oneYearOn(issued),
        validate: (v) => {
          const ok = validDate(v);
          return ok !== true
            ? ok
            : v.trim() > issued
              ? true
              : `Must be after the issue date ${issued}`;
        },
      })
    ).trim();
    const classification = optional(
      await p.input({
        message: 'Classification printed on every page (optional, e.g. OFFICIAL):',
        default: 'OFFICIAL',
      }),
    );
    ed.set(['document'], compact({ title, version, issued, review, classification }), {
      before: after('document'),
    });
    s.save('document');
  }
  if (!raw().signatory) {
    p.say('\nWho signs the statement');
    const signatory = {
      name: (await p.input({ message: 'Signatory name:', required: true })).trim(),
      role: (await p.input({ message: 'Signatory role:', required: true })).trim(),
    };
    ed.set(['signatory'], signatory, { before: after('signatory') });
    s.save('signatory');
  }
  if (raw().evidence === undefined) {
    p.say('\nEvidence: certifications and reports your answers can point to.');
    const evidence = await askEvidence(p);
    ed.set(['evidence'], evidence, { before: after('evidence') });
    s.save('evidence');
  }

  if (raw().answers == null) {
    // An empty map, so the file validates (with warnings) before the first answer.
    ed.set(['answers'], {});
    s.save('answers');
  }

  // --- principle by principle ---
  const walk = new Walk(o, s, cat);
  const stopped = await walk.run();
  const answers = (raw().answers ?? {}) as Record<string, unknown>;
  return { unanswered: unansweredIds(cat, answers), revisit: walk.revisitList(), stopped, notes };
}

async function askFramework(p: Prompts): Promise<string> {
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

function checkFramework(ref: string, dir: string): void {
  if (!catalogueExists(ref, dir)) {
    const guess = closest(ref, BUILTIN_CATALOGUES);
    throw new UsageError(
      `unknown framework '${ref}' (${guess ? `did you mean ${guess}? ` : ''}use ${BUILTIN_CATALOGUES.join(' or ')}, or a path to a catalogue file)`,
    );
  }
}

interface Tier {
  id: string;
  name: string;
  summary?: string;
}

/** Add, rename, remove and reorder tiers until the user is done. */
export async function editTiers(p: Prompts, start: Tier[]): Promise<Tier[]> {
  const tiers = start.map((t) => ({ ...t }));
  const askTier = async (old?: Tier): Promise<Tier> => {
    const name = (
      await p.input({
        message: 'Tier name:',
        ...(old ? { default: old.name } : {}),
        required: true,
      })
    ).trim();
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
      await p.input({
        message: 'What the tier covers, one sentence (optional):',
        ...(old?.summary ? { default: old.summary } : {}),
      }),
    );
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
    if (act === 'done') return tiers;
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

interface Evidence {
  id: string;
  name: string;
  issuer?: string;
  reference?: string;
  expires?: string;
}

async function askEvidence(p: Prompts): Promise<Evidence[]> {
  const list: Evidence[] = [];
  while (
    await p.confirm({
      message: list.length
        ? 'Add another evidence item?'
        : 'Add an evidence item (certification, report)?',
      default: list.length === 0,
    })
  ) {
    const name = (
      await p.input({
        message: 'Evidence name (e.g. ISO/IEC 27001:2022 certification):',
        required: true,
      })
    ).trim();
    const id = (
      await p.input({
        message: 'Evidence id (short, used in answers):',
        default: slug(name),
        validate: (v) => {
          const ok = validId(v);
          return ok !== true ? ok : list.some((e) => e.id === v.trim()) ? 'That id is taken' : true;
        },
      })
    ).trim();
    const issuer = optional(await p.input({ message: 'Issued by (optional):' }));
    const reference = optional(
      await p.input({ message: 'Certificate or report reference (optional):' }),
    );
    const expires = optional(
      await p.input({
        message: 'Expiry date YYYY-MM-DD (optional):',
        validate: (v) => (!v.trim() ? true : validDate(v)),
      }),
    );
    list.push(compact({ id, name, issuer, reference, expires }));
  }
  return list;
}

type Action =
  | 'answer'
  | 'whole'
  | 'parts'
  | 'continue'
  | 'keep'
  | 'edit'
  | 'skip'
  | 'revisit'
  | 'back'
  | 'jump'
  | 'summary'
  | 'stop';

/** The walk through the catalogue, with jump / back / skip / revisit. */
class Walk {
  private readonly items: CatalogueItem[];
  private readonly tops: CatalogueItem[];
  /** Principles the user chose to answer per sub-principle in this session. */
  private readonly parts = new Set<string>();
  /** Unanswered items marked to revisit (answered ones carry a comment in the file). */
  private readonly marked = new Set<string>();
  private readonly p: Prompts;

  constructor(
    private readonly o: InterviewOptions,
    private readonly s: EditSession,
    private readonly cat: LoadedCatalogue,
  ) {
    this.items = cat.items;
    this.tops = cat.items.filter((i) => !i.parent);
    this.p = o.deps.prompts;
  }

  private answers(): Record<string, Answer> {
    return ((this.s.editor.get(['answers']) ?? {}) as Record<string, Answer>) || {};
  }

  private isAnswered(id: string): boolean {
    return Boolean(this.answers()[id]);
  }

  private inParts(parent: CatalogueItem): boolean {
    return this.parts.has(parent.id) || parent.children.some((c) => this.isAnswered(c));
  }

  private visitable(i: number): boolean {
    const item = this.items[i];
    if (!item.parent) return true;
    const parent = this.cat.byId.get(item.parent)!;
    return !this.isAnswered(parent.id) && this.inParts(parent);
  }

  /** Whether the item (or, for a parent, the whole principle) is done. */
  private complete(item: CatalogueItem): boolean {
    if (this.isAnswered(item.id)) return true;
    return item.children.length > 0 && item.children.every((c) => this.isAnswered(c));
  }

  private fraction(): number {
    const done = this.tops.reduce((sum, t) => {
      if (this.isAnswered(t.id)) return sum + 1;
      if (!t.children.length) return sum;
      return sum + t.children.filter((c) => this.isAnswered(c)).length / t.children.length;
    }, 0);
    return done / this.tops.length;
  }

  revisitList(): string[] {
    return this.items
      .map((i) => i.id)
      .filter(
        (id) =>
          this.marked.has(id) || (this.isAnswered(id) && this.s.editor.hasMark(['answers', id])),
      );
  }

  private unanswered(): string[] {
    return unansweredIds(this.cat, this.answers());
  }

  /** Index to resume at: the first unanswered item (its parent when no sub-principle is started). */
  private firstOpen(): number {
    const id = this.unanswered()[0];
    if (id === undefined) return -1;
    const item = this.cat.byId.get(id)!;
    if (item.parent && !this.inParts(this.cat.byId.get(item.parent)!))
      return this.items.indexOf(this.cat.byId.get(item.parent)!);
    return this.items.indexOf(item);
  }

  private next(i: number): number {
    for (let j = i + 1; j < this.items.length; j++) if (this.visitable(j)) return j;
    return this.items.length;
  }

  private prev(i: number): number {
    for (let j = i - 1; j >= 0; j--) if (this.visitable(j)) return j;
    return i;
  }

  private skipPrinciple(i: number): number {
    const item = this.items[i];
    let j = i + 1;
    if (!item.parent) while (j < this.items.length && this.items[j].parent === item.id) j++;
    while (j < this.items.length && !this.visitable(j)) j++;
    return j;
  }

  async run(): Promise<boolean> {
    const p = this.p;
    let i = this.firstOpen();
    if (i < 0) {
      p.say(`\nEvery principle in ${this.o.shown} is answered.`);
      i = await this.atEnd();
      if (i < 0) return false;
    } else if (Object.keys(this.answers()).length) {
      p.say(`\nResuming at ${this.items[i].id} ${this.items[i].title}, the first unanswered item.`);
    }
    for (;;) {
      if (i >= this.items.length) {
        i = await this.atEnd();
        if (i < 0) return false;
      }
      const item = this.items[i];
      const top = item.parent ? this.cat.byId.get(item.parent)! : item;
      p.say(
        `\n── ${progressLabel(this.tops.indexOf(top) + 1, this.tops.length, this.fraction())} ──\n` +
          `${itemHeading(item, item.parent ? top.title : undefined)}\n${wrap(item.requirement)}`,
      );
      const action = await this.menu(i);
      switch (action) {
        case 'answer':
        case 'whole':
        case 'edit':
          await this.answer(item);
          i = this.next(i);
          break;
        case 'parts':
          this.parts.add(item.id);
          i = this.next(i);
          break;
        case 'keep':
          if (this.s.editor.hasMark(['answers', item.id])) {
            // Revisited and kept: the mark has done its job.
            this.s.editor.setMark(['answers', item.id], false);
            this.s.save(`kept ${item.id}`);
          }
          i = this.next(i);
          break;
        case 'continue':
          i = this.next(i);
          break;
        case 'skip':
          i = this.skipPrinciple(i);
          break;
        case 'revisit':
          if (this.isAnswered(item.id)) {
            this.s.editor.setMark(['answers', item.id], true);
            this.s.save(`revisit ${item.id}`);
          } else this.marked.add(item.id);
          i = this.skipPrinciple(i);
          break;
        case 'back':
          i = this.prev(i);
          break;
        case 'jump':
          i = await this.jump(i);
          break;
        case 'summary': {
          const j = await this.summaryScreen(false);
          if (j !== undefined) i = j;
          break;
        }
        case 'stop':
          return true;
      }
    }
  }

  private async menu(i: number): Promise<Action> {
    const item = this.items[i];
    const answered = this.isAnswered(item.id);
    const choices: Choice<Action>[] = [];
    let def: Action;
    if (answered) {
      choices.push(
        { name: 'Keep the answer and go on', value: 'keep' },
        { name: 'Edit the answer', value: 'edit' },
      );
      def = 'keep';
    } else if (item.children.length && this.inParts(item)) {
      const done = item.children.filter((c) => this.isAnswered(c)).length;
      choices.push({
        name: `Go on with the sub-principles (${done} of ${item.children.length} answered)`,
        value: 'continue',
      });
      def = 'continue';
    } else if (item.children.length) {
      choices.push(
        {
          name: 'Answer as a whole',
          value: 'whole',
          description: 'one answer for the whole principle',
        },
        {
          name: `Answer per sub-principle (${item.children.join(', ')})`,
          value: 'parts',
          description: 'a separate answer for each part',
        },
      );
      def = 'whole';
    } else {
      choices.push({ name: 'Answer', value: 'answer' });
      def = 'answer';
    }
    choices.push(
      {
        name: item.children.length ? 'Skip this principle for now' : 'Skip for now',
        value: 'skip',
      },
      { name: 'Mark to revisit, and go on', value: 'revisit' },
    );
    if (this.prev(i) !== i) choices.push({ name: 'Back', value: 'back' });
    choices.push(
      { name: 'Jump to a principle…', value: 'jump' },
      { name: 'What is unanswered?', value: 'summary' },
      {
        name: 'Save and stop',
        value: 'stop',
        description: 'everything answered so far is already saved',
      },
    );
    return this.p.select<Action>({ message: 'What now?', choices, default: def });
  }

  private async answer(item: CatalogueItem): Promise<void> {
    const a = this.s.editor.data() as Raw;
    const existing = this.answers()[item.id];
    const answer = await askAnswer(this.p, {
      item,
      providerName: a.provider?.name ?? 'the provider',
      tiers: a.tiers ?? [],
      evidence: a.evidence ?? [],
      ...(existing ? { existing } : {}),
    });
    const order = this.items.map((x) => x.id);
    writeAnswer(this.s.editor, item.id, answer, order);
    this.s.editor.setMark(['answers', item.id], false);
    this.marked.delete(item.id);
    this.s.save(`answers.${item.id}`);
  }

  private async jump(i: number): Promise<number> {
    const target = await this.p.search<string>({
      message: 'Jump to (type to filter):',
      choices: this.items.map((it) => ({
        name: `${it.id} ${it.title}${this.isAnswered(it.id) ? ' ✓' : ''}`,
        value: it.id,
      })),
    });
    return this.goto(target) ?? i;
  }

  private goto(id: string): number | undefined {
    const item = this.cat.byId.get(id);
    if (!item) return undefined;
    if (item.parent) {
      const parent = this.cat.byId.get(item.parent)!;
      // A sub-principle of a principle answered as a whole: go to the whole answer.
      if (this.isAnswered(parent.id)) return this.items.indexOf(parent);
      this.parts.add(parent.id);
    }
    return this.items.indexOf(item);
  }

  /** Lists what is unanswered and marked; returns where to go, or undefined to stay. */
  private async summaryScreen(atEnd: boolean): Promise<number | undefined> {
    const open = this.unanswered();
    const marks = this.revisitList();
    const fmt = (ids: string[]) =>
      ids.map((id) => `    ${id} ${this.cat.byId.get(id)!.title}`).join('\n');
    this.p.say(
      `\n${this.tops.filter((t) => this.complete(t)).length} of ${this.tops.length} principles answered · ${Math.round(this.fraction() * 100)}%` +
        (open.length
          ? `\n  Unanswered (${open.length}):\n${fmt(open)}`
          : '\n  Nothing is unanswered.') +
        (marks.length ? `\n  Marked to revisit (${marks.length}):\n${fmt(marks)}` : ''),
    );
    const targets = [...new Set([...open, ...marks])];
    if (!targets.length) return atEnd ? -1 : undefined;
    const choices: Choice<string>[] = targets.map((id) => ({
      name: `Go to ${id} ${this.cat.byId.get(id)!.title}`,
      value: id,
    }));
    choices.push(
      atEnd
        ? { name: 'Finish for now (everything is saved)', value: '' }
        : { name: 'Carry on where I was', value: '' },
    );
    const to = await this.p.select<string>({
      message: atEnd ? 'That is the last principle. Now:' : 'Go to:',
      choices,
      default: targets[0],
    });
    if (!to) return atEnd ? -1 : undefined;
    // Going to an item clears its session mark; its file mark goes when it is answered again.
    this.marked.delete(to);
    return this.goto(to);
  }

  private async atEnd(): Promise<number> {
    return (await this.summaryScreen(true)) ?? -1;
  }
}
