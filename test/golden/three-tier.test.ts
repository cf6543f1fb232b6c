import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { loadModel } from '../../src/model/resolve';
import { renderDocument } from '../../src/render';
import { ROOT, srq, tempDir } from '../helpers/cli';
import { docxText, parseCsv, readDocx, runExport } from '../helpers/export';
import { pdfText, squash } from '../helpers/pdf';

/**
 * The three-tier example against golden files written by hand from its YAML
 * (test/fixtures/three-tier/README.md): the model, the PDF's matrix as a reader sees it, and
 * every export must say the same responsibility for every principle in every tier. The product's
 * own model is never the oracle here.
 */

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'three-tier');
const ANSWERS = path.join(FIXTURE, 'answers.yaml');
const TIERS = ['unmanaged', 'managed', 'fully-managed'];
const LABEL: Record<string, string> = {
  provider: 'Provider',
  customer: 'Customer',
  shared: 'Shared',
  'not-applicable': 'N/A',
};
const MARKS = new Set(Object.values(LABEL));

/** id → [responsibility in each of TIERS], from the hand-written TSV. */
const GOLDEN: [string, string[]][] = fs
  .readFileSync(path.join(FIXTURE, 'responsibility.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [id, ...rs] = line.split('\t');
    return [id, rs];
  });
const goldenLabels = (rs: string[]) => rs.map((r) => LABEL[r]);

/** From the text of a matrix, the marks of each golden row, found between its id and the next. */
function matrixRows(text: string, end: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (let i = 0; i < GOLDEN.length; i++) {
    const id = GOLDEN[i][0];
    const at = text.indexOf(` ${id} `);
    const next = GOLDEN[i + 1]
      ? text.indexOf(` ${GOLDEN[i + 1][0]} `, at + 1)
      : text.indexOf(end, at);
    if (at < 0 || next < 0) continue;
    // A page break inside the matrix puts the page furniture (footer, next header) after a row.
    const segment = text
      .slice(at, next)
      .split(/ Harbourline Cloud Ltd · | OFFICIAL | Page \d+ of /)[0];
    const words = segment.trim().split(' ');
    const marks: string[] = [];
    while (words.length && MARKS.has(words[words.length - 1])) marks.unshift(words.pop()!);
    rows.set(id, marks);
  }
  return rows;
}

