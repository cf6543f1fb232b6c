import fs from 'node:fs';
import path from 'node:path';
import { decodeHTMLStrict } from 'entities';
import YAML from 'yaml';
import { ROOT, srq, tempDir } from '../helpers/cli';
import { docxText, readDocx, runExport } from '../helpers/export';
import { pdfText } from '../helpers/pdf';

/**
 * Every answer's text appears in every document format: the PDF, and the md, html and docx
 * exports made from the same templates. The expected texts come from the YAML (read with the
 * yaml package, not srq's parser), cut into paragraphs, list items and table cells.
 */

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'three-tier');
const ANSWERS = path.join(FIXTURE, 'answers.yaml');
const CUSTOMER = path.join(FIXTURE, 'customer.yaml');

/** Words as every format prints them: markup, list markers and line breaks gone. */
function words(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\(<?[^)>]*>?\)/g, '$1')
    .replace(/\\([\\`*_[\]<>|~&#!{}.()+=-])/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/\|/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/- /g, '-')
    .trim();
}

/** A Markdown answer as the units a reader sees: paragraphs, list items, table cells. */
function units(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    if (lines.every((l) => l.trim().startsWith('|'))) {
      for (const l of lines) {
        if (/^\s*\|[\s:|-]+\|\s*$/.test(l)) continue;
        out.push(
          ...l
            .split('|')
            .map((c) => c.trim())
            .filter(Boolean),
        );
      }
      continue;
    }
    // List items each start a unit; their continuation lines belong to them.
    const items = block.split(/\n(?=\s*(?:[-*+]|\d{1,9}[.)])\s)/);
    for (const item of items) out.push(item.replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, ''));
  }
  return out.map(words).filter((u) => u.length > 0);
}

interface Texts {
  where: string;
  text: string;
}

function providerTexts(): Texts[] {
  const doc = YAML.parse(fs.readFileSync(ANSWERS, 'utf8')) as {
    answers: Record<string, { provider: string; tiers: Record<string, unknown> }>;
  };
  const out: Texts[] = [];
  for (const [id, a] of Object.entries(doc.answers)) {
    out.push({ where: `answers.${id}.provider`, text: a.provider });
    for (const [tier, t] of Object.entries(a.tiers)) {
      const customer = t as { customer?: string } | string as { customer?: string };
      if (typeof t === 'object' && customer.customer) {
        out.push({ where: `answers.${id}.tiers.${tier}.customer`, text: customer.customer });
      }
    }
  }
  return out;
}

function customerTexts(): Texts[] {
  const doc = YAML.parse(fs.readFileSync(CUSTOMER, 'utf8')) as {
    answers: Record<string, { customer: string }>;
  };
  return Object.entries(doc.answers).map(([id, a]) => ({
    where: `answers.${id}.customer`,
    text: a.customer,
  }));
}

/** The units of `texts` missing from `formatText`, named by where they come from. */
function missing(texts: Texts[], formatText: string): string[] {
  const hay = words(formatText);
  return texts.flatMap(({ where, text }) =>
    units(text)
      .filter((u) => !hay.includes(u))
      .map((u) => `${where}: ${u.slice(0, 60)}`),
  );
}

/** The pages' text without the running header and footer (lines on most pages), which cut
 * a paragraph that runs over a page break. */
function withoutFurniture(pages: string[]): string {
  const count = new Map<string, number>();
  const norm = (l: string) => l.replace(/\d+/g, '#').trim();
  for (const p of pages)
    for (const l of new Set(p.split('\n').map(norm))) count.set(l, (count.get(l) ?? 0) + 1);
  return pages
    .map((p) =>
      p
        .split('\n')
        .filter((l) => (count.get(norm(l)) ?? 0) < pages.length / 2)
        .join('\n'),
    )
    .join('\n');
}

async function formatTexts(answers: string): Promise<Record<string, string>> {
  const dir = tempDir();
  const pdf = path.join(dir, 'doc.pdf');
  const built = srq(['build', answers, '-o', pdf], { cwd: dir });
  expect(built.stderr).not.toMatch(/error/);
  const md = runExport([answers, '--format', 'md', '-o', '-']);
  const html = runExport([answers, '--format', 'html', '-o', '-']);
  const docx = runExport([answers, '--format', 'docx', '-o', path.join(dir, 'doc.docx')]);
  for (const r of [built, md, html, docx]) expect(r.code).toBe(0);
  const xml = (await readDocx(path.join(dir, 'doc.docx')))['word/document.xml'];
  return {
    pdf: withoutFurniture(pdfText(fs.readFileSync(pdf)).pages),
    md: md.stdout,
    html: decodeHTMLStrict(
      html.stdout.replace(/<\/?(strong|em|code|a)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' '),
    ),
    docx: docxText(xml),
  };
}

describe('every answer appears in every document format', () => {
  it('the provider statement: PDF, md, html, docx', async () => {
    const texts = providerTexts();
    expect(texts.length).toBeGreaterThan(40);
    const formats = await formatTexts(ANSWERS);
    for (const [format, text] of Object.entries(formats)) {
      expect({ format, missing: missing(texts, text) }).toEqual({ format, missing: [] });
    }
  });

  it('the customer split: PDF, md, html, docx', async () => {
    const texts = customerTexts();
    expect(texts.length).toBeGreaterThan(5);
    const formats = await formatTexts(CUSTOMER);
    for (const [format, text] of Object.entries(formats)) {
      expect({ format, missing: missing(texts, text) }).toEqual({ format, missing: [] });
    }
  });

  it('a user template set reaches the exports as it reaches the PDF', () => {
    const dir = tempDir();
    const set = path.join(dir, 'tpl', 'statement');
    fs.cpSync(path.join(ROOT, 'templates', 'statement'), set, { recursive: true });
    const item = path.join(set, 'item.md.hbs');
    fs.writeFileSync(
      item,
      fs
        .readFileSync(item, 'utf8')
        .replace('**Your responsibilities**', '**What falls to you (house style)**'),
    );
    for (const format of ['md', 'html']) {
      const r = runExport([
        ANSWERS,
        '--format',
        format,
        '--templates',
        path.join(dir, 'tpl'),
        '-o',
        '-',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('What falls to you (house style)');
      expect(r.stdout).not.toContain('Your responsibilities');
    }
  });
});
