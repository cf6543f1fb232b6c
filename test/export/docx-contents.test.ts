import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir } from '../helpers/cli';
import { readDocx } from '../helpers/export';

/**
 * The Word export's contents list: after the important information, like the PDF's contents
 * page, every section and principle, each entry a hyperlink to a bookmark placed on its heading.
 * Read from the document XML; the expected entries written out by hand.
 */

const dir = tempDir('srq-docx-contents-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PRINCIPLES = [
  'Data in transit protection',
  'Asset protection and resilience',
  'Separation between customers',
  'Governance framework',
  'Operational security',
  'Personnel security',
  'Secure development',
  'Supply chain security',
  'Secure user management',
  'Identity and authentication',
  'External interface protection',
  'Secure service administration',
  'Audit information and alerting for customers',
  'Secure use of the service',
].map((t, i) => `Principle ${i + 1} — ${t}`);

/** The text of a piece of WordprocessingML. */
const textOf = (xml: string) =>
  [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

async function paragraphs(args: string[]): Promise<string[]> {
  const out = path.join(dir, `${args.length}-${path.basename(args[0])}.docx`);
  const r = srq(['export', ...args, '--format', 'docx', '-o', out], { cwd: dir });
  expect([r.code, r.stderr]).toEqual([0, '']);
  const xml = (await readDocx(out))['word/document.xml'];
  return [...xml.matchAll(/<w:p\b.*?<\/w:p>/gs)].map((m) => m[0]);
}

/** The contents entries (anchor, text) and the bookmarked headings (name → style, text). */
function contents(ps: string[]) {
  const at = ps.findIndex(
    (p) => /<w:pStyle w:val="Heading\d"\/>/.test(p) && textOf(p) === 'Contents',
  );
  expect(at).toBeGreaterThan(0);
  const entries: { anchor: string; text: string; indented: boolean }[] = [];
  for (const p of ps.slice(at + 1)) {
    const link = /<w:hyperlink [^>]*w:anchor="([^"]+)"[^>]*>(.*?)<\/w:hyperlink>/s.exec(p);
    if (!link) break;
    entries.push({ anchor: link[1], text: textOf(link[2]), indented: /<w:ind w:left=/.test(p) });
  }
  const marks = new Map<string, { style: string; text: string; index: number }>();
  const ids = new Set<string>();
  ps.forEach((p, index) => {
    for (const m of p.matchAll(/<w:bookmarkStart w:name="([^"]+)" w:id="(\d+)"\/>/g)) {
      // Word pairs a bookmark's start and end by its number: one start, one end per number.
      expect(ids.has(m[2])).toBe(false);
      ids.add(m[2]);
      expect(p).toContain(`<w:bookmarkEnd w:id="${m[2]}"/>`);
      const style = /<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1] ?? '';
      marks.set(m[1], { style, text: textOf(p), index });
    }
  });
  return { at, entries, marks };
}

test('the statement: a contents list after the important information, each entry linked to a bookmark on its heading', async () => {
  const ps = await paragraphs([EXAMPLE]);
  const { at, entries, marks } = contents(ps);
  // After the important-information section.
  const important = ps.findIndex((p) => textOf(p) === 'Important information');
  expect(important).toBeGreaterThan(0);
  expect(at).toBeGreaterThan(important);
  expect(entries.map((e) => e.text)).toEqual([
    'Introduction',
    'Context',
    'Shared responsibility',
    'The principles',
    ...PRINCIPLES,
    'Assurance and evidence',
    'Document control',
    'Sign-off',
  ]);
  // Principles indented under their section; sections not.
  expect(entries.filter((e) => e.indented).map((e) => e.text)).toEqual(PRINCIPLES);
  const names = new Set<string>();
  for (const e of entries) {
    const mark = marks.get(e.anchor);
    // The bookmark exists, on a heading with the entry's own text, after the contents list.
    expect([e.text, mark?.text, mark && mark.index > at]).toEqual([e.text, e.text, true]);
    expect(mark!.style).toBe(PRINCIPLES.includes(e.text) ? 'Heading2' : 'Heading1');
    // Word's rules for a bookmark name: a letter first, letters/digits/_ only, 40 at most.
    expect(e.anchor).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,39}$/);
    names.add(e.anchor);
  }
  expect(names.size).toBe(entries.length);
});

test('the customer document has its own contents list', async () => {
  const { entries, marks } = contents(await paragraphs([EXAMPLE_CUSTOMER]));
  expect(entries[0].text).toBe('Our responsibilities at a glance');
  expect(entries.map((e) => e.text)).toEqual(expect.arrayContaining(PRINCIPLES));
  for (const e of entries) expect(marks.get(e.anchor)?.text).toBe(e.text);
});

test('the overview (no contents marker) has no contents list', async () => {
  const ps = await paragraphs([EXAMPLE, '--template', 'overview']);
  expect(ps.some((p) => textOf(p) === 'Contents')).toBe(false);
  expect(ps.some((p) => /<w:hyperlink [^>]*w:anchor=/.test(p))).toBe(false);
});
