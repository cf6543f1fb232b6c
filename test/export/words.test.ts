import { readAnswers } from '../../src/answers/read';
import { EXAMPLE } from '../helpers/cli';
import { testModel } from '../helpers/model';
import {
  answerLead,
  applyWordLimits,
  firstSentence,
  markdownWords,
  summaryFallbackWarnings,
} from '../../src/export/words';

describe('markdownWords', () => {
  it('counts the words a reader sees, not Markdown syntax', () => {
    expect(markdownWords('We **encrypt** all data.')).toBe(4);
    expect(markdownWords('- one\n- two words\n1. three')).toBe(4);
    expect(markdownWords('| Tier | Backups |\n|---|---|\n| Managed | Nightly |')).toBe(4);
    expect(markdownWords('## Heading here\n\nSee [the guide](https://example.com/a b).')).toBe(5);
  });
});

describe('firstSentence', () => {
  it('stops at the end of the first sentence, as plain text', () => {
    expect(firstSentence('All traffic uses **TLS 1.2** or above. Older protocols are off.')).toBe(
      'All traffic uses TLS 1.2 or above.',
    );
  });
  it('does not stop inside abbreviations, versions or lower-case continuations', () => {
    expect(firstSentence('We follow ISO/IEC 27001:2022, e.g. its annex. Next.')).toBe(
      'We follow ISO/IEC 27001:2022, e.g. its annex.',
    );
  });
  it('takes the first paragraph when there is no full stop, skipping tables', () => {
    expect(firstSentence('| a | b |\n|---|---|\n\nWe patch monthly\n\nMore.')).toBe(
      'We patch monthly',
    );
  });
  it('uses the summary first', () => {
    expect(answerLead({ summary: ' Short. ', provider: 'Long. Text.' })).toEqual({
      text: 'Short.',
      fromSummary: true,
    });
    expect(answerLead({ provider: 'Long one. Text.' })).toEqual({
      text: 'Long one.',
      fromSummary: false,
    });
  });
});

describe('applyWordLimits', () => {
  const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  const model = testModel({ provider: { '1': long, '3': long } });
  const withSummary = {
    ...model,
    principles: model.principles.map((p) => ({
      ...p,
      items: p.items.map((i) => (i.id === '1' ? { ...i, summary: 'A short summary.' } : i)),
    })),
  };
  withSummary.items = withSummary.principles.flatMap((p) => p.items);

  it('uses the summary where the statement is over the limit, and reports what is still over', () => {
    const res = applyWordLimits(withSummary, { maxWords: 20, file: 'a.yaml' });
    expect(res.substituted.map((s) => s.id)).toEqual(['1']);
    expect(res.model.items.find((i) => i.id === '1')!.provider).toBe('A short summary.');
    expect(res.warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'a.yaml',
        path: 'answers."3".provider',
        message: 'the statement has 40 words, over the limit of 20, and there is no summary to use',
      }),
    ]);
    // The input model is not changed.
    expect(withSummary.items.find((i) => i.id === '1')!.provider).toBe(long);
  });

  it('reports a summary that is itself over the limit', () => {
    const res = applyWordLimits(withSummary, { maxWords: 2, file: 'a.yaml' });
    const paths = res.warnings.map((w) => w.path);
    expect(paths).toContain('answers."1".summary');
    // Short statements (the generated ones have 17 words) are over 2 words too.
    expect(paths).toContain('answers."2.1".provider');
    // Customer texts over the limit are reported, not shortened.
    expect(paths.some((p) => /^answers\."[\d.]+"\.tiers\.[a-z-]+\.customer$/.test(p!))).toBe(true);
  });

  it("uses the catalogue's per-item limit when --max-words is not given", () => {
    const m = {
      ...model,
      items: model.items.map((i) => (i.id === '3' ? { ...i, maxWords: 10 } : i)),
    };
    m.principles = model.principles.map((p) => ({
      ...p,
      items: p.items.map((i) => m.items.find((x) => x.id === i.id)!),
    }));
    const res = applyWordLimits(m, { file: 'a.yaml' });
    expect(res.warnings.map((w) => w.path)).toEqual(['answers."3".provider']);
    expect(applyWordLimits(model, { file: 'a.yaml' }).warnings).toEqual([]);
  });
});

describe('summaryFallbackWarnings', () => {
  it('is empty for the example, where every answer has a summary', () => {
    const res = readAnswers(EXAMPLE);
    expect(summaryFallbackWarnings(res.value!, { map: res.map })).toEqual([]);
  });

  it('warns, with line and column, for each answer without a summary', () => {
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const text = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace(/^ {4}summary: Customers are separated.*\n/m, '');
    const res = readAnswers(EXAMPLE, text);
    const ws = summaryFallbackWarnings(res.value!, { map: res.map });
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({
      severity: 'warning',
      path: 'answers."3"',
      message: 'principle 3 has no summary; the overview uses the first sentence of the statement',
    });
    expect(ws[0].line).toBeGreaterThan(1);
    expect(ws[0].hint).toContain("Each customer's virtual servers run under a hardened KVM");
    // Without a source map: the file and path only.
    expect(summaryFallbackWarnings(res.value!, { file: 'x.yaml' })[0]).toMatchObject({
      file: 'x.yaml',
      path: 'answers."3"',
    });
  });
});
