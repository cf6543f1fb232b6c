import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir, writeFiles } from '../helpers/cli';
import { pageShows, type Shown } from '../helpers/pdf-content';
import { nameOf, PdfRef, type PdfDict, type PdfValue } from '../helpers/pdf-objects';
import { pdfText, xmpPacket } from '../helpers/pdf';
import { STYLE } from '../../src/pdf/styles';
import { byRole, readTagged, spoken, type TaggedPdf, type TagNode } from '../helpers/pdf-tags';
import { PASSPHRASE, testKey } from '../sign/helpers';

/**
 * PDF/UA-1 rules checked on the documents a user builds, by walking the structure tree with a
 * reader that is not srq's (test/helpers/pdf-objects.ts, pdf-content.ts; pdf.js as a cross-check).
 */

const dir = tempDir('srq-tags-');
const built: Record<string, Buffer> = {};
const tagged: Record<string, TaggedPdf> = {};

const stderr: Record<string, string> = {};
const env = { SRQ_KEY_PASSPHRASE: PASSPHRASE };
const SIGNING = ['--signing-time', '2026-11-22T12:00:00Z'];

function build(name: string, args: string[]): void {
  const out = path.join(dir, `${name}.pdf`);
  const r = srq(['build', ...args, '-o', out], { cwd: dir, env });
  if (r.code !== 0) throw new Error(`srq build ${args.join(' ')}: ${r.code} ${r.stderr}`);
  stderr[name] = r.stderr;
  built[name] = fs.readFileSync(out);
  tagged[name] = readTagged(built[name]);
}

/** Paragraphs of the Unicode document, as written (logical order), each one paragraph. */
const UNICODE = [
  'Our team in Zürich, Αθήνα and Москва works with colleagues in תל אביב and in دبي on the same platform: we say שלום עולם and مرحبا بكم to every customer.',
  'Tiếng Việt ộ, a combining e\u0301 and n\u0303 stay whole, and so does a smile 😀 or ☕.',
  'See https://www.ncsc.gov.uk/collection/cloud/the-cloud-security-principles/principle-1-data-in-transit-protection for ISO/IEC 27001, and e-mail us.',
  'הצפנה מלאה של הנתונים (AES-256) בכל המערכת היא חובה, 2026.',
];
/** Long words of the narrow table cells: combining marks, ZWJ sequences, flags. */
const FAMILY = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}';
const CELLS = [
  'e\u0301\u0323'.repeat(14),
  (FAMILY + '\u{1F1EC}\u{1F1E7}').repeat(5),
  'ю\u0301'.repeat(14),
];

/**
 * Paragraphs of the mixed-layout document: right-to-left-led ones (Hebrew over three lines,
 * Arabic on one) set flush right, and a left-to-right one for contrast.
 */
const MIXED = [
  'מערכת הגיבוי שלנו שומרת עותק מוצפן של כל הנתונים בשני מרכזי נתונים נפרדים בבריטניה, והעותקים נבדקים מדי שבוע. אנו משחזרים מערכת שלמה מהגיבוי פעם ברבעון כדי לוודא שהתהליך עובד, ומתעדים את התוצאות בדוח שנשלח ללקוחות לפי בקשה.',
  'نحن نشفر كل حركة المرور بين مراكز البيانات.',
  'Backups are encrypted and copied to a second site every night, and a whole system is restored from them once a quarter to prove the process works.',
];
/** A cell taller than a page: 1,200 words, split across pages under a repeated header row. */
const TALL = Array.from({ length: 1200 }, (_, i) => `word${i}`).join(' ');
/** Lists nested three deep, and a bulleted list inside a numbered one. */
const NESTED =
  '- outer one\n- outer two\n  - inner a\n  - inner b\n    - inner deep\n- outer three\n\n' +
  '1. first\n2. second\n   - bullet in numbered\n';

