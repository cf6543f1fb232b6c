import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir } from '../helpers/cli';
import { nameOf, PdfRef, type PdfDict } from '../helpers/pdf-objects';
import { xmpPacket } from '../helpers/pdf';
import { byRole, readTagged, spoken, type TaggedPdf, type TagNode } from '../helpers/pdf-tags';

/**
 * PDF/UA-1 rules checked on the documents a user builds, by walking the structure tree with a
 * reader that is not srq's (test/helpers/pdf-objects.ts, pdf-content.ts; pdf.js as a cross-check).
 */

const dir = tempDir('srq-tags-');
const built: Record<string, Buffer> = {};
const tagged: Record<string, TaggedPdf> = {};

function build(name: string, args: string[]): void {
  const out = path.join(dir, `${name}.pdf`);
  const r = srq(['build', ...args, '-o', out], { cwd: dir });
  if (r.code !== 0) throw new Error(`srq build ${args.join(' ')}: ${r.code} ${r.stderr}`);
  built[name] = fs.readFileSync(out);
  tagged[name] = readTagged(built[name]);
}

beforeAll(() => {
  build('statement', [EXAMPLE]);
  build('tender', [
    EXAMPLE,
    '--tier',
    'managed',
    '--buyer',
    'Acme Borough Council',
    '--reference',
    'T-2026-041',
  ]);
  build('overview', [EXAMPLE, '--template', 'overview']);
  build('customer', [EXAMPLE_CUSTOMER]);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface AnswersFile {
  answers: Record<
    string,
    {
      summary?: string;
      provider?: string;
      customer?: string;
      tiers?: Record<string, string | { customer?: string }>;
    }
  >;
}

/** Paragraphs of plain words (no Markdown) from the answers a document is built from. */
function sourceParagraphs(doc: string): string[] {
  const read = (file: string) => YAML.parse(fs.readFileSync(file, 'utf8')) as AnswersFile;
  const provider = read(EXAMPLE).answers;
  const out: string[] = [];
  for (const a of Object.values(provider)) {
    if (doc === 'overview') out.push(a.summary ?? '');
    if (doc === 'statement' || doc === 'tender') out.push(...(a.provider ?? '').split(/\n\s*\n/));
    for (const [tier, v] of Object.entries(a.tiers ?? {})) {
      if (doc === 'statement' || (doc === 'tender' && tier === 'managed'))
        out.push(typeof v === 'string' ? '' : (v.customer ?? ''));
    }
  }
  if (doc === 'customer')
    for (const a of Object.values(read(EXAMPLE_CUSTOMER).answers)) out.push(a.customer ?? '');
  return out
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => /^[A-Z][^*_`[\]<>|#\\]*$/.test(p));
}

const DOCS = ['statement', 'tender', 'overview', 'customer'];

describe.each(DOCS)('%s', (name) => {
  const t = () => tagged[name];

  test('every link annotation is tagged: a Link element with its text, an OBJR, /StructParent, /Contents', () => {
    const { objects } = t();
    const links = byRole(t(), 'Link');
    const tagged = new Set<number>();
    for (const l of links) {
      expect(spoken(l).trim()).not.toBe('');
      expect(l.objr.length).toBeGreaterThan(0);
      for (const o of l.objr) {
        tagged.add(o.num);
        expect(nameOf(o.annot.Subtype)).toBe('Link');
        expect(typeof o.annot.Contents).toBe('string');
        expect(o.annot.Contents).toMatch(/^(Link to|Email|Go to) \S+/);
        expect(typeof o.annot.StructParent).toBe('number');
        // The parent tree maps the annotation's key back to this element.
        const tree = objects.dict(objects.dict(objects.catalog.StructTreeRoot)!.ParentTree)!;
        const nums = objects.array(tree.Nums);
        const at = nums.findIndex((v, i) => i % 2 === 0 && v === o.annot.StructParent);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(nameOf(objects.dict(nums[at + 1])!.S)).toBe('Link');
      }
    }
    // Every link annotation on every page is one of them.
    const pages = objects.array(objects.dict(objects.catalog.Pages)!.Kids);
    for (const p of pages) {
      for (const a of objects.array(objects.dict(p)!.Annots)) {
        const annot = objects.dict(a)!;
        if (nameOf(annot.Subtype) === 'Link') expect(tagged.has((a as PdfRef).num)).toBe(true);
      }
    }
  });

  test('every TH has a /Scope; each body row of a matrix or key table starts with a row header', () => {
    for (const th of byRole(t(), 'TH')) {
      expect(['Row', 'Column']).toContain(nameOf(th.attrs?.Scope));
      expect(nameOf(th.attrs?.O)).toBe('Table');
    }
    for (const table of byRole(t(), 'Table')) {
      const [head, ...body] = table.kids.filter((k) => k.role === 'TR');
      expect(head.kids.every((c) => c.role === 'TH' && nameOf(c.attrs?.Scope) === 'Column')).toBe(
        true,
      );
      const first = head.kids[0] ? spoken(head.kids[0]).trim() : '';
      // The responsibility matrix, document control, version history and evidence tables.
      if (['Principle', 'Item', 'Version', 'Certification or report', 'Policy'].includes(first)) {
        for (const row of body) {
          expect(row.kids[0].role).toBe('TH');
          expect(nameOf(row.kids[0].attrs?.Scope)).toBe('Row');
          expect(row.kids.slice(1).every((c) => c.role === 'TD')).toBe(true);
        }
      }
    }
  });

  test('heading levels never skip, and the visual sub-headings are headings', () => {
    let level = 0;
    const seen: string[] = [];
    const skips: string[] = [];
    const walk = (n: TagNode) => {
      const m = /^H(\d)$/.exec(n.role);
      if (m) {
        const l = Number(m[1]);
        if (l > level + 1) skips.push(`${n.role} "${spoken(n)}" after an H${level}`);
        level = l;
        seen.push(spoken(n).trim());
      }
      n.kids.forEach(walk);
    };
    walk(t().root);
    expect(skips).toEqual([]);
    expect(seen[0]).not.toBe('');
    const subs = {
      statement: ['Compliance contact', 'Version history', 'Your responsibilities'],
      tender: ['Compliance contact', 'Version history', 'Your responsibilities'],
      customer: [],
      overview: [],
    }[name]!;
    for (const s of subs) expect(seen).toContain(s);
    for (const p of byRole(t(), 'P'))
      expect(['Compliance contact', 'Version history', 'Your responsibilities']).not.toContain(
        spoken(p).trim(),
      );
  });

  test('every list says how it is numbered', () => {
    const lists = byRole(t(), 'L');
    for (const l of lists) {
      expect(nameOf(l.attrs?.O)).toBe('List');
      const numbering = nameOf(l.attrs?.ListNumbering);
      const label = spoken(l.kids[0].kids.find((k) => k.role === 'Lbl')!).trim();
      expect(numbering).toBe(
        /^\d+\.$/.test(label) ? 'Decimal' : { '•': 'Disc', '▪': 'Square', '◦': 'Circle' }[label],
      );
    }
  });

  test('the tagged text of each paragraph is its source words with single spaces', () => {
    // A soft line break must leave a space in the tagged text ("isdesigned" was the bug), and
    // no space may be doubled. The source: the plain paragraphs of the answers files.
    const text = byRole(t(), /^(P|LBody|TD|TH|H\d)$/)
      .map(spoken)
      .join('\n');
    for (const p of byRole(t(), 'P')) expect(spoken(p)).not.toMatch(/\S {2,}\S/);
    const sources = sourceParagraphs(name);
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) expect(text).toContain(src);
  });

  test('the XMP claims PDF/UA-1, with its PDF/A extension schema', () => {
    const xmp = xmpPacket(built[name]);
    expect(xmp).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
    expect(xmp).toMatch(
      /<pdfaSchema:namespaceURI>http:\/\/www\.aiim\.org\/pdfua\/ns\/id\/<\/pdfaSchema:namespaceURI>/,
    );
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
  });

  test('syntax: ParentTree root without /Limits, TrueType programs with /Length1, real CapHeight/XHeight, no stray /length', () => {
    const { objects } = t();
    const root = objects.dict(objects.catalog.StructTreeRoot)!;
    const tree = objects.dict(root.ParentTree)!;
    expect(tree.Limits).toBeUndefined();
    expect(objects.dict(objects.catalog.Metadata)!.length).toBeUndefined();
    let descriptors = 0;
    for (const num of objects.numbers()) {
      const d = objects.dict(new PdfRef(num, 0));
      if (!d || nameOf(d.Type) !== 'FontDescriptor') continue;
      descriptors++;
      expect(d.CapHeight).not.toBe(d.Ascent);
      expect(d.CapHeight as number).toBeGreaterThan(600);
      expect(d.CapHeight as number).toBeLessThan(d.Ascent as number);
      expect(d.XHeight as number).toBeGreaterThan(400);
      if (d.FontFile2) {
        const file = objects.dict(d.FontFile2)!;
        expect(file.Length1).toBe(objects.stream(d.FontFile2).length);
      }
    }
    expect(descriptors).toBeGreaterThan(1);
  });
});

test('the statement links its contact email and tags its text with spaces at line breaks', () => {
  const t = tagged.statement;
  const links = byRole(t, 'Link').map(spoken);
  expect(links).toContain('compliance@harbourline.example');
  const all = byRole(t, 'P').map(spoken).join('\n');
  expect(all).toContain('Harbourline Hosting Platform is designed and operated');
  expect(all).toContain('please tell us using the contact details');
});

test('bookmarks with children open expanded: /Count is the number of visible descendants', () => {
  const { objects } = tagged.statement;
  const count = (d: PdfDict): number => {
    let n = 0;
    for (let c = objects.dict(d.First); c; c = objects.dict(c.Next)) n += 1 + count(c);
    if (d.First) expect(d.Count).toBe(n);
    else expect(d.Count).toBeUndefined();
    return n;
  };
  const outlines = objects.dict(objects.catalog.Outlines)!;
  // H1 > H2 > H3: 8 sections, 14 principles and their sub-principles, all visible.
  expect(count(outlines)).toBeGreaterThan(30);
});
