import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir } from '../helpers/cli';
import { pdfText, squash } from '../helpers/pdf';
import { PdfObjects } from '../helpers/pdf-objects';
import { byRole, readTagged, spoken, type TaggedPdf } from '../helpers/pdf-tags';

/**
 * One-tier documents (a `--tier` tender, each `--each-tier` statement and overview) name their
 * tier on the cover, in the running header, in the title metadata and in document control, and
 * read as plain sentences. Text read back with pdf.js (pdf-parse), metadata and tables with the
 * test's own object reader; the expected wording written out by hand.
 */

const dir = tempDir('srq-tender-');
const pdfs: Record<string, Buffer> = {};

function build(name: string, args: string[]): void {
  const r = srq(['build', ...args], { cwd: dir });
  if (r.code !== 0) throw new Error(`srq build ${args.join(' ')}: ${r.code} ${r.stderr}`);
  const out = args[args.indexOf('-o') + 1];
  if (out.endsWith('/')) {
    for (const f of fs.readdirSync(path.join(dir, out)))
      pdfs[`${name} ${/-(unmanaged|managed|fully-managed)-/.exec(f)![1]}`] = fs.readFileSync(
        path.join(dir, out, f),
      );
  } else pdfs[name] = fs.readFileSync(path.join(dir, out));
}

/** The example without any way to reach the provider (no email, telephone or address). */
function noContact(): string {
  const file = path.join(dir, 'no-contact.yaml');
  const text = fs
    .readFileSync(EXAMPLE, 'utf8')
    .split('\n')
    .filter((l) => !/^ {2}(email|phone|address):/.test(l))
    .join('\n');
  fs.writeFileSync(file, text);
  return file;
}

const TIERS: Record<string, string> = {
  unmanaged: 'Unmanaged virtual servers',
  managed: 'Managed hosting',
  'fully-managed': 'Fully managed application',
};