describe('the three-tier example, against hand-written golden files', () => {
  it('the model gives every principle × tier the responsibility the YAML says', () => {
    const { model } = loadModel(ANSWERS);
    expect(model.tiers.map((t) => t.id)).toEqual(TIERS);
    const got = model.items
      .filter((i) => i.answered)
      .map((i) => [i.id, TIERS.map((t) => i.tiers.find((x) => x.tier.id === t)!.responsibility)]);
    expect(got).toEqual(GOLDEN);
  });

  it('the statement template renders principle 1 as written by hand', () => {
    const { model } = loadModel(ANSWERS);
    const md = renderDocument(model, { template: 'statement' });
    const golden = fs.readFileSync(path.join(FIXTURE, 'principle-1.md'), 'utf8').trim();
    const start = md.indexOf('## Principle 1 — ');
    const end = md.indexOf('\n## Principle 2 — ', start);
    expect(md.slice(start, end).trim()).toBe(golden);
  });

  it('the PDF matrix, as extracted text, shows the golden marks in every row', () => {
    const dir = tempDir();
    const out = path.join(dir, 'statement.pdf');
    const r = srq(['build', ANSWERS, '-o', out], { cwd: dir });
    expect(r.code).toBe(0);
    const text = squash(pdfText(fs.readFileSync(out)).text);
    const from = text.indexOf(
      'Principle Unmanaged virtual servers Managed hosting Fully managed application',
    );
    expect(from).toBeGreaterThan(0);
    // The principles follow the matrix on its page (no forced break since the contents page).
    const rows = matrixRows(text.slice(from), 'The principles');
    expect(GOLDEN.map(([id]) => [id, rows.get(id)])).toEqual(
      GOLDEN.map(([id, rs]) => [id, goldenLabels(rs)]),
    );
  });

  it('csv: one row per principle × tier with the golden responsibility', () => {
    const r = runExport([ANSWERS, '--format', 'csv', '-o', '-']);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout.slice(1)).slice(1);
    const tierName = ['Unmanaged virtual servers', 'Managed hosting', 'Fully managed application'];
    for (const [id, rs] of GOLDEN) {
      rs.forEach((resp, t) => {
        const row = rows.find((x) => x[0] === id && x[2] === tierName[t]);
        expect([id, tierName[t], row?.[4]]).toEqual([id, tierName[t], LABEL[resp]]);
      });
    }
  });

  it('md and html: the matrix rows carry the golden marks', () => {
    const md = runExport([ANSWERS, '--format', 'md', '-o', '-']).stdout;
    for (const [id, rs] of GOLDEN) {
      expect(md).toMatch(
        new RegExp(
          `\\n\\| ${id.replace('.', '\\.')} [^|\\n]+ \\| ${goldenLabels(rs).join(' \\| ')} \\|\\n`,
        ),
      );
    }
    const html = runExport([ANSWERS, '--format', 'html', '-o', '-']).stdout;
    const matrix = html.slice(html.indexOf('<table class="matrix">'));
    for (const [id, rs] of GOLDEN) {
      const row = new RegExp(
        `<tr><th scope="row">${id.replace('.', '\\.')} [^<]*</th>(.*?)</tr>`,
      ).exec(matrix);
      const cells = [...(row?.[1] ?? '').matchAll(/<td class="r r-([a-z-]+)">([^<]*)<\/td>/g)];
      expect([id, cells.map((c) => c[1]), cells.map((c) => c[2])]).toEqual([
        id,
        rs,
        goldenLabels(rs),
      ]);
    }
  });

  it('docx: the matrix table rows carry the golden marks', async () => {
    const r = runExport([ANSWERS, '--format', 'docx', '-o', 'x.docx']);
    expect(r.code).toBe(0);
    const xml = (await readDocx(path.join(r.dir, 'x.docx')))['word/document.xml'];
    const rows = [...xml.matchAll(/<w:tr>.*?<\/w:tr>/gs)].map((m) =>
      [...m[0].matchAll(/<w:tc>.*?<\/w:tc>/gs)].map((c) => docxText(c[0]).trim()),
    );
    for (const [id, rs] of GOLDEN) {
      const row = rows.find((cells) => cells[0]?.startsWith(`${id} `));
      expect([id, row?.slice(1)]).toEqual([id, goldenLabels(rs)]);
    }
  });

  it('xlsx: the matrix sheet carries the golden marks (read as raw sheet XML)', () => {
    const r = runExport([ANSWERS, '--format', 'xlsx', '-o', 'x.xlsx']);
    expect(r.code).toBe(0);
    const zip = unzipSync(fs.readFileSync(path.join(r.dir, 'x.xlsx')));
    const part = (name: string) => (zip[name] ? strFromU8(zip[name]) : '');
    const shared = [...part('xl/sharedStrings.xml').matchAll(/<si>(.*?)<\/si>/gs)].map((m) =>
      [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join(''),
    );
    const sheet = part('xl/worksheets/sheet1.xml');
    const rows = [...sheet.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((m) =>
      [...m[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map(([, attrs, body = '']) => {
        const v = /<v>([^<]*)<\/v>/.exec(body)?.[1] ?? /<t[^>]*>([^<]*)<\/t>/.exec(body)?.[1] ?? '';
        return /t="s"/.test(attrs) ? shared[Number(v)] : v;
      }),
    );
    for (const [id, rs] of GOLDEN) {
      const row = rows.find((cells) => cells[0] === id);
      expect([id, row?.slice(-3)]).toEqual([id, goldenLabels(rs)]);
    }
  });

  it('oscal: each tier’s implemented requirement carries the golden responsibility', () => {
    const r = runExport([ANSWERS, '--format', 'oscal', '-o', '-']);
    const doc = JSON.parse(r.stdout) as {
      'component-definition': {
        components: {
          'control-implementations': {
            props: { name: string; value: string }[];
            'implemented-requirements': {
              'control-id': string;
              props: { name: string; value: string }[];
            }[];
          }[];
        }[];
      };
    };
    const impls = doc['component-definition'].components[0]['control-implementations'];
    expect(impls).toHaveLength(TIERS.length);
    TIERS.forEach((tier, t) => {
      const impl = impls.find((i) => i.props.some((p) => p.value === tier))!;
      expect(impl).toBeDefined();
      for (const [id, rs] of GOLDEN) {
        const req = impl['implemented-requirements'].find(
          (x) => x['control-id'] === `principle-${id}`,
        );
        const resp = req?.props.find((p) => p.name === 'responsibility')?.value;
        expect([tier, id, resp]).toEqual([tier, id, rs[t]]);
      }
    });
  });
});
