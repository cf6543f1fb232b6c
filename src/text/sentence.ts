import type { ModelItem } from '../model/types';

/**
 * The first sentence of a Markdown statement, as plain text: what an overview shows for an
 * answer without a `summary`. A sentence ends at . ! or ? followed by a space and a capital,
 * a digit or an opening quote/bracket, so "e.g. the" and "ISO/IEC 27001:2022" do not end one.
 */
export function firstSentence(markdown: string): string {
  const para =
    markdown
      .replace(/\r\n?/g, '\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !/^(\||#|```|~~~|<)/.test(p)) ?? '';
  const plain = para
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const m = /^(.+?[.!?])(?=\s+["“‘([]?[A-Z0-9])/.exec(plain);
  return (m ? m[1] : plain).trim();
}

/** The lead of an answer for an overview: its `summary`, else the first sentence of the statement. */
export function answerLead(item: Pick<ModelItem, 'summary' | 'provider'>): {
  text: string;
  fromSummary: boolean;
} {
  if (item.summary) return { text: item.summary.trim(), fromSummary: true };
  return { text: firstSentence(item.provider), fromSummary: false };
}