beforeAll(() => {
  build('tender', [
    EXAMPLE,
    '--tier',
    'managed',
    '--buyer',
    'Acme Borough Council',
    '--reference',
    'T-2026-041',
    '-o',
    'tender.pdf',
  ]);
  build('plain', [EXAMPLE, '--tier', 'managed', '-o', 'plain.pdf']);
  build('statement', [EXAMPLE, '-o', 'statement.pdf']);
  build('no-contact', [noContact(), '-o', 'no-contact.pdf']);
  build('customer', [EXAMPLE_CUSTOMER, '-o', 'customer.pdf']);
  build('statement', [EXAMPLE, '--each-tier', '-j', '1', '-o', 'each/']);
  build('overview', [EXAMPLE, '--each-tier', '--template', 'overview', '-j', '1', '-o', 'eo/']);
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const text = (name: string) => pdfText(pdfs[name]);
/** The Info dictionary's title. */
const titleOf = (name: string) => {
  const o = new PdfObjects(pdfs[name]);
  return o.get(o.dict(o.trailer.Info)!.Title);
};
/** The running header: the page's line that starts with the short title. */
const headerOf = (page: string) =>
  page.split('\n').find((l) => l.startsWith('Harbourline Cloud Ltd · ')) ?? '';

/** Document control's rows (key → value), read from the tagged table after its heading. */
function controlRows(t: TaggedPdf): Map<string, string> {
  const sect = byRole(t, 'Sect').find((s) => s.kids[0] && spoken(s.kids[0]) === 'Document control');
  expect(sect).toBeDefined();
  const table = sect!.kids.find((k) => k.role === 'Table')!;
  const rows = new Map<string, string>();
  for (const tr of table.kids.flatMap((k) => (k.role === 'TR' ? [k] : k.kids))) {
    if (tr.role !== 'TR') continue;
    const [key, value] = tr.kids.map((c) => spoken(c).replace(/\s+/g, ' ').trim());
    rows.set(key, value);
  }
  return rows;
}

describe('a --tier tender: the tier on the cover, in the header, the title and document control', () => {
  test('the cover names the tier, the buyer and the tender reference', () => {
    const cover = squash(text('tender').pages[0]);
    expect(cover).toContain('Harbourline Hosting Platform Managed hosting tier');
    expect(cover).toContain('Prepared for Acme Borough Council');
    expect(cover).toContain('Tender reference: T-2026-041');
  });

  test('every page after the cover has the tier in its running header', () => {
    const { pages } = text('tender');
    expect(pages.length).toBeGreaterThan(10);
    pages.slice(1).forEach((p, i) => {
      expect([i + 2, headerOf(p)]).toEqual([
        i + 2,
        expect.stringMatching(
          /^Harbourline Cloud Ltd · NCSC Cloud Security Principles · Managed hosting tier\s+OFFICIAL$/,
        ),
      ]);
    });
    // A statement of every tier names none in its header.
    expect(headerOf(text('statement').pages[1])).toMatch(
      /^Harbourline Cloud Ltd · NCSC Cloud Security Principles\s+OFFICIAL$/,
    );
  });

  test('the title metadata (Info and XMP) names the tier', () => {
    const title = 'Following the NCSC Cloud Security Principles — Managed hosting tier';
    expect(titleOf('tender')).toBe(title);
    expect(pdfs.tender.toString('latin1')).toContain(
      `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${Buffer.from(title, 'utf8').toString('latin1')}</rdf:li></rdf:Alt></dc:title>`,
    );
    expect(titleOf('statement')).toBe('Following the NCSC Cloud Security Principles');
  });

  test('document control has rows for the tier, the buyer and the tender reference', () => {
    const rows = controlRows(readTagged(pdfs.tender));
    expect(rows.get('Service tier')).toBe('Managed hosting');
    expect(rows.get('Prepared for')).toBe('Acme Borough Council');
    expect(rows.get('Tender reference')).toBe('T-2026-041');
    expect([...rows.keys()].slice(0, 5)).toEqual([
      'Item',
      'Document',
      'Service tier',
      'Prepared for',
      'Tender reference',
    ]);
    // Without --buyer and --reference: the tier row only.
    const plain = controlRows(readTagged(pdfs.plain));
    expect(plain.get('Service tier')).toBe('Managed hosting');
    expect(plain.has('Prepared for')).toBe(false);
    expect(plain.has('Tender reference')).toBe(false);
    // A statement of every tier has no tier row.
    expect(controlRows(readTagged(pdfs.statement)).has('Service tier')).toBe(false);
  });

  test('the one-tier sentence and the introduction read as plain sentences', () => {
    const t = squash(text('tender').text);
    expect(t).toContain(
      'This document covers one tier: Managed hosting. As unmanaged, and we also patch, back up and monitor the operating system; you run the applications on it. The matrix shows who is responsible for each principle in the Managed hosting tier.',
    );
    expect(t).toContain(
      'This document maps Harbourline Hosting Platform, in its Managed hosting tier, against the NCSC Cloud Security Principles (version 2.1).',
    );
    expect(t).toContain(
      'finally what you must do yourself in the Managed hosting tier where any part of the responsibility is yours.',
    );
    // The service summary is quoted as the provider wrote it, not pasted after a colon.
    expect(t).toContain(
      `Harbourline Cloud Ltd's own summary of the service reads "Virtual servers, managed hosting and fully managed applications, run from two UK data centres for public-sector and commercial customers."`,
    );
    expect(t).not.toContain('in brief: Virtual');
    // A one-tier document never speaks of "each tier".
    expect(t).not.toMatch(/each (service )?tier/);
    expect(t).not.toMatch(/\.\.(?!\.)|, As unmanaged|\(Virtual servers/);
  });
});

describe('--each-tier: three distinct documents, each naming its own tier', () => {
  test.each(Object.entries(TIERS))('%s statement and overview', (id, name) => {
    const s = text(`statement ${id}`);
    expect(squash(s.pages[0])).toContain(`${name} tier`);
    for (const p of s.pages.slice(1)) expect(headerOf(p)).toContain(`· ${name} tier`);
    expect(titleOf(`statement ${id}`)).toBe(
      `Following the NCSC Cloud Security Principles — ${name} tier`,
    );
    expect(controlRows(readTagged(pdfs[`statement ${id}`])).get('Service tier')).toBe(name);
    const o = text(`overview ${id}`);
    for (const p of o.pages) expect(headerOf(p)).toContain(`· ${name} tier`);
    expect(squash(o.text)).toContain(`This overview covers its ${name} tier.`);
    expect(titleOf(`overview ${id}`)).toBe(
      `Harbourline Cloud Ltd Security Overview — ${name} tier`,
    );
    for (const [other, otherName] of Object.entries(TIERS)) {
      if (other === id) continue;
      expect(squash(o.text)).not.toContain(otherName);
      expect(pdfs[`overview ${id}`].equals(pdfs[`overview ${other}`])).toBe(false);
    }
  });
});

describe('the contact sentence', () => {
  test('"using the contact details below" only when contact details follow', () => {
    const withContact = squash(text('tender').pages[1]);
    expect(withContact).toMatch(
      /please tell us using the contact details below\. .* Compliance contact Compliance Team, Harbourline Cloud Ltd .* Email: compliance@harbourline\.example/,
    );
    const none = squash(text('no-contact').text);
    expect(none).toContain('if you find anything that seems wrong or out of date, please tell us.');
    expect(none).not.toContain('contact details below');
    expect(none).not.toContain('Compliance contact');
  });
});

describe('the customer document', () => {
  test("quotes the provider's description of the tier (no capital after a colon)", () => {
    const t = squash(text('customer').text);
    expect(t).toContain(
      `Harbourline Cloud Ltd's own description of the tier reads "As unmanaged, and we also patch, back up and monitor the operating system; you run the applications on it."`,
    );
    expect(t).not.toMatch(/so: As/);
  });
});

describe('one date format in every document', () => {
  test.each(['tender', 'customer', 'overview managed', 'no-contact'])(
    '%s: dates written as "2 November 2026" (or "November 2026"), never ISO or numeric',
    (name) => {
      const t = text(name).text;
      expect(t).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/);
      expect(t).toMatch(
        /\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/,
      );
    },
  );
});
