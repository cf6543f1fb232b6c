import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  markdownToPlain,
  markdownToPlainLexed,
  plainParagraphs,
} from '../../src/export/markdown-runs';
import { prng } from '../helpers/random';

/**
 * markdownToPlain's shortcut for paragraphs that are plain text (no lexer): the same text as
 * marked's lexer gives, for every input. The oracle is the lexed path, over seeded random texts
 * that mix plain words with every character Markdown gives a meaning to, and over real answers.
 */

const ROOT = path.resolve(__dirname, '..', '..');

const WORDS =
  'data service customer the of and tier backup encrypted UK ISO27001 1.5 2026 Ünïcode données 数据'.split(
    ' ',
  );
const TRICKY = [
  ...'*_`~[]<>#|\\&!=@{}^$-+.:)(/\'"%?,;',
  '1.',
  '2)',
  '10.',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\n\n\n',
  '\n \n',
  '\r\n',
  '\u00a0',
  '\u2028',
  '://',
  'http://x.org',
  'www.example.com',
  'a@b.co',
  'mailto:',
  '&amp;',
  '&#39;',
  '***',
  '---',
  '===',
  '    code',
  '> quote',
  '- item',
  '# H',
  '[a](b)',
  '`c`',
  '<b>',
  '~~s~~',
  '|a|b|',
];

function randomText(rand: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(rand() * 14);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.6) parts.push(WORDS[Math.floor(rand() * WORDS.length)]);
    else if (r < 0.75) parts.push(' ');
    else if (r < 0.85) parts.push('\n\n');
    else parts.push(TRICKY[Math.floor(rand() * TRICKY.length)]);
    if (rand() < 0.5) parts.push(' ');
  }
  return parts.join('');
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

describe('markdownToPlain for paragraphs of plain text', () => {
  test('gives what the lexer gives, over 20,000 seeded texts', () => {
    const rand = prng(15);
    let shortcut = 0;
    for (let i = 0; i < 20000; i++) {
      const text = randomText(rand);
      if (plainParagraphs(text) !== undefined) shortcut++;
      expect([text, markdownToPlain(text)]).toEqual([text, markdownToPlainLexed(text)]);
    }
    // The shortcut is taken often enough for the comparison to mean something.
    expect(shortcut).toBeGreaterThan(1500);
  });

  test('gives what the lexer gives for every string of the example and the Azure split', () => {
    const files = [
      path.join(ROOT, 'answers', 'example-cloud.yaml'),
      ...fs
        .readdirSync(path.join(ROOT, 'test', 'fixtures', 'azure-ncsc-2016'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => path.join(ROOT, 'test', 'fixtures', 'azure-ncsc-2016', f)),
    ];
    let shortcut = 0;
    let all = 0;
    for (const file of files) {
      for (const text of stringsIn(parse(fs.readFileSync(file, 'utf8')))) {
        all++;
        if (plainParagraphs(text) !== undefined) shortcut++;
        expect([file, text, markdownToPlain(text)]).toEqual([
          file,
          text,
          markdownToPlainLexed(text),
        ]);
      }
    }
    expect(shortcut / all).toBeGreaterThan(0.5);
  });

  test('leaves to the lexer what Markdown gives a meaning to', () => {
    for (const text of [
      '- a list',
      '1. first',
      '2) second',
      '# Heading',
      'see https://example.org',
      'www.example.org',
      'mail ops@example.org',
      'a *b* c',
      'a_b_c',
      'x &amp; y',
      'a line\n- then a list',
      'a line\n  indented',
      'a line\n# then a heading',
      'a line\n===',
      'ends with a break  ',
      '    code',
      'a | b',
    ]) {
      expect([text, plainParagraphs(text)]).toEqual([text, undefined]);
    }
    expect(plainParagraphs('One.\n\nTwo (2),\nwrapped.\n')).toBe('One.\n\nTwo (2), wrapped.');
  });
});
