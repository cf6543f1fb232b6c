import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../src/model/resolve';
import {
  AZURE,
  describeAzure,
  EXAMPLE,
  EXAMPLE_CUSTOMER,
  tempDir,
  writeFiles,
} from '../helpers/cli';
import { docxText, parseCsv, readDocx, readWorkbookForTest, runExport } from '../helpers/export';
import { tierRows } from '../../src/export/rows';

/**
 * `srq export` end to end: each format written by the real CLI, read back, and checked to hold
 * every principle, tier and responsibility of the example.
 */

const { model } = loadModel(EXAMPLE);
const LABEL = {
  provider: 'Provider',
  customer: 'Customer',
  shared: 'Shared',
  'not-applicable': 'N/A',
};
// The version written as in PDF names (v3-0), one spelling for every file srq names.
const OUT = 'output/harbourline-cloud-ltd-harbourline-hosting-platform-v3-0';
/** md, html and docx are documents made by the templates: named like the PDF they mirror. */
const DOC = 'output/harbourline-cloud-ltd-harbourline-hosting-platform-statement-v3-0';

/** The example with an answer carrying hostile HTML and a javascript: link. */
function hostileExample(dir: string): string {
  const text = fs
    .readFileSync(EXAMPLE, 'utf8')
    .replace(
      /^( {6})Every service we expose/m,
      '$1<script>alert("x")</script>\n\n$1See [the guide](javascript:alert(1)) and <img src=x onerror=alert(2)>.\n\n$1Every service we expose',
    );
  writeFiles(dir, { 'answers.yaml': text });
  return path.join(dir, 'answers.yaml');
}

describe('srq export --format csv', () => {
  const res = runExport([EXAMPLE, '--format', 'csv']);
  const file = path.join(res.dir, `${OUT}.csv`);

  it('writes output/<provider>-<service>-v<version>.csv and says so', () => {
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`wrote ${OUT}.csv (csv: 24 item(s) × 3 tier(s))`);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('is RFC 4180 with a UTF-8 BOM, one row per principle × tier, in the SSRM columns', () => {
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows[0]).toEqual([
      'ID',
      'Principle',
      'Tier',
      'Requirement',
      'Responsibility',
      'Provider implementation',
      'Customer responsibility',
      'Assurance',
      'Evidence',
    ]);
    const body = rows.slice(1);
    expect(body).toHaveLength(model.items.length * model.tiers.length);
    for (const row of body) expect(row).toHaveLength(9);
    for (const item of model.items) {
      for (const ta of item.tiers) {
        const row = body.find((r) => r[0] === item.id && r[2] === ta.tier.name);
        expect(row).toBeDefined();
        expect(row![1]).toBe(item.title);
        expect(row![4]).toBe(LABEL[ta.responsibility]);
        if (ta.customer) expect(row![6]).toBe(ta.customer.replace(/\s+/g, ' ').trim());
      }
    }
  });

  it('turns Markdown into plain text a portal accepts: bullets, no emphasis marks', () => {
    const rows = parseCsv(fs.readFileSync(file, 'utf8').slice(1));
    const r22 = rows.find((r) => r[0] === '2.2')!;
    expect(r22[5]).toContain('• security staff on site 24 hours a day, 365 days a year;');
    const r23 = rows.find((r) => r[0] === '2.3')!;
    expect(r23[5]).toContain('encrypted at rest with AES-256.');
    expect(r23[5]).not.toContain('**');
    const r12 = rows.find((r) => r[0] === '12')!;
    expect(r12[5]).toContain(
      'secure system administration (https://www.ncsc.gov.uk/collection/secure-system-administration)',
    );
    expect(r12[8]).toContain('ISO/IEC 27001:2022 certification (IS 704512, expires 14 March 2028)');
  });

  it('--tier narrows the rows and names the file after the tier', () => {
    const r = runExport([EXAMPLE, '--format', 'csv', '--tier', 'managed']);
    expect(r.code).toBe(0);
    const rows = parseCsv(
      fs
        .readFileSync(
          path.join(
            r.dir,
            'output/harbourline-cloud-ltd-harbourline-hosting-platform-managed-v3-0.csv',
          ),
          'utf8',
        )
        .slice(1),
    );
    expect(rows).toHaveLength(1 + model.items.length);
    expect(new Set(rows.slice(1).map((x) => x[2]))).toEqual(new Set(['Managed hosting']));
  });

  it('-o - writes to stdout', () => {
    const r = runExport([EXAMPLE, '--format', 'csv', '-o', '-', '--tier', 'unmanaged']);
    expect(r.code).toBe(0);
    expect(parseCsv(r.stdout.slice(1))).toHaveLength(1 + model.items.length);
    expect(fs.existsSync(path.join(r.dir, 'output'))).toBe(false);
  });
});

