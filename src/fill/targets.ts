import type { ParsedAnswers } from '../answers/parse';
import type { LibraryEntry } from '../answers/schema';
import type { Model, ModelItem } from '../model/types';
import type { Answerable } from './match';
import { vocabularyFor } from './thesaurus';

/**
 * What a questionnaire can be answered from: every answered principle (or sub-principle) of the
 * model and every library entry, with the fields the matcher weighs.
 */

export interface Targets {
  all: Answerable[];
  items: Map<string, ModelItem>;
  library: Map<string, LibraryEntry>;
}

/**
 * Field weights: titles, the thesaurus's buyer vocabulary and question wordings say most about
 * what an answer is for; the provider's statement is long and says many things in passing.
 */
const WEIGHT = {
  title: 3,
  parent: 1.5,
  requirement: 1,
  summary: 1.5,
  statement: 0.6,
  vocabulary: 1.5,
  question: 3,
  answer: 0.6,
};

export function buildTargets(parsed: ParsedAnswers, model: Model): Targets {
  const items = new Map(model.items.filter((i) => i.answered).map((i) => [i.id, i]));
  const titleOf = new Map(model.principles.map((p) => [p.id, p.title]));
  const all: Answerable[] = [...items.values()].map((item) => ({
    kind: 'principle',
    id: item.id,
    label: `${item.id} ${item.title}`,
    fields: [
      { text: item.title, weight: WEIGHT.title },
      { text: item.parent ? (titleOf.get(item.parent) ?? '') : '', weight: WEIGHT.parent },
      { text: item.requirement, weight: WEIGHT.requirement },
      { text: item.summary ?? '', weight: WEIGHT.summary },
      { text: item.provider, weight: WEIGHT.statement },
      { text: vocabularyFor(item.title), weight: WEIGHT.vocabulary },
    ],
    also: parsed.answers.answers[item.id]?.also ?? [],
  }));
  const library = new Map((parsed.answers.library ?? []).map((e) => [e.id, e]));
  for (const e of library.values()) {
    all.push({
      kind: 'library',
      id: e.id,
      label: `library ${e.id}`,
      fields: [
        { text: e.questions.join('\n'), weight: WEIGHT.question },
        { text: '', weight: 0 },
        { text: '', weight: 0 },
        { text: e.summary ?? '', weight: WEIGHT.summary },
        { text: e.answer, weight: WEIGHT.answer },
        { text: '', weight: 0 },
      ],
      also: e.also ?? [],
    });
  }
  return { all, items, library };
}
