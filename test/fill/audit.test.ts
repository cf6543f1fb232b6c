import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { BIN, EXAMPLE, srq, tempDir } from '../helpers/cli';
import { BUYER_ROWS, buyerWorkbook, cellValue, excelRow, text, unpack, writeIn } from './helpers';

/**
 * The bullets that fill.test.ts left without a test of their own: every sheet of a
 * workbook, --max-chars, --allow-blank, the register's buyer and reference, the library's
 * validation and schema, and the tier asked on a terminal.
 */

const rowOf = (ref: string) => excelRow(BUYER_ROWS.findIndex((r) => r.ref === ref));
const fill = (dir: string, args: string[]) => srq(['fill', ...args], { cwd: dir });

/** The buyer's workbook with a second questions sheet, "Security (2)", a copy of the first. */
function twoSheetWorkbook(): Buffer {
  const p = unpack(buyerWorkbook());
  const sheet3 = text(p['xl/worksheets/sheet2.xml']).replace('<legacyDrawing r:id="rId1"/>', '');
  const workbook = text(p['xl/workbook.xml']).replace(
    '</sheets>',
    '<sheet name="Security (2)" sheetId="3" r:id="rId9"/></sheets>',
  );
  const rels = text(p['xl/_rels/workbook.xml.rels']).replace(
    '</Relationships>',
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/></Relationships>',
  );
  const types = text(p['[Content_Types].xml']).replace(
    '</Types>',
    '<Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  );
  return Buffer.from(
    zipSync({
      ...p,
      '[Content_Types].xml': strToU8(types),
      'xl/workbook.xml': strToU8(workbook),
      'xl/_rels/workbook.xml.rels': strToU8(rels),
      'xl/worksheets/sheet3.xml': strToU8(sheet3),
    }),
  );
}

test('every questions sheet of a workbook is answered, each in its own cells', () => {
  const dir = tempDir('srq-fill-sheets-');
  writeIn(dir, 'two.xlsx', twoSheetWorkbook());
  const r = fill(dir, ['two.xlsx', '--answers', EXAMPLE, '--tier', 'managed', '--allow-blank']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('16 question(s)');
  expect(r.stdout).toContain("skipped (no question column): 'Instructions'");
  const b = unpack(path.join(dir, 'output', 'two-filled.xlsx'));
  const first = cellValue(b, 'xl/worksheets/sheet2.xml', `E${rowOf('1.2')}`);
  expect(first).toMatch(/^The Harbourline Hosting Platform runs in two UK data centres/);
  expect(cellValue(b, 'xl/worksheets/sheet3.xml', `E${rowOf('1.2')}`)).toBe(first);
  const report = fs.readFileSync(path.join(dir, 'output', 'two-filled.report.csv'), 'utf8');
  expect(report).toContain(`Security (2),row ${rowOf('1.2')},1.2,`);
  expect(report).toContain(`Security,row ${rowOf('1.2')},1.2,`);
});

describe('limits, --allow-blank and the register', () => {
  const dir = tempDir('srq-fill-limits-');
  writeIn(dir, 'acme.xlsx', buyerWorkbook());

  test('--max-chars: an answer over the limit gives way to its summary, and the report says so', () => {
    const r = fill(dir, [
      'acme.xlsx',
      '--answers',
      EXAMPLE,
      '--tier',
      'fully-managed',
      '--max-chars',
      '300',
      '-o',
      'chars.xlsx',
      '--allow-blank',
    ]);
    expect(r.code).toBe(0);
    const b = unpack(path.join(dir, 'chars.xlsx'));
    const cell = cellValue(b, 'xl/worksheets/sheet2.xml', `E${rowOf('1.2')}`)!;
    expect(cell).toBe(
      'Customer data is stored and processed only in our two UK data centres, under UK law.',
    );
    expect(cell.length).toBeLessThanOrEqual(300);
    expect(fs.readFileSync(path.join(dir, 'chars.report.csv'), 'utf8')).toContain(
      'used the summary to meet the limit',
    );
  });

  test('a blank question exits 1; with --allow-blank the same fill exits 0; both are registered with buyer and reference', () => {
    const blank = fill(dir, ['acme.xlsx', '--answers', EXAMPLE, '--tier', 'managed']);
    expect(blank.code).toBe(1);
    const allowed = fill(dir, [
      'acme.xlsx',
      '--answers',
      EXAMPLE,
      '--tier',
      'managed',
      '--allow-blank',
      '--buyer',
      'Acme Borough Council',
      '--reference',
      'ITT-2026-041',
      '-o',
      'allowed.xlsx',
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toContain('1 left blank');
    const lines = fs
      .readFileSync(path.join(dir, 'output', 'register.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({
      kind: 'fill',
      file: '../allowed.xlsx',
      buyer: 'Acme Borough Council',
      reference: 'ITT-2026-041',
      tiers: ['managed'],
    });
  });
});

test('the library is validated like everything else, and described in the JSON Schema', () => {
  const dir = tempDir('srq-fill-library-');
  const answers = fs
    .readFileSync(EXAMPLE, 'utf8')
    .concat(
      'library:\n  - id: x\n    questions: [A?]\n    answer: A.\n  - id: x\n    questions: [B?]\n    answer: B.\n    tiers:\n      nosuch: C.\n',
    );
  fs.writeFileSync(path.join(dir, 'a.yaml'), answers);
  const r = srq(['validate', 'a.yaml'], { cwd: dir });
  expect(r.code).toBe(1);
  const lines = r.stderr.split('\n');
  const at = answers.split('\n').length;
  expect(lines).toContain(
    `a.yaml:${at - 5}:9: library.1.id: duplicate library id 'x' (also entry 1) (give every library entry its own id)`,
  );
  expect(lines).toContain(
    `a.yaml:${at - 1}:7: library.1.tiers.nosuch: tier 'nosuch' is not defined (tiers are: unmanaged, managed, fully-managed)`,
  );
  // srq fill refuses such a file before reading a question, and writes nothing.
  writeIn(dir, 'q.csv', 'Question,Response\r\nDo you encrypt data at rest?,\r\n');
  const filled = fill(dir, ['q.csv', '--answers', 'a.yaml', '--tier', 'managed']);
  expect(filled.code).toBe(1);
  expect(filled.stderr.split('\n')[0]).toBe(lines[0]);
  expect(filled.stderr).toContain(
    'a.yaml has errors; fix them (srq validate a.yaml) and run srq fill again',
  );
  expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
  const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'answers.schema.json'), 'utf8'),
  ) as { properties: Record<string, { items?: { required?: string[] } }> };
  expect(schema.properties.library.items?.required).toEqual(
    expect.arrayContaining(['id', 'questions', 'answer']),
  );
});

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);