describe('srq export --max-words', () => {
  it('uses the summary where the statement is too long and reports every answer still over', () => {
    const dir = tempDir();
    const text = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace(/^ {4}summary: Customers are separated.*\n/m, '')
      .replace(/^ {4}summary: Security is governed.*\n/m, '');
    writeFiles(dir, { 'a.yaml': text });
    const r = runExport(['a.yaml', '--format', 'csv', '--max-words', '40', '-o', 'a.csv'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^a\.yaml: warning: answers\."3"\.provider: the statement has \d+ words, over the limit of 40, and there is no summary to use \(add a summary of at most 40 words, or shorten the statement\)$/,
      ),
      expect.stringMatching(
        /^a\.yaml: warning: answers\."4"\.provider: the statement has \d+ words/,
      ),
    ]);
    expect(r.stdout).toMatch(/used the summary for 22 answer\(s\) over the word limit: 1, 2\.1,/);
    expect(r.stdout).toContain('2 text(s) still over the word limit');
    const rows = parseCsv(fs.readFileSync(path.join(dir, 'a.csv'), 'utf8').slice(1));
    const one = rows.find((x) => x[0] === '1')!;
    expect(one[5]).toBe(model.items[0].summary);
    const three = rows.find((x) => x[0] === '3')!;
    expect(three[5]).toContain("Each customer's virtual servers run under a hardened KVM");
  });

  it('rejects a limit that is not a positive whole number (exit 2)', () => {
    const r = runExport([EXAMPLE, '--format', 'csv', '--max-words', 'ten']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "srq: --max-words: expected a whole number above 0, e.g. --max-words 250 (got 'ten')",
    );
  });
});

describe('srq export --format xlsx', () => {
  const res = runExport([EXAMPLE, '--format', 'xlsx']);
  const wb = readWorkbookForTest(path.join(res.dir, `${OUT}.xlsx`));
  // The PDF matrix's own colours (src/render/marks.ts), written out by hand: one key everywhere.
  const FILL: Record<string, string> = {
    provider: 'CFE3F7',
    customer: 'D7EFD2',
    shared: 'FBE3B0',
    'not-applicable': 'E6E6E6',
  };
  const col = (n: number) => String.fromCharCode(64 + n);

  it('has a matrix sheet and one sheet per tier', () => {
    expect(res.code).toBe(0);
    expect(wb.sheets).toEqual(['Responsibility matrix', ...model.tiers.map((t) => t.name)]);
  });

  it('matrix: every principle × tier with its responsibility, colour-filled', () => {
    const ws = 'Responsibility matrix';
    expect(['A1', 'B1', 'C1', 'D1', 'E1'].map((r) => wb.cell(ws, r)?.value)).toEqual([
      'ID',
      'Principle',
      ...model.tiers.map((t) => t.name),
    ]);
    model.items.forEach((item, i) => {
      expect(wb.cell(ws, `A${i + 2}`)!.value).toBe(item.id);
      item.tiers.forEach((ta, j) => {
        const cell = wb.cell(ws, `${col(3 + j)}${i + 2}`)!;
        expect(cell.value).toBe(LABEL[ta.responsibility]);
        expect(cell.fill).toBe(FILL[ta.responsibility]);
      });
    });
  });

  it('tier sheets: bold frozen header, wrapped text, set widths, one row per principle', () => {
    for (const tier of model.tiers) {
      const xml = wb.sheetXml(tier.name);
      expect(xml).toMatch(
        /<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"\/>/,
      );
      expect(xml).toContain('<autoFilter ref="A1:');
      expect(xml).toContain(`<oddHeader>&amp;L${tier.name}&amp;R&amp;P of &amp;N</oddHeader>`);
      expect(wb.cell(tier.name, 'A1')!.value).toBe('ID');
      expect(wb.cell(tier.name, 'E1')!.value).toBe('Provider implementation');
      expect(wb.cell(tier.name, 'A1')!.bold).toBe(true);
      expect(wb.width(tier.name, 5)).toBe(80);
      expect(wb.rowCount(tier.name)).toBe(1 + model.items.length);
      model.items.forEach((item, i) => {
        const ta = item.tiers.find((t) => t.tier.id === tier.id)!;
        expect(wb.cell(tier.name, `A${i + 2}`)!.value).toBe(item.id);
        expect(wb.cell(tier.name, `D${i + 2}`)).toMatchObject({
          value: LABEL[ta.responsibility],
          fill: FILL[ta.responsibility],
        });
        expect(wb.cell(tier.name, `E${i + 2}`)).toMatchObject({ wrap: true, vertical: 'top' });
        expect(wb.cell(tier.name, `E${i + 2}`)!.value).toBe(tierRows(model, tier)[i].provider);
      });
    }
  });

  it('carries the document properties, dated by the issue date', () => {
    expect(wb.core).toContain('<dc:creator>Harbourline Cloud Ltd</dc:creator>');
    expect(wb.core).toContain(
      `<dcterms:created xsi:type="dcterms:W3CDTF">${model.document.issued}T00:00:00Z</dcterms:created>`,
    );
  });
});

