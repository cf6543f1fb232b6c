import fs from 'node:fs';
import path from 'node:path';
import type { RegisterEntry } from '../../src/register';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';
import { readZipText } from '../helpers/export';
import { pdfText, squash } from '../helpers/pdf';

/* Answer 9 is for NDA readers only; answer 10 is internal; evidence iso22301 is internal. */
const text = fs
  .readFileSync(EXAMPLE, 'utf8')
  .replace(
    '    owner: Identity Services\n',
    '    owner: Identity Services\n    visibility: nda\n    summary: NDASECRET summary.\n',
  )
  .replace('  - id: iso22301\n', '  - id: iso22301\n    visibility: internal\n');
const ten = text.indexOf('\n  "10":\n');
const withInternal = `${text.slice(0, ten)}\n  "10":\n    visibility: internal${text.slice(ten + '\n  "10":'.length)}`;

describe('audiences', () => {
  const dir = tempDir('srq-audience-');
  beforeAll(() => {
    writeFiles(dir, {
      'answers/cloud.yaml': withInternal.replace(
        /owner: Identity Services\n {4}visibility: nda\n {4}summary: NDASECRET summary\.\n/,
        'owner: Identity Services\n    visibility: nda\n',
      ),
    });
    fs.mkdirSync(path.join(dir, 'output'));
  });

  test('a customer build withholds NDA and internal answers and internal evidence', () => {
    const r = srq(['build', 'answers/cloud.yaml', '-o', 'output/c.pdf'], { cwd: dir });
    expect(r.code).toBe(0);
    const t = squash(pdfText(fs.readFileSync(path.join(dir, 'output/c.pdf'))).text);
    expect(t).toContain('Details of this answer are available on request.');
    expect(t).not.toContain('ISO 22301:2019 business continuity certification');
    const nine = fs
      .readFileSync(EXAMPLE, 'utf8')
      .split('\n  "9":\n')[1]
      .split('provider: |\n')[1]
      .split('\n')[0]
      .trim();
    expect(t).not.toContain(nine);
  });

  test('an NDA build needs its reference; with one, every page is stamped and the register records it', () => {
    const refused = srq(
      [
        'build',
        'answers/cloud.yaml',
        '--audience',
        'nda',
        '--recipient',
        'Dana Lee <dana@acme.example>',
        '-o',
        'output/n.pdf',
      ],
      { cwd: dir },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^srq: --audience nda needs --nda-ref REF/);
    expect(fs.existsSync(path.join(dir, 'output/n.pdf'))).toBe(false);
    const r = srq(
      [
        'build',
        'answers/cloud.yaml',
        '--audience',
        'nda',
        '--recipient',
        'Dana Lee <dana@acme.example>',
        '--nda-ref',
        'NDA-77',
        '-o',
        'output/n.pdf',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const { pages } = pdfText(fs.readFileSync(path.join(dir, 'output/n.pdf')));
    for (const p of pages)
      expect(squash(p)).toContain(
        'Confidential — prepared for Dana Lee <dana@acme.example> under NDA NDA-77 — 2026-11-22',
      );
    const entries = fs
      .readFileSync(path.join(dir, 'output/register.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RegisterEntry);
    expect(entries.at(-1)).toMatchObject({
      audience: 'nda',
      recipient: 'Dana Lee <dana@acme.example>',
      ndaRef: 'NDA-77',
    });
    // The internal answer is withheld even under NDA.
    expect(squash(pages.join('\n'))).toContain('Details of this answer are available on request.');
  });

  test('internal answers never reach an export', () => {
    const r = srq(
      ['export', 'answers/cloud.yaml', '--format', 'md', '-o', '-', '--audience', 'nda'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const tenText = fs
      .readFileSync(EXAMPLE, 'utf8')
      .split('\n  "10":\n')[1]
      .split('provider: |\n')[1]
      .split('\n')[0]
      .trim();
    expect(r.stdout).not.toContain(tenText);
    expect(r.stdout).not.toContain('ISO 22301:2019');
  });

  test('every export format, at every audience: internal never appears; NDA answers only at nda', () => {
    const first = (id: string) =>
      fs
        .readFileSync(EXAMPLE, 'utf8')
        .split(`\n  "${id}":\n`)[1]
        .split('provider: |\n')[1]
        .split('\n')[0]
        .trim();
    const tenText = first('10');
    const nineText = first('9');
    // Readable text of an output: zip formats are read entry by entry (fflate), tags removed.
    const textOf = (file: string, zipped: boolean): string => {
      const raw = zipped
        ? Object.values(readZipText(file)).join('\n')
        : fs.readFileSync(file, 'utf8');
      return squash(
        raw
          .replace(/<[^>]+>/g, '')
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&apos;|&#39;/g, "'"),
      );
    };
    for (const audience of ['public', 'customer', 'nda']) {
      for (const format of ['md', 'html', 'csv', 'xlsx', 'docx', 'oscal']) {
        const out = path.join(dir, 'output', `e-${audience}.${format}`);
        const r = srq(
          ['export', 'answers/cloud.yaml', '--format', format, '-o', out, '--audience', audience],
          { cwd: dir },
        );
        expect([audience, format, r.code, r.stderr]).toEqual([audience, format, 0, '']);
        const t = textOf(out, format === 'xlsx' || format === 'docx');
        expect([audience, format, t.includes(tenText)]).toEqual([audience, format, false]);
        expect([audience, format, t.includes('ISO 22301:2019')]).toEqual([audience, format, false]);
        if (format !== 'xlsx' && format !== 'docx') {
          // Answer 9 (nda) is readable only in an NDA export.
          expect([audience, format, t.includes(nineText)]).toEqual([
            audience,
            format,
            audience === 'nda',
          ]);
        }
      }
    }
  });
});
