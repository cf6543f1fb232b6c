import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../../src/build-document';
import { loadModel } from '../../src/model/resolve';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir, writeFiles } from '../helpers/cli';
import { pdfText, squash, xmpPacket } from '../helpers/pdf';
import { objectsText } from '../helpers/pdf-objects';

/** Markdown as it reads in the PDF: emphasis marks gone, whitespace collapsed. */
const plain = (md: string) => squash(md.replace(/[*_`]/g, ''));
const OTHER_TIERS = ['Unmanaged virtual servers', 'Fully managed application'];

describe('buildDocument: the customer template', () => {
  const { model } = loadModel(EXAMPLE_CUSTOMER);
  let pages: string[];
  let all: string;
  let markdown: string;
  beforeAll(async () => {
    const r = await buildDocument(model, { template: 'customer', date: '2026-11-22' });
    markdown = r.markdown;
    pages = pdfText(r.pdf).pages;
    // A line may end after a hyphen or slash with no space in the source (UAX #14): pdf.js
    // puts a line break there, which is no space in the text.
    all = squash(pages.join(' ').replace(/([-/])\n/g, '$1'));
    expect(r.warnings).toEqual([]);
  });

  test('cover: "<Customer> — our responsibilities under <provider>\'s <service>, <tier> tier"', () => {
    expect(squash(pages[0])).toContain(
      "Kelvinside Borough Council — our responsibilities under Harbourline Cloud Ltd's Harbourline Hosting Platform, Managed hosting tier",
    );
    expect(squash(pages[0])).toContain('November 2026');
    expect(squash(pages[0])).toContain("Based on Harbourline Cloud Ltd's statement, version 3.0");
  });

  test('the customer name and tier run through the document; the header names them', () => {
    expect(all).toContain('Kelvinside Borough Council');
    expect(all).toContain('Managed hosting');
    for (const p of pages.slice(1))
      expect(p).toContain('Kelvinside Borough Council · Managed hosting tier');
  });

  test('no other tier is named anywhere', () => {
    for (const t of OTHER_TIERS) expect(all).not.toContain(t);
  });

  test("every customer answer follows the provider's expectation for the same principle", () => {
    const answered = model.items.filter((i) => i.customerAnswer);
    expect(answered.length).toBe(17);
    for (const item of answered) {
      const heading = item.parent
        ? `${item.id} ${item.title}`
        : `Principle ${item.id} — ${item.title}`;
      const expectation = plain(item.tiers[0].customer!);
      const answer = plain(item.customerAnswer!);
      const at = all.indexOf(squash(heading), all.indexOf('The principles For each principle'));
      expect(at).toBeGreaterThan(0);
      const e = all.indexOf(expectation, at);
      const a = all.indexOf(answer, at);
      expect(e).toBeGreaterThan(at);
      expect(a).toBeGreaterThan(e);
      // Both sit under their labels, in that order.
      const block = all.slice(at, a + answer.length);
      expect(block).toMatch(
        /What Harbourline Cloud Ltd expects of you .*How Kelvinside Borough Council meets it/,
      );
    }
  });

  test("the responsibility matrix has one column: the customer's tier", () => {
    expect(markdown).toContain('| Principle | Managed hosting |');
    expect(markdown).toMatch(/^\| 2\.1 Physical location and legal jurisdiction \| Provider \|$/m);
    expect(markdown).toMatch(/^\| 1 Data in transit protection \| Shared \|$/m);
  });

  test('principles the provider carries in full say so, with no customer block', () => {
    const start = all.indexOf(
      '2.2 Data centre security',
      all.indexOf('The principles For each principle'),
    );
    const end = all.indexOf('2.3 Data encryption', start);
    const block = all.slice(start, end);
    expect(block).toContain('Harbourline Cloud Ltd carries this principle in full');
    expect(block).not.toContain('expects of you');
  });

  test("signed off by the customer's signatory, dated the build date", () => {
    const tail = squash(pages.slice(-2).join(' '));
    expect(tail).toMatch(/Sign-off .*approved on behalf of Kelvinside Borough Council/);
    expect(tail).toContain('Daniel Reid');
    expect(tail).toContain('Senior Information Risk Owner, Kelvinside Borough Council');
    expect(tail).toContain('Date: 22 November 2026');
    expect(tail).not.toContain('Alex Morgan');
  });

  test("the signature field is the customer signatory's", async () => {
    const r = await buildDocument(model, {
      template: 'customer',
      date: '2026-11-22',
      signature: {},
    });
    expect(r.signatureRect).toBeDefined();
    const raw = objectsText(r.pdf);
    expect(raw).toContain('/Name (Daniel Reid)');
    expect(raw).toContain('Signature of Daniel Reid');
    // The document is the customer's: its metadata names the customer as author.
    expect(xmpPacket(r.pdf)).toMatch(
      /<dc:creator>[\s\S]*Kelvinside Borough Council[\s\S]*<\/dc:creator>/,
    );
  });
});

describe('the customer template: unanswered items', () => {
  test('items with no customer answer read "Not yet answered" and are listed in the summary', async () => {
    const dir = tempDir();
    const text = fs
      .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
      .replace(/^ {2}"5\.2":\n(?: {4}.*\n)+\n/m, '')
      .replace('provider: example-cloud.yaml', `provider: ${JSON.stringify(EXAMPLE)}`);
    writeFiles(dir, { 'c.yaml': text });
    const { model, warnings } = loadModel(path.join(dir, 'c.yaml'));
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/principle 5\.2 needs your answer/);
    // Refused like a provider file with unanswered principles; built only as a draft.
    await expect(
      buildDocument(model, { template: 'customer', date: '2026-11-22' }),
    ).rejects.toThrow('1 principle(s) unanswered: 5.2 (answer them, or build with --draft)');
    const cli = srq(['build', 'c.yaml', '-o', 'c.pdf'], { cwd: dir });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('5.2');
    expect(fs.existsSync(path.join(dir, 'c.pdf'))).toBe(false);
    const r = await buildDocument(model, { template: 'customer', date: '2026-11-22', draft: true });
    const all = squash(pdfText(r.pdf).text);
    expect(all).toContain('DRAFT');
    expect(all).toContain('has answered 16 of the 17 it carries any part of');
    expect(all).toMatch(/Not yet answered • 5\.2 Protective monitoring/);
    const at = all.indexOf(
      '5.2 Protective monitoring',
      all.indexOf('The principles For each principle'),
    );
    const block = all.slice(at, all.indexOf('5.3 Incident management', at));
    expect(block).toContain(plain(model.items.find((i) => i.id === '5.2')!.tiers[0].customer!));
    expect(block).toMatch(/How Kelvinside Borough Council meets it Not yet answered\./);
  });
});

describe('srq build <customer file>', () => {
  test('picks the customer template and names the output after customer, provider and tier', () => {
    const dir = tempDir();
    const r = srq(['build', EXAMPLE_CUSTOMER], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = path.join(
      'output',
      'kelvinside-borough-council-harbourline-cloud-ltd-managed-customer-v3-0.pdf',
    );
    expect(r.stdout).toContain(`wrote ${out} (`);
    const text = squash(pdfText(fs.readFileSync(path.join(dir, out))).text);
    expect(text).toContain('Kelvinside Borough Council — our responsibilities under');
    // SRQ_NOW is 2026-11-22, but a customer document is dated from its inputs: the provider
    // statement's issue date (2026-11-02), the customer file giving none.
    expect(text).toContain('Date: 2 November 2026');
    expect(text).not.toContain('22 November 2026');
  });

  test("--template statement gives the provider's statement narrowed to the tier", () => {
    const dir = tempDir();
    const r = srq(['build', EXAMPLE_CUSTOMER, '--template', 'statement', '-o', 's.pdf'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const text = squash(pdfText(fs.readFileSync(path.join(dir, 's.pdf'))).text);
    expect(text).toContain('Following the NCSC Cloud Security Principles');
    expect(text).toContain('This document covers one tier: Managed hosting');
    for (const t of OTHER_TIERS) expect(text).not.toContain(t);
  });

  test('--tier with a customer file is a usage error', () => {
    const r = srq(['build', EXAMPLE_CUSTOMER, '--tier', 'managed'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tier does not apply to a customer file/);
  });
});

describe('a customer document is dated from its inputs, not the build day', () => {
  const build = (dir: string, file: string, out: string, now: string) => {
    const r = srq(['build', file, '-o', out], { cwd: dir, env: { SRQ_NOW: now } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    return fs.readFileSync(path.join(dir, out));
  };

  test('rebuilt on another day (SRQ_NOW, --today), the bytes are identical', () => {
    const dir = tempDir();
    const a = build(dir, EXAMPLE_CUSTOMER, 'a.pdf', '2026-11-22T12:00:00Z');
    const b = build(dir, EXAMPLE_CUSTOMER, 'b.pdf', '2028-02-29T08:00:00Z');
    expect(a.equals(b)).toBe(true);
    const r = srq(['build', EXAMPLE_CUSTOMER, '--today', '2030-01-15', '-o', 'c.pdf'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'c.pdf')).equals(a)).toBe(true);
  });

  test("the customer file's own date dates it, on the cover, in document control and the sign-off", () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'example-cloud.yaml'));
    const text = fs
      .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
      .replace(/^tier: managed$/m, 'tier: managed\ndate: 2027-01-18');
    writeFiles(dir, { 'customer.yaml': text });
    const a = build(dir, 'customer.yaml', 'a.pdf', '2026-11-22T12:00:00Z');
    const b = build(dir, 'customer.yaml', 'b.pdf', '2027-06-01T12:00:00Z');
    expect(a.equals(b)).toBe(true);
    const pages = pdfText(a).pages.map(squash);
    expect(pages[0]).toContain('January 2027');
    const all = pages.join(' ');
    expect(all).toContain('Date 18 January 2027');
    expect(squash(pages.slice(-2).join(' '))).toContain('Date: 18 January 2027');
  });

  test('a malformed date is refused with its place and the expected form', () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, 'example-cloud.yaml'));
    const text = fs
      .readFileSync(EXAMPLE_CUSTOMER, 'utf8')
      .replace(/^tier: managed$/m, 'tier: managed\ndate: 18/01/2027');
    writeFiles(dir, { 'customer.yaml': text });
    const r = srq(['build', 'customer.yaml', '-o', 'x.pdf'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/customer\.yaml:10:7: .*date.*YYYY-MM-DD/);
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  });
});
