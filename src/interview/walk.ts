import { unansweredIds } from '../answers/parse';
import type { Answer } from '../answers/schema';
import type { CatalogueItem, LoadedCatalogue } from '../catalogue';
import { describeAnswer, editAnswer, askAnswer, writeAnswer, type AnswerContext } from './answer';
import { itemHeading, progressLabel, wrap, type EditSession, type FlowDeps } from './common';
import { detailsMenu, type Raw } from './details';
import { defaultReviewer, recordSignOff } from './approval';
import { today } from './common';
import type { Choice, Prompts } from './prompts';

/**
 * The walk through the catalogue, principle by principle, with jump / back / skip / revisit;
 * on an answered item the answer is shown and can be changed part by part; the document's
 * details can be changed from any item.
 */

export interface WalkOptions {
  shown: string;
  deps: FlowDeps;
}

type Action =
  | 'approve'
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
  | 'details'
  | 'stop';

/** The walk through the catalogue, with jump / back / skip / revisit. */
export class Walk {
  private readonly items: CatalogueItem[];
  private readonly tops: CatalogueItem[];
  /** Principles the user chose to answer per sub-principle in this session. */
  private readonly parts = new Set<string>();
  private readonly p: Prompts;

  constructor(
    private readonly o: WalkOptions,
    private readonly s: EditSession,
    private readonly cat: LoadedCatalogue,
  ) {
    this.items = cat.items;
    this.tops = cat.items.filter((i) => !i.parent);
    this.p = o.deps.prompts;
  }

  /**
   * Unanswered items marked to revisit: kept in the file on one comment line (answered ones
   * carry a comment above their key), so the mark outlives the session.
   */
  private marked(): Set<string> {
    return new Set(this.s.editor.unansweredMarks());
  }

  private setMarked(id: string, on: boolean): void {
    const now = this.marked();
    if (now.has(id) === on) return;
    if (on) now.add(id);
    else now.delete(id);
    const order = this.items.map((i) => i.id).filter((x) => now.has(x));
    this.s.editor.setUnansweredMarks(order);
    this.s.save(on ? `revisit ${id}` : `unmarked ${id}`);
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
          (!this.isAnswered(id) && this.marked().has(id)) ||
          (this.isAnswered(id) && this.s.editor.hasMark(['answers', id])),
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

  /** Walks from the first unanswered item (or `start`); true when the user chose to stop. */
  async run(start?: string): Promise<boolean> {
    const p = this.p;
    let i = start !== undefined ? (this.goto(start) ?? -1) : this.firstOpen();
    if (i < 0) {
      p.say(`\nEvery principle in ${this.o.shown} is answered.`);
      i = await this.atEnd();
      if (i < 0) return false;
    } else if (start !== undefined) {
      // Asked for: no resume message.
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
      const current = this.answers()[item.id];
      p.say(
        `\n── ${progressLabel(this.tops.indexOf(top) + 1, this.tops.length, this.fraction())} ──\n` +
          `${itemHeading(item, item.parent ? top.title : undefined)}\n${wrap(item.requirement)}` +
          (current
            ? `\n\n  The answer now:\n${describeAnswer(current, this.raw().tiers ?? [])}`
            : ''),
      );
      const action = await this.menu(i);
      switch (action) {
        case 'answer':
        case 'whole':
          await this.answer(item);
          i = this.next(i);
          break;
        case 'edit':
          await this.edit(item);
          i = this.next(i);
          break;
        case 'approve':
          await this.approve(item);
          i = this.next(i);
          break;
        case 'details':
          await detailsMenu({ p, s: this.s, cat: this.cat, now: this.o.deps.now });
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
          } else this.setMarked(item.id, true);
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
        {
          name: 'Approve the answer and go on',
          value: 'approve',
          description: 'records you as its reviewer and approver, today',
        },
        {
          name: 'Change the answer…',
          value: 'edit',
          description: 'pick the part to change: the statement, a tier, …',
        },
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
        name: 'Change a detail (provider, service, tiers, evidence, …)',
        value: 'details',
      },
      {
        name: 'Save and stop',
        value: 'stop',
        description: 'everything answered so far is already saved',
      },
    );
    return this.p.select<Action>({ message: 'What now?', choices, default: def });
  }

  private raw(): Raw {
    return (this.s.editor.data() ?? {}) as Raw;
  }

  private context(item: CatalogueItem): AnswerContext {
    const a = this.raw();
    return {
      item,
      providerName: a.provider?.name ?? 'the provider',
      tiers: a.tiers ?? [],
      evidence: a.evidence ?? [],
    };
  }

  private save(item: CatalogueItem, answer: Answer): void {
    writeAnswer(this.s.editor, item.id, { answer, order: this.items.map((x) => x.id) });
    this.s.editor.setMark(['answers', item.id], false);
    if (this.marked().has(item.id))
      this.s.editor.setUnansweredMarks([...this.marked()].filter((x) => x !== item.id));
    this.s.save(`answers.${item.id}`);
  }

  private async answer(item: CatalogueItem): Promise<void> {
    this.save(item, await askAnswer(this.p, this.context(item)));
  }

  /** The name given for approvals in this session, offered again for the next one. */
  private reviewer?: string;

  /** Reviewed and approved by the user, now: the fields `srq approve` writes, saved at once. */
  private async approve(item: CatalogueItem): Promise<void> {
    const by = (
      await this.p.input({
        message: 'Approved by (your name):',
        ...((this.reviewer ?? defaultReviewer(this.raw()))
          ? { default: this.reviewer ?? defaultReviewer(this.raw()) }
          : {}),
        required: true,
      })
    ).trim();
    this.reviewer = by;
    recordSignOff(this.s, { id: item.id, by, on: today(this.o.deps.now()), approve: true });
    this.s.save(`approved ${item.id}`);
    this.p.say(`  Approved ${item.id} as ${by}.`);
  }

  /** An existing answer, changed part by part, saved after each part. */
  async edit(item: CatalogueItem): Promise<void> {
    const existing = this.answers()[item.id];
    if (!existing) return this.answer(item);
    await editAnswer(this.p, { ...this.context(item), existing }, (a) => this.save(item, a));
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

  goto(id: string): number | undefined {
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
    // The mark stays until the item is answered (or, answered, kept or changed).
    return this.goto(to);
  }

  private async atEnd(): Promise<number> {
    return (await this.summaryScreen(true)) ?? -1;
  }
}