describe('srq export --format docx', () => {
  const res = runExport([EXAMPLE, '--format', 'docx']);
  let parts: Record<string, string>;
  beforeAll(async () => {
    parts = await readDocx(path.join(res.dir, `${DOC}.docx`));
  });

  it('holds every principle heading, tier and customer responsibility', () => {
    expect(res.code).toBe(0);
    const text = docxText(parts['word/document.xml']);
    for (const p of model.principles) expect(text).toContain(`Principle ${p.id} — ${p.title}`);
    for (const item of model.items) {
      for (const ta of item.tiers) {
        if (ta.customer) expect(text).toContain(ta.customer.replace(/\s+/g, ' ').trim());
      }
    }
    for (const t of model.tiers) {
      expect(text).toContain(t.name);
      expect(text).toContain(`${t.name} (Shared):`);
    }
  });

  it('uses Word headings, lists and tables with repeating header rows', () => {
    const xml = parts['word/document.xml'];
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading2"/>');
    expect(xml.match(/<w:numPr>/g)!.length).toBeGreaterThan(10);
    expect(xml.match(/<w:tblHeader\/>/g)!.length).toBeGreaterThanOrEqual(6);
    // Bold from the answer Markdown ("**critical**", "**AES-256**") survives as a bold run.
    expect(xml).toMatch(/<w:b\/>(?:<w:bCs\/>)?<\/w:rPr><w:t xml:space="preserve">AES-256<\/w:t>/);
    // The ordered list of principle 2.4 is numbered.
    expect(parts['word/numbering.xml']).toContain('<w:numFmt w:val="decimal"/>');
  });

  it('has a header with the title and marking, and a footer with Page N of M', () => {
    const header = docxText(parts['word/header1.xml']);
    expect(header).toContain('Harbourline Cloud Ltd · NCSC Cloud Security Principles');
    expect(header).toContain('OFFICIAL');
    const footer = parts['word/footer1.xml'];
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
    expect(parts['word/styles.xml']).toContain('w:lang w:val="en-GB"');
    expect(parts['docProps/core.xml']).toContain('<dc:creator>Harbourline Cloud Ltd</dc:creator>');
  });
});

describe('srq export --format html', () => {
  const res = runExport([EXAMPLE, '--format', 'html']);
  const html = fs.readFileSync(path.join(res.dir, `${DOC}.html`), 'utf8');

  it('is a standalone, accessible page', () => {
    expect(res.code).toBe(0);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain(
      '<title>Following the NCSC Cloud Security Principles: Harbourline Cloud Ltd</title>',
    );
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).toContain('@media print');
    // Every th is scoped; tables have captions.
    const ths = html.match(/<th\b[^>]*>/g)!;
    expect(ths.length).toBeGreaterThan(30);
    for (const th of ths) expect(th).toMatch(/scope="(col|row)"/);
    // The legend and the matrix are marked as such (the template's <!-- matrix --> tables).
    expect(html.match(/<table class="legend">/g)).toHaveLength(1);
    expect(html.match(/<table class="matrix">/g)).toHaveLength(1);
  });

  it('holds every principle, tier and responsibility, headings in order', () => {
    for (const p of model.principles) {
      expect(html).toMatch(
        new RegExp(`<h3 id="principle-${p.id}-[a-z0-9-]+">Principle ${p.id} — ${p.title}</h3>`),
      );
    }
    for (const item of model.items) {
      const row = html.match(
        new RegExp(`<tr><th scope="row">${item.id.replace('.', '\\.')} [^<]*</th>(.*?)</tr>`),
      )!;
      expect(row).not.toBeNull();
      const cells = [...row[1].matchAll(/<td class="r r-([a-z-]+)">([^<]*)<\/td>/g)];
      expect(cells.map((c) => c[1])).toEqual(item.tiers.map((t) => t.responsibility));
      expect(cells.map((c) => c[2])).toEqual(item.tiers.map((t) => LABEL[t.responsibility]));
    }
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    for (let i = 1; i < levels.length; i++)
      expect(levels[i] - levels[i - 1]).toBeLessThanOrEqual(1);
  });

  it('escapes raw HTML in answers and drops javascript: links', () => {
    const dir = tempDir();
    const file = hostileExample(dir);
    const r = runExport([file, '--format', 'html', '-o', 'x.html'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'x.html'), 'utf8');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(out).not.toMatch(/<script|<img|href="javascript/i);
    expect(out).toContain('See the guide and');
  });
});