(python ? test : test.skip)(
  'without --tier on a terminal, srq asks which tier the buyer is buying',
  () => {
    const dir = tempDir('srq-fill-tier-pty-');
    writeIn(dir, 'acme.xlsx', buyerWorkbook());
    const steps = [
      { expect: 'Which tier is the buyer buying\\?' },
      { expect: '❯ Unmanaged virtual servers', send: '\u001b[B' },
      { expect: '❯ Managed hosting \\(managed\\)', send: '\r' },
      { expect: 'give it with --map next time', timeout: 30 },
    ];
    const script = path.join(dir, 'script.json');
    fs.writeFileSync(script, JSON.stringify(steps));
    const res = spawnSync(
      python!,
      [
        path.join(__dirname, '..', 'helpers', 'pty-run.py'),
        script,
        '--',
        process.execPath,
        BIN,
        'fill',
        'acme.xlsx',
        '--answers',
        EXAMPLE,
        '--allow-blank',
      ],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', SRQ_NOW: '2026-11-22T12:00:00Z', TERM: 'xterm' },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const out = JSON.parse(res.stdout) as { exit: number; output: string; failed: unknown };
    expect(out.failed).toBeNull();
    expect(out.exit).toBe(0);
    expect(out.output).toContain('wrote output/acme-filled.xlsx (tier managed;');
  },
);
