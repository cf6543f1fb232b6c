import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir } from '../helpers/cli';
import { pdfPages, type PdfPage } from '../helpers/pdf-pages';
import { nameOf, PdfObjects, PdfRef, type PdfValue } from '../helpers/pdf-objects';

/**
 * Widows and orphans in the documents a user builds: no page starts or ends with a lone line of
 * a paragraph (or of a list item, a cell...). Two independent readers: the file's structure
 * tree, read with the test's own object parser, says which marked-content sequences belong to
 * one element; pdf.js says where each line of text is drawn on which page.
 */

const dir = tempDir('srq-widows-');
const docs: Record<string, Buffer> = {};

function build(name: string, args: string[]): void {
  const r = srq(['build', ...args], { cwd: dir });
  if (r.code !== 0) throw new Error(`srq build ${args.join(' ')}: ${r.code} ${r.stderr}`);
  const out = args[args.indexOf('-o') + 1];
  if (out.endsWith('/')) {
    for (const f of fs.readdirSync(path.join(dir, out)).sort()) {
      const tier = /-(unmanaged|managed|fully-managed)-/.exec(f)![1];
      docs[`${name} ${tier}`] = fs.readFileSync(path.join(dir, out, f));
    }
  } else docs[name] = fs.readFileSync(path.join(dir, out));
}

beforeAll(() => {
  build('statement', [EXAMPLE, '-o', 'statement.pdf']);
  build('tender', [
    EXAMPLE,
    '--tier',
    'managed',
    '--buyer',
    'Acme',
    '--reference',
    'T-1',
    '-o',
    't.pdf',
  ]);
  build('customer', [EXAMPLE_CUSTOMER, '-o', 'customer.pdf']);
  build('overview', [EXAMPLE, '--template', 'overview', '-o', 'overview.pdf']);
  build('each-tier statement', [EXAMPLE, '--each-tier', '-j', '1', '-o', 'each/']);
  build('each-tier overview', [
    EXAMPLE,
    '--each-tier',
    '--template',
    'overview',
    '-j',
    '1',
    '-o',
    'eo/',
  ]);
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * For every structure element, the marked-content sequences it holds directly, named as pdf.js
 * names them ("p163R_mc4": the page object's number and the MCID).
 */
function elementContents(pdf: Buffer): { role: string; mcs: string[] }[] {
  const objects = new PdfObjects(pdf);
  const out: { role: string; mcs: string[] }[] = [];
  const visit = (v: PdfValue, page?: PdfRef) => {
    const dict = objects.dict(v);
    if (!dict) return;
    const pg = dict.Pg instanceof PdfRef ? dict.Pg : page;
    const el = { role: nameOf(dict.S) ?? '?', mcs: [] as string[] };
    out.push(el);
    for (const kid of objects.array(dict.K)) {
      if (typeof kid === 'number') {
        if (pg) el.mcs.push(`p${pg.num}R_mc${kid}`);
        continue;
      }
      const k = objects.dict(kid);
      if (!k) continue;
      if (nameOf(k.Type) === 'MCR') {
        const kp = k.Pg instanceof PdfRef ? k.Pg : pg;
        if (kp && typeof k.MCID === 'number') el.mcs.push(`p${kp.num}R_mc${k.MCID}`);
      } else if (nameOf(k.Type) !== 'OBJR') visit(kid, pg);
    }
  };
  for (const kid of objects.array(objects.dict(objects.catalog.StructTreeRoot)!.K)) visit(kid);
  return out;
}

interface Split {
  role: string;
  /** Lines of the element on each page it is drawn on, in page order. */
  lines: { page: number; count: number; first: string; last: string }[];
}

/** Every element drawn on more than one page, with its lines per page. */
function splits(pdf: Buffer): { splits: Split[]; pages: PdfPage[] } {
  const { pages } = pdfPages(pdf);
  // Where pdf.js draws each marked-content sequence: page and baselines.
  const drawn = new Map<string, { page: number; lines: Map<number, string> }>();
  pages.forEach((p, n) => {
    for (const it of p.items) {
      if (!it.text.trim()) continue;
      const d = drawn.get(it.mc) ?? { page: n, lines: new Map<number, string>() };
      const y = Math.round(it.bottom * 10) / 10;
      d.lines.set(y, (d.lines.get(y) ?? '') + it.text);
      drawn.set(it.mc, d);
    }
  });
  const out: Split[] = [];
  for (const el of elementContents(pdf)) {
    const byPage = new Map<number, Map<number, string>>();
    for (const mc of el.mcs) {
      const d = drawn.get(mc);
      if (!d) continue;
      const lines = byPage.get(d.page) ?? new Map<number, string>();
      for (const [y, t] of d.lines) lines.set(y, (lines.get(y) ?? '') + t);
      byPage.set(d.page, lines);
    }
    if (byPage.size < 2) continue;
    out.push({
      role: el.role,
      lines: [...byPage.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([page, lines]) => {
          const ys = [...lines.keys()].sort((a, b) => a - b);
          return {
            page: page + 1,
            count: ys.length,
            first: lines.get(ys[0])!,
            last: lines.get(ys[ys.length - 1])!,
          };
        }),
    });
  }
  return { splits: out, pages };
}

const NAMES = [
  'statement',
  'tender',
  'customer',
  'overview',
  'each-tier statement unmanaged',
  'each-tier statement managed',
  'each-tier statement fully-managed',
  'each-tier overview unmanaged',
  'each-tier overview managed',
  'each-tier overview fully-managed',
];

let splitCount = 0;

describe.each(NAMES)('%s', (name) => {
  test('no page starts or ends with a lone line of a paragraph (at least two lines each side)', () => {
    const { splits: found, pages } = splits(docs[name]);
    expect(pages.length).toBeGreaterThan(1);
    const bad = found.flatMap((s) =>
      s.lines
        .filter((l) => l.count < 2)
        .map((l) => `${s.role} on page ${l.page}: one line "${l.first}"`),
    );
    expect(bad).toEqual([]);
    // A split element is on consecutive pages (pages the layout really broke between).
    for (const s of found) {
      s.lines.slice(1).forEach((l, i) => expect(l.page).toBe(s.lines[i].page + 1));
    }
    splitCount += found.length;
  });
});

test('the documents do split paragraphs across pages (the check above is not empty)', () => {
  expect(splitCount).toBeGreaterThan(5);
});