describe('srq export --format md', () => {
  it('is the same document as Markdown', () => {
    const r = runExport([EXAMPLE, '--format', 'md', '-o', '-']);
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(
      md.startsWith('---\ntitle: "Following the NCSC Cloud Security Principles"\n---\n\n'),
    ).toBe(true);
    expect(md).toContain('\n# Following the NCSC Cloud Security Principles\n');
    for (const p of model.principles)
      expect(md).toContain(`\n### Principle ${p.id} — ${p.title}\n`);
    expect(md).toContain(
      '| 2.5 Physical resilience and availability | Customer | Shared | Shared |',
    );
    // The answer's own table and list come through as Markdown.
    expect(md).toContain('| Tier | Availability | Backups | Recovery point |');
    expect(md).toContain('1. The drive is removed from service');
  });
});

interface Role {
  'role-id': string;
  'party-uuids'?: string[];
}
interface Prop {
  name: string;
  ns?: string;
  value: string;
}
interface Statement {
  'statement-id': string;
  uuid: string;
  description: string;
  'responsible-roles': Role[];
}
interface Requirement {
  uuid: string;
  'control-id': string;
  description: string;
  props: Prop[];
  'responsible-roles'?: Role[];
  statements?: Statement[];
}
interface ComponentDefinition {
  uuid: string;
  metadata: { roles: { id: string }[] } & Record<string, unknown>;
  components: {
    type: string;
    title: string;
    description: string;
    'responsible-roles': Role[];
    'control-implementations': {
      source: string;
      props: Prop[];
      'implemented-requirements': Requirement[];
    }[];
  }[];
}

describe('srq export --format oscal', () => {
  const res = runExport([EXAMPLE, '--format', 'oscal']);
  const file = path.join(res.dir, `${OUT}.oscal.json`);
  const text = fs.readFileSync(file, 'utf8');
  const doc = JSON.parse(text) as { 'component-definition': ComponentDefinition };
  const cd = doc['component-definition'];

  it('has the required OSCAL 1.1 component-definition fields', () => {
    expect(res.code).toBe(0);
    expect(cd.metadata).toMatchObject({
      title: 'Harbourline Hosting Platform: Following the NCSC Cloud Security Principles',
      'last-modified': '2026-11-02T00:00:00Z',
      version: '3.0',
      'oscal-version': '1.1.2',
    });
    expect(cd.metadata.roles.map((r) => r.id)).toEqual(['provider', 'customer']);
    expect(cd.components).toHaveLength(1);
    expect(cd.components[0]).toMatchObject({
      type: 'service',
      title: 'Harbourline Hosting Platform',
    });
    expect(cd.components[0].description).toEqual(expect.any(String));
    expect(cd.components[0]['responsible-roles'].map((r) => r['role-id'])).toEqual([
      'provider',
      'customer',
    ]);
  });

  it('has a control implementation per tier with every principle and its responsibility', () => {
    const cis = cd.components[0]['control-implementations'];
    expect(cis).toHaveLength(3);
    model.tiers.forEach((tier, t) => {
      const ci = cis[t];
      expect(ci.props).toEqual([{ name: 'tier', ns: 'urn:srq:oscal', value: tier.id }]);
      expect(ci.source).toMatch(/^#[0-9a-f-]{36}$/);
      const reqs = ci['implemented-requirements'];
      expect(reqs.map((r) => r['control-id'])).toEqual(model.items.map((i) => `principle-${i.id}`));
      model.items.forEach((item, i) => {
        const ta = item.tiers.find((x) => x.tier.id === tier.id)!;
        const req = reqs[i];
        expect(req.description).toBe(
          ta.responsibility === 'not-applicable'
            ? `${item.id} ${item.title} does not apply to the ${tier.name} tier.`
            : item.summary,
        );
        expect(req.props).toContainEqual({
          name: 'responsibility',
          ns: 'urn:srq:oscal',
          value: ta.responsibility,
        });
        const roles = (req['responsible-roles'] ?? []).map((r) => r['role-id']);
        expect(roles).toEqual(
          {
            provider: ['provider'],
            customer: ['customer'],
            shared: ['provider', 'customer'],
            'not-applicable': [],
          }[ta.responsibility],
        );
        const statements = req.statements ?? [];
        const customer = statements.find((s) =>
          s['responsible-roles'].some((r) => r['role-id'] === 'customer'),
        );
        if (ta.customer) expect(customer?.description).toBe(ta.customer.trim());
        else expect(customer).toBeUndefined();
        if (ta.responsibility !== 'not-applicable') {
          expect(statements[0].description).toBe(item.provider.trim());
        }
      });
    });
  });

  it('has unique, valid UUIDs and every reference resolves', () => {
    const uuids: string[] = [];
    const refs: string[] = [];
    const walk = (v: unknown, key?: string): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
      else if (key === 'uuid') uuids.push(v as string);
      else if (key === 'party-uuids') refs.push(v as string);
      else if ((key === 'href' || key === 'source') && String(v).startsWith('#'))
        refs.push(String(v).slice(1));
    };
    walk(cd);
    expect(uuids.length).toBeGreaterThan(150);
    expect(new Set(uuids).size).toBe(uuids.length);
    for (const u of uuids)
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const r of refs) expect(uuids).toContain(r);
  });

  it('is deterministic: the same answers give the same file', () => {
    const again = runExport([EXAMPLE, '--format', 'oscal', '-o', '-']);
    expect(again.stdout).toBe(text);
  });
});