function mixedAnswers(): string {
  const doc = YAML.parse(fs.readFileSync(EXAMPLE, 'utf8')) as {
    answers: Record<string, { provider?: string }>;
  };
  doc.answers['1'].provider = [
    ...MIXED,
    NESTED,
    `| Key | Value |\n|---|---|\n| tall | ${TALL} |\n| short | last row |`,
  ].join('\n\n');
  return YAML.stringify(doc);
}

/** The example with Unicode answers: accents, Greek, Cyrillic, Hebrew, Arabic, marks, emoji. */
function unicodeAnswers(): string {
  const doc = YAML.parse(fs.readFileSync(EXAMPLE, 'utf8')) as {
    answers: Record<string, { provider?: string }>;
  };
  const cols = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
  const table = [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    `| ${CELLS.join(' | ')} | ${cols.slice(CELLS.length).join(' | ')} |`,
  ].join('\n');
  doc.answers['1'].provider = [UNICODE[0], UNICODE[1], UNICODE[2], table].join('\n\n');
  // A crab DejaVu lacks: drawn as a box, reported, and the file claims no PDF/UA.
  doc.answers['2.1'].provider = `${UNICODE[3]}\n\nOur mascot is a crab 🦀.`;
  return YAML.stringify(doc);
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
  // Certified by the provider, then countersigned by a customer (an incremental update).
  const provider = testKey({ name: 'Harbourline Compliance TEST' });
  const customer = testKey({ name: 'Sam Patel TEST', email: 'sam@example.org' });
  writeFiles(dir, {
    'provider.p12': provider.p12,
    'customer.p12': customer.p12,
    'unicode.yaml': unicodeAnswers(),
    'mixed.yaml': mixedAnswers(),
  });
  build('signed', [EXAMPLE, '--sign', '--key', 'provider.p12', ...SIGNING]);
  const r = srq(
    ['sign', 'signed.pdf', '--key', 'customer.p12', '-o', 'countersigned.pdf', ...SIGNING],
    { cwd: dir, env },
  );
  if (r.code !== 0) throw new Error(`srq sign: ${r.code} ${r.stderr}`);
  built.countersigned = fs.readFileSync(path.join(dir, 'countersigned.pdf'));
  tagged.countersigned = readTagged(built.countersigned);
  build('unicode', ['unicode.yaml']);
  build('mixed', ['mixed.yaml']);
}, 240_000);

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
    if (doc === 'statement' || doc === 'tender' || doc === 'countersigned')
      out.push(...(a.provider ?? '').split(/\n\s*\n/));
    for (const [tier, v] of Object.entries(a.tiers ?? {})) {
      if (
        doc === 'statement' ||
        doc === 'countersigned' ||
        (doc === 'tender' && tier === 'managed')
      )
        out.push(typeof v === 'string' ? '' : (v.customer ?? ''));
    }
  }
  if (doc === 'customer')
    for (const a of Object.values(read(EXAMPLE_CUSTOMER).answers)) out.push(a.customer ?? '');
  if (doc === 'unicode') return UNICODE;
  if (doc === 'mixed') {
    // The statement's paragraphs but principle 1's answer (replaced by MIXED).
    const replaced = (provider['1'].provider ?? '').replace(/\s+/g, ' ');
    return [...MIXED, ...sourceParagraphs('statement').filter((p) => !replaced.includes(p))];
  }
  return out
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => /^[A-Z][^*_`[\]<>|#\\]*$/.test(p));
}

const DOCS = ['statement', 'tender', 'overview', 'customer', 'countersigned', 'unicode', 'mixed'];

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
      countersigned: ['Compliance contact', 'Version history', 'Your responsibilities'],
      unicode: ['Compliance contact', 'Version history', 'Your responsibilities'],
      mixed: ['Compliance contact', 'Version history', 'Your responsibilities'],
    }[name]!;
    for (const s of subs) expect(seen).toContain(s);
    for (const p of byRole(t(), 'P'))
      expect(['Compliance contact', 'Version history', 'Your responsibilities']).not.toContain(
        spoken(p).trim(),
      );
  });

  test('every list says how it is numbered, as its labels are drawn (nested lists too)', () => {
    const lists = byRole(t(), 'L');
    // ISO 32000-1 Table 347: Disc a solid round bullet, Square a solid square, Circle an open one.
    const bullets: Record<string, string> = { '•': 'Disc', '▪': 'Square', '◦': 'Circle' };
    for (const l of lists) {
      expect(nameOf(l.attrs?.O)).toBe('List');
      const numbering = nameOf(l.attrs?.ListNumbering);
      const items = l.kids.filter((k) => k.role === 'LI');
      expect(items.length).toBe(l.kids.length);
      items.forEach((item, i) => {
        const label = spoken(item.kids.find((k) => k.role === 'Lbl')!).trim();
        const m = /^(\d+)\.$/.exec(label);
        if (m) {
          expect(numbering).toBe('Decimal');
          if (i) expect(Number(m[1])).toBe(Number(/^(\d+)/.exec(spoken(items[0]))![1]) + i);
        } else expect([label, numbering]).toEqual([label, bullets[label]]);
      });
    }
    if (name !== 'mixed') return;
    // Nested: an L in an LBody, one depth further in each: • then ▪ then ◦; ▪ in a numbered list.
    const nested = lists.filter((l) =>
      t().all.some((n) => n.role === 'LBody' && n.kids.includes(l)),
    );
    expect(nested.map((l) => nameOf(l.attrs?.ListNumbering))).toEqual([
      'Square',
      'Circle',
      'Square',
    ]);
  });

  test('the tagged text of each paragraph is its source words with single spaces', () => {
    // A soft line break must leave a space in the tagged text ("isdesigned" was the bug), and
    // no space may be doubled. The source: the plain paragraphs of the answers files.
    const text = byRole(t(), /^(P|LBody|TD|TH|H\d)$/)
      .map(spoken)
      .join('\n');
    for (const p of byRole(t(), 'P')) expect(spoken(p)).not.toMatch(/\S {2,}\S/);
    const sources = sourceParagraphs(name);
    expect(sources.length).toBeGreaterThan(name === 'unicode' ? 3 : 5);
    for (const src of sources) expect(text).toContain(src);
  });

  test('the drawn text, read in content order without the tags, has each paragraph with single spaces', () => {
    // What an extractor that ignores the structure tree (or copy/paste) gets: the text operators
    // of every page in order, artifacts (page furniture) left out, joined with nothing — so a
    // soft line break must draw its space, and a break after a hyphen or slash none.
    const { objects } = t();
    const drawn = objects
      .array(objects.dict(objects.catalog.Pages)!.Kids)
      .flatMap((p) => pageShows(objects, objects.dict(p)!))
      .map((s) => s.text)
      .join('');
    for (const src of sourceParagraphs(name)) expect(drawn).toContain(src);
    expect(drawn).not.toMatch(/\S {2,}\S/);
  });

  test('the XMP claims PDF/UA-1, with its PDF/A extension schema (not with a character undrawn)', () => {
    const xmp = xmpPacket(built[name]);
    if (name === 'unicode') {
      // The crab has no glyph in DejaVu: srq says so, and claims no PDF/UA.
      expect(stderr.unicode).toMatch(/U\+1F980/);
      expect(xmp).not.toMatch(/pdfuaid/);
      expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
      return;
    }
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

test("text sizes: body text 10 pt, nothing tagged below the tables' 9 pt", () => {
  const { objects } = tagged.statement;
  const shows = objects
    .array(objects.dict(objects.catalog.Pages)!.Kids)
    .flatMap((p) => pageShows(objects, objects.dict(p)!));
  expect(shows.length).toBeGreaterThan(500);
  // Page furniture (8 pt) is an artifact; the signature box (8 pt) is its widget's appearance.
  expect(Math.min(...shows.map((s) => s.size))).toBeGreaterThanOrEqual(9);
  const body = shows.filter((s) => /is designed and operated at the date/.test(s.text));
  expect(body.length).toBeGreaterThan(0);
  for (const s of body) expect(s.size).toBeGreaterThanOrEqual(10);
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

describe('a countersigned statement (after srq sign)', () => {
  const t = () => tagged.countersigned;

  test('the ParentTree still maps every page and annotation, with no /Limits at any level', () => {
    const { objects } = t();
    const root = objects.dict(objects.catalog.StructTreeRoot)!;
    const tree = objects.dict(root.ParentTree)!;
    expect(tree.Limits).toBeUndefined();
    expect(tree.Kids).toBeUndefined();
    const nums = objects.array(tree.Nums);
    const keys = nums.filter((_, i) => i % 2 === 0) as number[];
    expect(new Set(keys).size).toBe(keys.length);
    expect(root.ParentTreeNextKey as number).toBeGreaterThan(Math.max(...keys));
    const entry = (k: number) => objects.get(nums[nums.indexOf(k) + 1]);
    // The structure elements, by object number, walked from the root (independent of readTagged).
    const elements = new Map<number, PdfDict>();
    const walk = (v: PdfValue) => {
      for (const k of objects.array(v)) {
        if (!(k instanceof PdfRef) || elements.has(k.num)) continue;
        const d = objects.dict(k)!;
        if (nameOf(d.Type) === 'OBJR' || nameOf(d.Type) === 'MCR') continue;
        elements.set(k.num, d);
        walk(d.K);
      }
    };
    walk(root.K);
    const pages = objects.array(objects.dict(objects.catalog.Pages)!.Kids);
    let widgets = 0;
    const problems: string[] = [];
    pages.forEach((p, n) => {
      const page = objects.dict(p)!;
      // A page's marked content: an array of the elements owning each MCID, all in the tree.
      const owners = objects.array(entry(page.StructParents as number));
      if (!owners.length) problems.push(`page ${n + 1}: no ParentTree entry`);
      owners.forEach((o, mcid) => {
        if (!(o instanceof PdfRef && elements.has(o.num)))
          problems.push(`page ${n + 1} MCID ${mcid}: owner not in the structure tree`);
      });
      for (const a of objects.array(page.Annots)) {
        const annot = objects.dict(a)!;
        const what = `page ${n + 1} annotation ${(a as PdfRef).num} (${nameOf(annot.Subtype)})`;
        if (typeof annot.StructParent !== 'number') {
          problems.push(`${what}: no /StructParent`);
          continue;
        }
        // The annotation's element refers back to it by an OBJR.
        const ref = nums[nums.indexOf(annot.StructParent) + 1];
        const el = ref instanceof PdfRef ? elements.get(ref.num) : undefined;
        if (!el) problems.push(`${what}: its ParentTree entry is not an element of the tree`);
        else if (
          !objects
            .array(el.K)
            .some((k) => (objects.dict(k)?.Obj as PdfRef | undefined)?.num === (a as PdfRef).num)
        )
          problems.push(`${what}: its element has no OBJR to it`);
        if (nameOf(annot.FT) === 'Sig' || nameOf(objects.dict(annot.Parent)?.FT) === 'Sig') {
          widgets++;
          if (nameOf(el?.S) !== 'Form') problems.push(`${what}: in a ${nameOf(el?.S)}, not a Form`);
        }
      }
    });
    expect(problems).toEqual([]);
    expect(widgets).toBe(2);
  });

  test('both signature widgets, the filled countersignature too, are Form elements in the sign-off section', () => {
    const forms = byRole(t(), 'Form');
    expect(forms).toHaveLength(2);
    const filled = forms.filter((f) => f.objr.some((o) => o.annot.V !== undefined));
    expect(filled).toHaveLength(2);
    for (const f of forms) {
      const sect = t().all.find((n) => n.role === 'Sect' && n.kids.includes(f));
      expect(sect).toBeDefined();
      expect(spoken(byRole({ ...t(), all: [sect!, ...sect!.kids] }, /^H\d$/)[0])).toMatch(
        /Sign-off/,
      );
    }
  });

  test('every font subset has its own tag (the countersignature box brings a second DejaVu)', () => {
    const { objects } = t();
    const names: string[] = [];
    for (const num of objects.numbers()) {
      const d = objects.dict(new PdfRef(num, 0));
      if (d && nameOf(d.Type) === 'Font' && nameOf(d.Subtype) === 'Type0')
        names.push(nameOf(d.BaseFont)!);
    }
    const dejavu = names.filter((n) => /^[A-Z]{6}\+DejaVuSans$/.test(n));
    expect(dejavu.length).toBeGreaterThanOrEqual(2);
    expect(names.every((n) => /^[A-Z]{6}\+/.test(n))).toBe(true);
    const tags = names.map((n) => n.slice(0, 6));
    expect(new Set(tags).size).toBe(tags.length);
  });
});

describe('a Unicode document', () => {
  const t = () => tagged.unicode;
  const pageWith = (re: RegExp) => {
    const { objects } = t();
    const pages = objects.array(objects.dict(objects.catalog.Pages)!.Kids);
    for (const p of pages) {
      const shows = pageShows(objects, objects.dict(p)!);
      if (re.test(shows.map((s) => s.text).join(''))) return shows;
    }
    throw new Error(`no page with ${re}`);
  };

  test('each paragraph reads in logical order, Hebrew and Arabic included', () => {
    const paras = byRole(t(), 'P').map(spoken);
    for (const src of UNICODE) expect(paras).toContain(src);
  });

  test('right-to-left letters are placed right to left, between the words around them', () => {
    const shows = pageWith(/colleagues in/);
    const at = (re: RegExp) => shows.findIndex((s) => re.test(s.text));
    const hebrew = shows.filter((s) => /^[\u05d0-\u05ea]$/.test(s.text));
    // Drawn in logical order: ת ל א ב י ב, each further left than the one before.
    const phrase = hebrew.slice(0, 6);
    expect(phrase.map((s) => s.text).join('')).toBe('תלאביב');
    for (let i = 1; i < phrase.length; i++) expect(phrase[i].x).toBeLessThan(phrase[i - 1].x);
    const before = shows[at(/colleagues in $/)];
    const after = shows[at(/^ and in $/)];
    expect(before.x).toBeLessThan(phrase[5].x);
    expect(phrase[0].x).toBeLessThan(after.x);
    // The Arabic word "دبي" follows, also right to left.
    const arabic = shows.filter((s) => /^[\u0600-\u06ff]+$/.test(s.text)).slice(0, 3);
    expect(arabic.map((s) => s.text).join('')).toBe('دبي');
    expect(arabic[0].x).toBeGreaterThan(arabic[2].x);
    expect(arabic[2].x).toBeGreaterThan(after.x);
  });

  test('narrow table cells split long words only between grapheme clusters', () => {
    const cells = byRole(t(), 'TD').map((c) => spoken(c));
    // Split across lines with nothing added (the emoji cell's glyphs are missing: not compared).
    expect(cells).toContain(CELLS[0]);
    expect(cells).toContain(CELLS[2]);
    const shows = pageWith(/\u0301\u0323/);
    const pieces = shows.filter((s) => /[\u0301\u0323]/.test(s.text));
    expect(pieces.length).toBeGreaterThan(2); // the word does wrap
    // The first text of each line (pdfkit also places a mark glyph on its own, a little off
    // the baseline, so a line is a change of baseline by more than a few points).
    shows.forEach((s, i) => {
      if (i && Math.abs(s.y - shows[i - 1].y) < 5) return;
      expect(s.text).not.toMatch(/^[\p{M}\u200d]/u);
      if (i) expect(shows[i - 1].text).not.toMatch(/\u200d$/);
    });
  });

  test('URLs and compounds break where UAX #14 allows, with no space added', () => {
    const paras = byRole(t(), 'P').map(spoken);
    expect(paras).toContain(UNICODE[2]);
    const shows = pageWith(/collection\/cloud/);
    // The long URL wraps after one of its slashes or hyphens, not inside a word.
    const url = shows.filter((x) => /ncsc\.gov|transit-protection/.test(x.text));
    expect(url.length).toBeGreaterThan(1);
    expect(url[0].text).toMatch(/[/-]$/);
  });
});

describe('a mixed-layout document: right-to-left paragraphs, a row taller than a page', () => {
  const t = () => tagged.mixed;
  const { width, margin } = STYLE.page;
  const LEFT = margin.left;
  const RIGHT = width - margin.right;
  /** The lines (shows grouped by baseline) of an element, from its marked content. */
  const linesOf = (node: TagNode): Shown[][] => {
    const { objects } = t();
    const out: Shown[][] = [];
    const page = node.dict.Pg as PdfRef;
    const mcids = new Set(
      objects
        .array(node.dict.K)
        .filter((k) => typeof k === 'number')
        .map(String),
    );
    let last: Shown | undefined;
    for (const s of pageShows(objects, objects.dict(page)!)) {
      if (!s.mcid || !mcids.has(s.mcid) || !s.text.trim()) continue;
      if (!last || Math.abs(s.y - last.y) > 3) out.push([]);
      out[out.length - 1].push(s);
      last = s;
    }
    return out;
  };
  const paragraph = (src: string) => byRole(t(), 'P').find((p) => spoken(p) === src)!;

  test('a right-to-left paragraph is set flush right, each line; its text still reads as written', () => {
    for (const src of MIXED.slice(0, 2)) {
      const p = paragraph(src);
      expect(p).toBeDefined();
      const lines = linesOf(p);
      expect(lines.length).toBe(src === MIXED[0] ? 3 : 1);
      for (const line of lines) {
        // Drawn glyph by glyph: the rightmost glyph starts within a glyph's width of the margin.
        const right = Math.max(...line.map((s) => s.x));
        expect(right).toBeGreaterThan(RIGHT - 12);
        expect(right).toBeLessThan(RIGHT);
      }
      // The last line is short: it starts well right of the left margin.
      const last = lines[lines.length - 1];
      expect(Math.min(...last.map((s) => s.x))).toBeGreaterThan(LEFT + 100);
    }
    // A left-to-right paragraph beside them starts at the left margin.
    for (const line of linesOf(paragraph(MIXED[2])))
      expect(Math.min(...line.map((s) => s.x))).toBeCloseTo(LEFT, 1);
  });

  test('a row taller than a page is split across pages, the header row repeated on each, one TD per cell', () => {
    const table = byRole(t(), 'Table').find((tb) => spoken(tb).startsWith('KeyValue'))!;
    expect(table).toBeDefined();
    const rows = table.kids.filter((k) => k.role === 'TR');
    expect(rows.map((r) => r.kids.map((c) => c.role))).toEqual([
      ['TH', 'TH'],
      ['TD', 'TD'],
      ['TD', 'TD'],
    ]);
    const cell = rows[1].kids[1];
    expect(spoken(cell)).toBe(TALL);
    // The cell's content is on three pages (MCRs naming each page).
    const { objects } = t();
    const pages = objects.array(objects.dict(objects.catalog.Pages)!.Kids) as PdfRef[];
    const on = new Set<number>();
    for (const k of objects.array(cell.dict.K)) {
      const mcr = objects.dict(k);
      const pg = (mcr?.Pg ?? cell.dict.Pg) as PdfRef;
      on.add(pages.findIndex((p) => p.num === pg.num));
    }
    expect(on.size).toBe(3);
    // pdf.js: each of those pages shows the header row above the cell's words, and every word
    // of the cell is inside the page's text area (nothing runs off the foot of a page).
    const text = pdfText(built.mixed);
    for (const n of on) expect(text.pages[n]).toMatch(/Key\s+Value\s[^]*word\d+/);
    const drawn = [...on].sort().flatMap((n) => {
      const shows = pageShows(objects, objects.dict(pages[n])!);
      return shows.filter((s) => /word\d/.test(s.text));
    });
    expect(drawn.map((s) => s.text).join('')).toBe(TALL);
    // Baselines (PDF coordinates, from the bottom) inside the text area, none past its foot.
    for (const s of drawn) {
      expect(s.y).toBeGreaterThan(margin.bottom);
      expect(s.y).toBeLessThan(STYLE.page.height - margin.top);
    }
  });
});
