import type { ParsedAnswers } from '../answers/parse';
import type { SourceMap } from '../yaml/source-map';
import type { Diagnostic } from '../errors';
import type { Model, ModelItem } from '../model/types';
import { firstSentence } from '../text/sentence';
import { countWords } from '../text/suggest';

/**
 * Word limits for tender portals (`--max-words`, and a catalogue's per-item `maxWords`), and the
 * short form of an answer used by overviews. Kept free of the Markdown parser so `validate` can
 * use it without loading the export stack.
 */

/**
 * The words a reader (or a portal's counter) sees in a Markdown answer: list markers, table
 * pipes and rules, heading marks and link targets are not words.
 */
export function markdownWords(markdown: string): number {
  const text = markdown
    .split('\n')
    .filter((line) => !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line))
    .join('\n')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>+)\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/gm, '')
    .replace(/(^|\s)\|(?=\s|$)/g, '$1')
    .replace(/(^|\s)[*_~`]+(?=\s|$)/g, '$1');
  return countWords(text);
}

export { answerLead, firstSentence } from '../text/sentence';

/**
 * Warnings for answers without a `summary`: the overview falls back to the first sentence of the
 * statement. With the file's source map the warnings carry line and column.
 */
export function summaryFallbackWarnings(
  parsed: ParsedAnswers,
  options: { file?: string; map?: SourceMap } = {},
): Diagnostic[] {
  const file = options.map?.file ?? options.file ?? '';
  const order = new Map(parsed.catalogue.items.map((c, i) => [c.id, i]));
  return Object.entries(parsed.answers.answers)
    .filter(([, a]) => !a.summary)
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .map(([id, a]) => {
      const message = `principle ${id} has no summary; the overview uses the first sentence of the statement`;
      const sentence = firstSentence(a.provider);
      const hint = `add summary: one sentence for overviews and word-limited portals${
        sentence ? ` (now: "${truncate(sentence, 60)}")` : ''
      }`;
      return options.map
        ? options.map.diagnostic(['answers', id], message, {
            severity: 'warning',
            at: 'key',
            hint,
          })
        : { severity: 'warning', file, path: `answers.${id}`, message, hint };
    });
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export interface WordLimitOptions {
  /** `--max-words`: the limit for every answer; overrides the catalogue's limits. */
  maxWords?: number;
  /** The file shown in warnings (the answers file). */
  file: string;
}

export interface WordLimitResult {
  /** A new model: statements over their limit replaced by their summary. The input is not changed. */
  model: Model;
  /** Items whose statement was replaced by the summary. */
  substituted: { id: string; words: number; summaryWords: number; limit: number }[];
  /** Every text still over its limit. */
  warnings: Diagnostic[];
}

/**
 * Applies word limits: where a statement is longer than its limit, the answer's `summary` takes
 * its place; every text still over the limit (no summary, the summary too long, or a customer
 * text) is reported. The limit is `--max-words` when given, else the catalogue item's `maxWords`.
 */
export function applyWordLimits(model: Model, options: WordLimitOptions): WordLimitResult {
  const substituted: WordLimitResult['substituted'] = [];
  const warnings: Diagnostic[] = [];
  const warn = (path: string, message: string, hint: string) =>
    warnings.push({ severity: 'warning', file: options.file, path, message, hint });
  const limitItem = (item: ModelItem): ModelItem => {
    const limit = options.maxWords ?? item.maxWords;
    if (!limit || !item.answered) return item;
    let out = item;
    const words = markdownWords(item.provider);
    if (words > limit) {
      const summaryWords = item.summary ? markdownWords(item.summary) : 0;
      if (item.summary) {
        out = { ...item, provider: item.summary };
        substituted.push({ id: item.id, words, summaryWords, limit });
        if (summaryWords > limit) {
          warn(
            `answers.${item.id}.summary`,
            `the statement has ${words} words and its summary ${summaryWords}, both over the limit of ${limit}`,
            `shorten the summary to ${limit} words or fewer`,
          );
        }
      } else {
        warn(
          `answers.${item.id}.provider`,
          `the statement has ${words} words, over the limit of ${limit}, and there is no summary to use`,
          `add a summary of at most ${limit} words, or shorten the statement`,
        );
      }
    }
    item.tiers.forEach((t) => {
      const n = t.customer ? markdownWords(t.customer) : 0;
      if (n > limit) {
        warn(
          `answers.${item.id}.tiers.${t.tier.id}.customer`,
          `the customer text for tier '${t.tier.id}' has ${n} words, over the limit of ${limit}`,
          `shorten it to ${limit} words or fewer`,
        );
      }
    });
    const own = item.customerAnswer ? markdownWords(item.customerAnswer) : 0;
    if (own > limit) {
      warn(
        `answers.${item.id}.customer`,
        `your answer has ${own} words, over the limit of ${limit}`,
        `shorten it to ${limit} words or fewer`,
      );
    }
    return out;
  };
  const principles = model.principles.map((p) => ({ ...p, items: p.items.map(limitItem) }));
  return {
    model: { ...model, principles, items: principles.flatMap((p) => p.items) },
    substituted,
    warnings,
  };
}
