import fs from 'node:fs';
import path from 'node:path';
import { slug } from '../../src/text/slug';
import { slug as interviewId } from '../../src/interview/common';
import { ROOT, srq, tempDir, writeFiles } from '../helpers/cli';
import { pdfText, squash } from '../helpers/pdf';

/** The helpers that had two drifting copies each: one slug, one entity decoder. */

const ANSWERS = path.join(ROOT, 'test', 'fixtures', 'three-tier', 'answers.yaml');

describe('slug', () => {
  it('transliterates to ASCII: "Straße & Söhne" → strasse-sohne', () => {
    expect(slug('Straße & Söhne')).toBe('strasse-sohne');
    expect(slug('Øresund Æble Łódź Œuvre Þór')).toBe('oresund-aeble-lodz-oeuvre-thor');
    expect(slug('Crème Brûlée 3.0')).toBe('creme-brulee-3-0');
    expect(slug('   ')).toBe('document');
    expect(slug('a'.repeat(80))).toHaveLength(60);
  });

  it('interview ids use the same slug (40 characters, "item" when empty)', () => {
    expect(interviewId('Straße & Söhne certificate')).toBe('strasse-sohne-certificate');
    expect(interviewId('***')).toBe('item');
  });

  it('build and export name their files with it, the same way', () => {
    const dir = tempDir();
    const text = fs
      .readFileSync(ANSWERS, 'utf8')
      .replace('name: Harbourline Cloud Ltd', 'name: Straße & Söhne GmbH');
    writeFiles(dir, { 'answers.yaml': text });
    const build = srq(['build', 'answers.yaml'], { cwd: dir });
    const md = srq(['export', 'answers.yaml', '--format', 'md'], { cwd: dir });
    const csv = srq(['export', 'answers.yaml', '--format', 'csv'], { cwd: dir });
    expect([build.code, md.code, csv.code]).toEqual([0, 0, 0]);
    expect(fs.readdirSync(path.join(dir, 'output')).sort()).toEqual([
      'answers', // the register's copies of the answers as built (srq register --affected-by)
      'register.jsonl',
      'strasse-sohne-gmbh-harbourline-hosting-platform-statement-v3-0.md',
      'strasse-sohne-gmbh-harbourline-hosting-platform-statement-v3-0.pdf',
      'strasse-sohne-gmbh-harbourline-hosting-platform-v3-0.csv',
    ]);
  });
});

describe('character references', () => {
  it('&copy; &mdash; &pound; print as characters in the PDF and every export', () => {
    const dir = tempDir();
    const text = fs
      .readFileSync(ANSWERS, 'utf8')
      .replace(
        /^( {6})Every service we expose/m,
        '$1Prices &pound;40 &mdash; &copy; Harbourline &#x2122; &#8364;5 &amp; &notanentity; AT&T.\n\n$1Every service we expose',
      );
    writeFiles(dir, { 'answers.yaml': text });
    const want = 'Prices £40 — © Harbourline ™ €5 & &notanentity; AT&T.';
    const build = srq(['build', 'answers.yaml', '-o', 'x.pdf'], { cwd: dir });
    expect(build.code).toBe(0);
    expect(squash(pdfText(fs.readFileSync(path.join(dir, 'x.pdf'))).text)).toContain(want);
    const md = srq(['export', 'answers.yaml', '--format', 'md', '-o', '-'], { cwd: dir });
    // Markdown escapes what would be read as markup again (& as \&); the reader sees the same.
    expect(md.stdout).toContain('Prices £40 — © Harbourline ™ €5 \\& \\&notanentity; AT\\&T.');
    const csv = srq(['export', 'answers.yaml', '--format', 'csv', '-o', '-'], { cwd: dir });
    expect(csv.stdout).toContain(want);
    const html = srq(['export', 'answers.yaml', '--format', 'html', '-o', '-'], { cwd: dir });
    expect(html.stdout).toContain(
      'Prices £40 — © Harbourline ™ €5 &amp; &amp;notanentity; AT&amp;T.',
    );
  });
});