describe('srq export of a customer file', () => {
  it('narrows to the customer tier and adds the customer answer column', () => {
    const r = runExport([EXAMPLE_CUSTOMER, '--format', 'csv', '-o', '-']);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout.slice(1));
    expect(rows[0][9]).toBe('Customer implementation');
    expect(new Set(rows.slice(1).map((x) => x[2]))).toEqual(new Set(['Managed hosting']));
    expect(rows.find((x) => x[0] === '2.3')![9]).toContain('column-level encryption');
  });
});

describe('srq export errors', () => {
  it('a missing file is an I/O error (exit 3)', () => {
    const r = runExport(['nope.yaml', '--format', 'csv']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(
      'srq: nope.yaml: no such file (check the path; paths are relative to the current directory)',
    );
  });

  it('an unknown tier is a usage error with a suggestion (exit 2)', () => {
    const r = runExport([EXAMPLE, '--format', 'csv', '--tier', 'manged']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--tier manged: no such tier (did you mean managed?');
  });

  it('an unknown format is a usage error (exit 2)', () => {
    const r = runExport([EXAMPLE, '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'pdf' is invalid");
  });

  it('a binary format cannot go to stdout (exit 2), and nothing is written', () => {
    const r = runExport([EXAMPLE, '--format', 'xlsx', '-o', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('srq: -o -: xlsx is a binary format; give a file name instead');
  });

  it('an invalid answers file fails the check (exit 1) with located errors', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'bad.yaml': fs
        .readFileSync(EXAMPLE, 'utf8')
        .replace('responsibility: shared', 'responsibility: shraed'),
    });
    const r = runExport(['bad.yaml', '--format', 'docx'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^bad\.yaml:\d+:\d+: answers\."1"\.tiers\.unmanaged\.responsibility: /m,
    );
    expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('an unwritable output folder is an I/O error (exit 3)', () => {
    const r = runExport([EXAMPLE, '--format', 'csv', '-o', 'no/such/dir/x.csv']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no/such/dir/x.csv');
  });
});

describeAzure('srq export of a third-party statement (Azure blueprint, ncsc-2016)', () => {
  const answers = path.join(AZURE, 'answers.yaml');
  let expected: string[][] = [];
  beforeAll(() => {
    expected = fs
      .readFileSync(path.join(AZURE, 'expected.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
  });
  const words = (s: string) => s.split(/\s+/).filter(Boolean).slice(0, 8).join(' ');

  it('CSV rows carry every answered id, responsibility and text', () => {
    const r = runExport([answers, '--format', 'csv', '-o', '-']);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout.slice(1)).slice(1);
    expect(rows.map((x) => x[0])).toEqual(expected.map((e) => e[0]));
    for (const [id, resp, provider, customer] of expected) {
      const row = rows.find((x) => x[0] === id)!;
      expect(row[4]).toBe(LABEL[resp as keyof typeof LABEL]);
      expect(words(row[5])).toBe(words(provider));
      expect(words(row[6])).toBe(words(customer ?? ''));
    }
  });

  it('every other format builds from it', () => {
    for (const format of ['md', 'html', 'xlsx', 'docx', 'oscal']) {
      const r = runExport([answers, '--format', format]);
      expect({ format, code: r.code, stderr: r.stderr }).toEqual({ format, code: 0, stderr: '' });
    }
  });
});
