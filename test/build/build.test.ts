import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../../src/build-document';
import { CheckError } from '../../src/errors';
import { loadModel } from '../../src/model/resolve';
import { testModel } from '../helpers/model';
import { pdfText, squash, xmpPacket } from '../helpers/pdf';
import { PdfObjects } from '../helpers/pdf-objects';
import { tempDir } from '../helpers/cli';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'answers', 'example-cloud.yaml');

describe('buildDocument: the example statement', () => {
  const { model } = loadModel(EXAMPLE);
  let pdf: Buffer;
  let pages: string[];
  let all: string;
  beforeAll(async () => {
    const r = await buildDocument(model, {
      buyer: 'Acme Borough Council',
      reference: 'T-2026-041',
    });
    pdf = r.pdf;
    pages = pdfText(pdf).pages;
    all = squash(pages.join(' '));
    expect(r.pages).toBe(pages.length);
    expect(r.warnings).toEqual([]);
  });

  // NOTE: 17-18 pages since body text is 10 pt and tables 9 pt (issue 16, accessibility).
  test('8 to 19 pages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.length).toBeLessThanOrEqual(19);
  });

  test('every principle title and requirement', () => {
    for (const p of model.principles) {
      expect(all).toContain(squash(`Principle ${p.id} — ${p.title}`));
      expect(all).toContain(squash(p.requirement));
      for (const i of p.items) expect(all).toContain(squash(i.requirement));
    }
  });

  test('every provider statement and customer responsibility (first sentence)', () => {
    const first = (md: string) =>
      squash(md.replace(/[*_`]/g, ''))
        .split(/(?<=\.)\s/)[0]
        .slice(0, 60);
    for (const i of model.items) {
      expect(all).toContain(first(i.provider));
      for (const t of i.tiers) if (t.customer) expect(all).toContain(first(t.customer));
    }
  });

  test('matrix cells name the party for every item and tier', () => {
    const matrix = squash(pages.slice(1, 7).join(' '));
    const label = {
      provider: 'Provider',
      customer: 'Customer',
      shared: 'Shared',
      'not-applicable': 'N/A',
    } as const;
    for (const i of model.items) {
      const marks = i.tiers.map((t) => label[t.responsibility]).join(' ');
      expect(matrix).toContain(`${i.id} `);
      expect(matrix).toMatch(
        new RegExp(
          `${
            i.title
              .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
              .split(' ')
              .slice(-1)[0]
          }[^|]*?${marks}`,
        ),
      );
    }
  });

  test('"Page N of M" on every page after the cover; buyer and reference on the cover', () => {
    const m = pages.length;
    pages.slice(1).forEach((p, i) => expect(p).toContain(`Page ${i + 2} of ${m}`));
    expect(pages[0]).not.toMatch(/Page \d+ of/);
    expect(squash(pages[0])).toContain('Prepared for Acme Borough Council');
    expect(squash(pages[0])).toContain('Tender reference: T-2026-041');
    expect(squash(pages[0])).toContain('November 2026');
  });

  test('deterministic: the same input gives identical bytes', async () => {
    const again = await buildDocument(model, {
      buyer: 'Acme Borough Council',
      reference: 'T-2026-041',
    });
    expect(again.pdf.equals(pdf)).toBe(true);
  });

  test('tagged PDF/A-2a with metadata', () => {
    const objects = new PdfObjects(pdf);
    const catalog = objects.catalog;
    expect(objects.dict(catalog.StructTreeRoot)).toBeDefined();
    expect(catalog.Lang).toBe('en-GB');
    expect(objects.dict(catalog.ViewerPreferences)?.DisplayDocTitle).toBe(true);
    const xmp = xmpPacket(pdf);
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>A</pdfaid:conformance>');
  });
});

describe('buildDocument: options and edge cases', () => {
  test('--tier narrows the document to the chosen tiers', async () => {
    const { model } = loadModel(EXAMPLE, { tiers: ['managed'] });
    const text = squash(pdfText((await buildDocument(model)).pdf).text);
    expect(text).toContain('Managed hosting');
    expect(text).not.toContain('Unmanaged virtual servers');
    expect(text).not.toContain('Fully managed application');
  });

  test('unanswered principles refuse the build unless draft; draft marks every page', async () => {
    const model = testModel({ unanswered: ['2.3', '7'] });
    await expect(buildDocument(model)).rejects.toThrow(CheckError);
    await expect(buildDocument(model)).rejects.toThrow(/2\.3, 7/);
    const r = await buildDocument(model, { draft: true });
    const { pages } = pdfText(r.pdf);
    for (const p of pages) expect(p).toContain('DRAFT');
    expect(squash(pages.join(' '))).toContain('Not yet answered.');
  });

  test('{{x}} in an answer prints literally', async () => {
    const r = await buildDocument(
      testModel({ provider: { '1': 'Templates like {{x}} and {{> partial}} stay as written.' } }),
    );
    expect(squash(pdfText(r.pdf).text)).toContain(
      'Templates like {{x}} and {{> partial}} stay as written.',
    );
  });

  test('Unicode round-trips', async () => {
    const sample =
      'Cymraeg ŵ ŷ, polski ł ż, Ελληνικά, кириллица, £10 €20, “curly” ‘quotes’ – en — em';
    const r = await buildDocument(testModel({ provider: { '1': sample } }));
    expect(r.warnings).toEqual([]);
    expect(squash(pdfText(r.pdf).text)).toContain(sample);
  });

  test('characters no embedded font covers are reported with their principle', async () => {
    const r = await buildDocument(testModel({ provider: { '2.3': 'We encrypt 🦀 data.' } }));
    expect(r.warnings).toEqual([
      'principle 2.3: U+1F980 🦀 is not in the embedded fonts (it prints as a box)',
    ]);
  });

  test('one coverage check: a character is reported once, by its field, else by its heading', async () => {
    // The layout checks every character it draws; the warning names the answers-file field that
    // holds the character, and only text from elsewhere (here a changes section) names a heading.
    const r = await buildDocument(
      testModel({ provider: { '2.3': 'We encrypt 🦀 data. 🦀 again.', '4': 'Crab 🦀 too.' } }),
      { changes: '## Changes since version 0.9\n\nNew ⍼ symbol.' },
    );
    expect(r.warnings).toEqual([
      'principle 2.3: U+1F980 🦀 is not in the embedded fonts (it prints as a box)',
      'principle 4: U+1F980 🦀 is not in the embedded fonts (it prints as a box)',
      'Changes since version 0.9: U+237C ⍼ is not in the embedded fonts (it prints as a box)',
    ]);
  });

  test('Smith & Sons <Ltd>: text round-trips and the XMP is well-formed', async () => {
    const name = 'Smith & Sons <Ltd>';
    const r = await buildDocument(testModel({ providerName: name }));
    const xmp = xmpPacket(r.pdf);
    expect(xmp).toContain('Smith &amp; Sons &lt;Ltd&gt;');
    expect(xmp).not.toContain(name);
    // Every tag opened is closed, in order: a cheap well-formedness check (the interop suite parses it).
    const stack: string[] = [];
    for (const m of xmp.replace(/<\?[^>]*\?>/g, '').matchAll(/<(\/?)([\w:]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]);
    }
    expect(stack).toEqual([]);
    expect(squash(pdfText(r.pdf).pages[0])).toContain(name);
  });

  test('a missing or corrupt logo is a one-line error', async () => {
    const dir = tempDir();
    await expect(buildDocument(testModel({ logo: path.join(dir, 'nope.png') }))).rejects.toThrow(
      /nope\.png: no such file/,
    );
    fs.writeFileSync(path.join(dir, 'bad.png'), 'not an image');
    await expect(buildDocument(testModel({ logo: path.join(dir, 'bad.png') }))).rejects.toThrow(
      /bad\.png: cannot use the logo: it is not a PNG or JPEG/,
    );
  });

  test('six tiers fit the matrix', async () => {
    const r = await buildDocument(testModel({ tiers: 6 }));
    const text = squash(pdfText(r.pdf).text);
    expect(text).toContain('Colocation');
    expect(text).toContain('Disaster recovery');
  });
});
