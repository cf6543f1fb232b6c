import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir } from '../helpers/cli';
import { inside, pdfPages, roleOf, type OutlineItem, type PdfPage } from '../helpers/pdf-pages';
import { nameOf, PdfRef, type PdfDict } from '../helpers/pdf-objects';
import { byRole, readTagged, spoken, type TaggedPdf } from '../helpers/pdf-tags';

/**
 * The page layout of the documents a user builds, read back with pdf.js (and the independent
 * object parser for the tags): keep-together rules at every page boundary, the contents page,
 * and the links to NCSC's own page for each principle.
 */

const dir = tempDir('srq-pages-');
const docs: Record<string, { pages: PdfPage[]; outline: OutlineItem[]; tagged: TaggedPdf }> = {};

function build(name: string, args: string[]): void {
  const out = path.join(dir, `${name}.pdf`);
  const r = srq(['build', ...args, '-o', out], { cwd: dir });
  if (r.code !== 0) throw new Error(`srq build ${args.join(' ')}: ${r.code} ${r.stderr}`);
  const pdf = fs.readFileSync(out);
  docs[name] = { ...pdfPages(pdf), tagged: readTagged(pdf) };
}

beforeAll(() => {
  build('statement', [EXAMPLE]);
  build('tender', [EXAMPLE, '--tier', 'managed', '--buyer', 'Acme', '--reference', 'T-1']);
  build('customer', [EXAMPLE_CUSTOMER]);
  build('overview', [EXAMPLE, '--template', 'overview']);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The text area of an A4 page (src/pdf/styles.ts margins: 70 top, 62 bottom), by hand.
const TOP = 70;
const BOTTOM = 841.89 - 62;

/** The id of the element with `role` an item sits in ("TOCI#3"), unique within its page. */
const idOf = (item: PdfPage['items'][number], role: string) =>
  item.path.find((p) => p.startsWith(`${role}#`));

/** Text of the element holding each item, joined over a run of items of one element. */
function elements(page: PdfPage): { role: string; id: string; text: string; items: number[] }[] {
  const out: { role: string; id: string; text: string; items: number[] }[] = [];
  page.items.forEach((it, i) => {
    const last = out[out.length - 1];
    if (last && last.id === it.element) {
      last.text += it.text;
      last.items.push(i);
    } else out.push({ role: roleOf(it), id: it.element, text: it.text, items: [i] });
  });
  return out;
}

const DOCS = ['statement', 'tender', 'customer', 'overview'];

describe.each(DOCS)('%s: keep-together at every page boundary', (name) => {
  const pages = () => docs[name].pages;

  test('no page ends with a heading (visual sub-headings included)', () => {
    const bad: string[] = [];
    pages().forEach((p, i) => {
      const last = p.items[p.items.length - 1];
      if (i < pages().length - 1 && last && /^H\d$/.test(roleOf(last)))
        bad.push(`page ${i + 1}: ${last.text}`);
    });
    expect(bad).toEqual([]);
  });

  test('a lead-in ending in ":" shares its page with the first two items of its list', () => {
    let leadIns = 0;
    const bad: string[] = [];
    pages().forEach((p, i) => {
      const els = elements(p);
      els.forEach((e, k) => {
        if (e.role !== 'P' || !e.text.trim().endsWith(':')) return;
        if (inside(p.items[e.items[0]], 'Table')) return;
        leadIns++;
        // Items of the list after it, on this page.
        const rest = p.items.slice(e.items[e.items.length - 1] + 1);
        const listItems = new Set<string>();
        for (const it of rest) {
          if (!inside(it, 'L')) break;
          listItems.add(idOf(it, 'LI')!);
        }
        const next = pages()[i + 1]?.items[0];
        const continues =
          k === els.length - 1 ||
          (rest.every((it) => inside(it, 'L')) && next && inside(next, 'L'));
        if (listItems.size < 2 && continues)
          bad.push(`page ${i + 1}: "${e.text}" with ${listItems.size} item(s) of its list`);
      });
    });
    expect(bad).toEqual([]);
    if (name !== 'overview') expect(leadIns).toBeGreaterThan(0);
  });

  test("a table's caption shares its page with the header row and the first two rows", () => {
    let tables = 0;
    const bad: string[] = [];
    pages().forEach((p, i) => {
      const endedInTable = (() => {
        const prev = pages()[i - 1];
        const last = prev?.items[prev.items.length - 1];
        return Boolean(last && inside(last, 'Table'));
      })();
      let current: string | undefined;
      p.items.forEach((it, k) => {
        const table = idOf(it, 'Table');
        if (!table || table === current) {
          if (!table) current = undefined;
          return;
        }
        current = table;
        if (k === 0 && endedInTable) return; // a table going on after a page break
        tables++;
        const rows = new Set(
          p.items.filter((x) => idOf(x, 'Table') === table).map((x) => idOf(x, 'TR')),
        );
        const tail = p.items.slice(k).every((x) => idOf(x, 'Table') === table);
        const next = pages()[i + 1]?.items[0];
        const goesOn = tail && next !== undefined && inside(next, 'Table');
        if (goesOn && rows.size < 3)
          bad.push(`page ${i + 1}: a table starts with ${rows.size} row(s)`);
        if (k === 0 && i > 0) {
          const prev = pages()[i - 1];
          const caption = prev.items[prev.items.length - 1];
          if (caption && !inside(caption, 'Table') && !/^H1$/.test(roleOf(p.items[0])))
            bad.push(
              `page ${i + 1}: a table at the top, its caption "${caption.text}" on the page before`,
            );
        }
      });
    });
    expect(bad).toEqual([]);
    expect(tables).toBeGreaterThan(0);
  });

  test('no page is left 80% empty before a table that could start on it', () => {
    const bad: string[] = [];
    pages().forEach((p, i) => {
      const next = pages()[i + 1]?.items[0];
      if (i === 0 || !next || !inside(next, 'Table')) return;
      const bottom = Math.max(...p.items.map((it) => it.bottom));
      const filled = (bottom - TOP) / (BOTTOM - TOP);
      if (filled < 0.2) bad.push(`page ${i + 1} is ${Math.round(filled * 100)}% filled`);
    });
    expect(bad).toEqual([]);
  });
});

// NCSC's own pages, written out by hand from https://www.ncsc.gov.uk/collection/cloud/the-cloud-security-principles.
const NCSC = 'https://www.ncsc.gov.uk/collection/cloud/the-cloud-security-principles/';
const NCSC_PAGES: Record<string, string> = {
  '1': 'principle-1-data-in-transit-protection',
  '2': 'principle-2-asset-protection-and-resilience',
  '3': 'principle-3-separation-between-customers',
  '4': 'principle-4-governance-framework',
  '5': 'principle-5-operational-security',
  '6': 'principle-6-personnel-security',
  '7': 'principle-7-secure-development',
  '8': 'principle-8-supply-chain-security',
  '9': 'principle-9-secure-user-management',
  '10': 'principle-10-identity-and-authentication',
  '11': 'principle-11-external-interface-protection',
  '12': 'principle-12-secure-service-administration',
  '13': 'principle-13-audit-information-and-alerting-for-customers',
  '14': 'principle-14-secure-use-of-the-service',
};

/** The annotation an OBJR refers to, with its action. */
function action(t: TaggedPdf, annot: PdfDict): PdfDict {
  return t.objects.dict(annot.A) ?? {};
}

describe.each(['statement', 'tender', 'customer'])('%s: links and contents', (name) => {
  const d = () => docs[name];

  test("each principle links NCSC's own page for it: a tagged Link with /Contents, on the principle's page", () => {
    const t = d().tagged;
    for (const [id, slug] of Object.entries(NCSC_PAGES)) {
      const url = NCSC + slug;
      const links = byRole(t, 'Link').filter((l) =>
        l.objr.some((o) => action(t, o.annot).URI === url),
      );
      expect([id, links.length]).toEqual([id, 1]);
      expect(spoken(links[0]).trim()).toBe(`NCSC Cloud Security Principles, principle ${id}`);
      for (const o of links[0].objr) {
        expect(o.annot.Contents).toBe(`Link to ${url}`);
        expect(typeof o.annot.StructParent).toBe('number');
      }
      // pdf.js finds it on the page of the principle's heading (or the next, for a heading
      // at the foot of a page).
      const linkPage = d().pages.findIndex((p) => p.links.some((l) => l.url === url && l.tagged));
      const headingPage = d().pages.findIndex((p) =>
        p.items.some((it) => roleOf(it) === 'H2' && it.text.startsWith(`Principle ${id} —`)),
      );
      expect(headingPage).toBeGreaterThan(0);
      expect([0, 1]).toContain(linkPage - headingPage);
    }
  });

  test('a contents page after the opening page(s): every # and ## heading, its real page, linked', () => {
    const { pages, outline } = d();
    const at = pages.findIndex((p) => p.items.some((it) => inside(it, 'TOC')));
    expect(at).toBe(2);
    expect(pages[at].items[0].text).toBe('Contents');
    // The entries: each TOCI's text, "title" then the page number.
    const entries = new Map<string, string>();
    for (const it of pages[at].items) {
      const toci = idOf(it, 'TOCI');
      if (!toci) continue;
      expect(it.roles.slice(-3)).toEqual(['TOC', 'TOCI', 'Link']);
      entries.set(toci, (entries.get(toci) ?? '') + it.text);
    }
    const read = [...entries.values()].map((e) => {
      const m = /^(.*?)\s+(\d+)$/.exec(e)!;
      return { title: m[1], page: Number(m[2]) };
    });
    // The outline (pdf.js resolves each bookmark to its page) is a second witness.
    const after = outline.slice(outline.findIndex((o) => o.title === 'Contents') + 1);
    expect(read).toEqual(
      after.filter((o) => o.level <= 2).map((o) => ({ title: o.title, page: o.page! + 1 })),
    );
    expect(read.length).toBeGreaterThan(10);
    for (const e of read) {
      // The heading is really on that page...
      const heading = pages[e.page - 1].items.find(
        (it) => /^H[12]$/.test(roleOf(it)) && e.title.startsWith(it.text.trim()),
      );
      expect([e.title, heading !== undefined]).toEqual([e.title, true]);
    }
    // ...and every entry's link leads there.
    const gotos = pages[at].links;
    expect(gotos).toHaveLength(read.length);
    gotos.forEach((l, i) => {
      expect(l.tagged).toBe(true);
      expect(l.page).toBe(read[i].page - 1);
      expect(l.contents).toBe(`Go to ${read[i].title}, page ${read[i].page}`);
    });
  });

  test('the contents is tagged TOC > TOCI > Link, each Link with an OBJR to its GoTo annotation', () => {
    const t = d().tagged;
    const [toc] = byRole(t, 'TOC');
    expect(toc).toBeDefined();
    expect(toc.kids.length).toBeGreaterThan(10);
    for (const item of toc.kids) {
      expect(item.role).toBe('TOCI');
      const [link] = item.kids;
      expect(item.kids).toHaveLength(1);
      expect(link.role).toBe('Link');
      // Title, a space, the page number: "Context 4", never "Context4".
      expect(spoken(link)).toMatch(/^\S.*\S \d+$/);
      expect(link.objr.length).toBeGreaterThan(0);
      for (const o of link.objr) {
        const a = action(t, o.annot);
        expect(nameOf(a.S)).toBe('GoTo');
        expect(typeof a.D).toBe('string');
        expect(o.annot.Contents).toMatch(/^Go to .+, page \d+$/);
      }
    }
    // Named destinations: a name tree whose root has no /Limits.
    const names = t.objects.dict(t.objects.catalog.Names)!;
    const dests = t.objects.dict(names.Dests)!;
    expect(dests.Limits).toBeUndefined();
    expect(t.objects.array(dests.Names).length).toBe(2 * toc.kids.length);
    expect(dests.Names).not.toBeInstanceOf(PdfRef);
  });
});

test('the overview (two pages) has no contents page', () => {
  expect(docs.overview.pages.some((p) => p.items.some((it) => inside(it, 'TOC')))).toBe(false);
  expect(docs.overview.pages).toHaveLength(2);
});
