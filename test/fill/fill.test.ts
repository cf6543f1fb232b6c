import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { loadModel } from '../../src/model/resolve';
import { markdownToPlain } from '../../src/export/markdown-runs';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';
import { parseCsv } from '../helpers/export';
import {
  BUYER_ROWS,
  buyerDocx,
  buyerWorkbook,
  cellValue,
  excelRow,
  text,
  unpack,
  writeIn,
} from './helpers';

/**
 * `srq fill` end to end on questionnaires written by hand in buyers' shapes: what lands in the
 * answer cells, that every other part of the file is byte for byte the buyer's, the report, the
 * mapping and its reuse, the register, and the bad inputs.
 */

const { model } = loadModel(EXAMPLE);
const item = (id: string) => model.items.find((i) => i.id === id)!;
const tierOf = (id: string, tier: string) => item(id).tiers.find((t) => t.tier.id === tier)!;
const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const SHEET = 'xl/worksheets/sheet2.xml';
const rowOf = (ref: string) => excelRow(BUYER_ROWS.findIndex((r) => r.ref === ref));

function fill(dir: string, args: string[]) {
  return srq(['fill', ...args], { cwd: dir });
}

/** A stored (uncompressed) one-entry zip whose headers claim 0xF0000000 bytes unpacked. */
function zipBomb(): Buffer {
  const z = Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>') }, { level: 0 }));
  z.writeUInt32LE(0xf0000000, 22);
  z.writeUInt32LE(0xf0000000, z.indexOf(Buffer.from('PK\x01\x02', 'latin1')) + 24);
  return z;
}

describe('srq fill: an xlsx questionnaire', () => {
  const dir = tempDir('srq-fill-');
  const input = writeIn(dir, 'acme.xlsx', buyerWorkbook());
  const before = sha(input);
  const res = fill(dir, ['acme.xlsx', '--answers', EXAMPLE, '--tier', 'managed']);
  const out = path.join(dir, 'output', 'acme-filled.xlsx');
  const a = unpack(input);
  const b = unpack(out);

  it('answers the questions it can, leaves the off-topic one blank, and exits 1 for it', () => {
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe(
      `srq: 1 question(s) left blank (listed above and in the report); answer them in the file, add library: entries to ${EXAMPLE}, run with --review, or pass --allow-blank`,
    );
    expect(res.stdout).toContain('wrote output/acme-filled.xlsx (tier managed;');
    expect(res.stdout).toMatch(
      /blank {2}Security row 15 \[3\.3\]: What is your professional indemnity insurance cover\?/,
    );
    expect(res.stdout).toContain("skipped (no question column): 'Instructions'");
  });

  it("writes the tier's statement and the customer's part, phrased for the buyer", () => {
    const e = cellValue(b, SHEET, `E${rowOf('1.1')}`)!;
    expect(e.startsWith(markdownToPlain(item('2.3').provider).slice(0, 120))).toBe(true);
    expect(e).toContain(
      `Your part, in our Managed hosting service: ${markdownToPlain(tierOf('2.3', 'managed').customer!)}`,
    );
    expect(cellValue(b, SHEET, `E${rowOf('1.2')}`)).toContain(
      markdownToPlain(item('2.1').provider).slice(0, 80),
    );
    expect(cellValue(b, SHEET, `E${rowOf('3.1')}`)).toContain(
      markdownToPlain(item('5.1').provider).slice(0, 80),
    );
  });

  it('puts an allowed dropdown value beside it, from the tier responsibility', () => {
    expect(tierOf('2.3', 'managed').responsibility).toBe('shared');
    expect(cellValue(b, SHEET, `D${rowOf('1.1')}`)).toBe('Partial');
    expect(tierOf('2.1', 'managed').responsibility).toBe('provider');
    expect(cellValue(b, SHEET, `D${rowOf('1.2')}`)).toBe('Yes');
  });

  it('keeps an answer already in the file, and leaves the off-topic row empty', () => {
    expect(cellValue(b, SHEET, `E${rowOf('3.2')}`)).toBe('See our policy pack.');
    expect(cellValue(b, SHEET, `D${rowOf('3.2')}`)).toBeUndefined();
    expect(cellValue(b, SHEET, `E${rowOf('3.3')}`)).toBeUndefined();
  });

  it('changes only the questions sheet: every other part is byte for byte the same, in the same order', () => {
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const name of Object.keys(a)) {
      if (name === SHEET) continue;
      expect([name, Buffer.from(b[name]).equals(Buffer.from(a[name]))]).toEqual([name, true]);
    }
  });

  it('in that sheet, changes only answer and dropdown cells of answered rows', () => {
    const cells = (xml: string) =>
      new Map(
        [...xml.matchAll(/<c r="([A-Z]+\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g)].map((m) => [
          m[1],
          m[0],
        ]),
      );
    const x = text(a[SHEET]);
    const y = text(b[SHEET]);
    const cx = cells(x);
    const cy = cells(y);
    const written = ['1.1', '1.2', '1.3', '2.1', '2.2', '3.1'].flatMap((r) => [
      `D${rowOf(r)}`,
      `E${rowOf(r)}`,
    ]);
    for (const [ref, xml] of cx) {
      if (written.includes(ref)) {
        expect(cy.get(ref)).not.toBe(xml);
        // The buyer's cell style is kept.
        expect(/ s="(\d+)"/.exec(cy.get(ref)!)?.[1]).toBe(/ s="(\d+)"/.exec(xml)?.[1]);
      } else expect([ref, cy.get(ref)]).toEqual([ref, xml]);
    }
    expect([...cy.keys()].sort()).toEqual([...cx.keys()].sort());
    const outside = (s: string) => s.replace(/<sheetData>[\s\S]*<\/sheetData>/, '');
    expect(outside(y)).toBe(outside(x));
  });

  it('never changes the input', () => {
    expect(sha(input)).toBe(before);
  });

  it('writes a report row per question with how it was matched', () => {
    const rows = parseCsv(
      fs
        .readFileSync(path.join(dir, 'output', 'acme-filled.report.csv'), 'utf8')
        .replace(/^\ufeff/, ''),
    );
    expect(rows[0]).toEqual([
      'Sheet',
      'Row',
      'Ref',
      'Question',
      'Status',
      'Answered from',
      'How',
      'Score',
      'Note',
    ]);
    expect(rows).toHaveLength(1 + BUYER_ROWS.filter((r) => r.question).length);
    const byRef = new Map(rows.slice(1).map((r) => [r[2], r]));
    expect(byRef.get('1.2')!.slice(0, 7)).toEqual([
      'Security',
      `row ${rowOf('1.2')}`,
      '1.2',
      'In which countries will our data be stored and processed?',
      'answered',
      '2.1 Physical location and legal jurisdiction',
      'confidence',
    ]);
    expect(Number(byRef.get('1.2')![7])).toBeGreaterThan(0.3);
    expect(byRef.get('3.2')![4]).toBe('kept');
    expect(byRef.get('3.3')!.slice(4, 7)).toEqual(['blank', '', '']);
  });

  it('writes the mapping it inferred beside the output', () => {
    const map = fs.readFileSync(path.join(dir, 'output', 'acme-filled.map.yaml'), 'utf8');
    expect(map).toContain(
      [
        'sheets:',
        '  - sheet: Security',
        '    headerRow: 4',
        '    question: B',
        '    answer: E',
        '    choice: D',
        '    reference: A',
        '    maxWords: 150',
      ].join('\n'),
    );
    expect(map).toContain(
      'in which countries will our data be stored and processed: principle:2.1',
    );
  });

  it('records the fill in the register', () => {
    const lines = fs
      .readFileSync(path.join(dir, 'output', 'register.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const e = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    expect(e).toMatchObject({
      kind: 'fill',
      file: 'acme-filled.xlsx',
      sha256: sha(out),
      questionnaire: '../acme.xlsx',
      questionnaireSha256: before,
      answersSha256: sha(EXAMPLE),
      tiers: ['managed'],
      time: '2026-11-22T12:00:00.000Z',
    });
  });
});

describe('srq fill: mapping reuse, library, cross-references, overwrite', () => {
  const dir = tempDir('srq-fill-map-');
  const answers = fs
    .readFileSync(EXAMPLE, 'utf8')
    .replace(/^( {2}"2\.4":\n)/m, '$1    also: [buyer-acme:1.3]\n')
    .concat(
      [
        'library:',
        '  - id: indemnity-insurance',
        '    questions:',
        '      - What professional indemnity insurance do you hold?',
        '    answer: We hold professional indemnity insurance of £5 million per claim.',
        '    choice: yes',
        '',
      ].join('\n'),
    );
  writeFiles(dir, { 'answers.yaml': answers });
  writeIn(dir, 'acme.xlsx', buyerWorkbook());
  const first = fill(dir, [
    'acme.xlsx',
    '--answers',
    'answers.yaml',
    '--tier',
    'managed',
    '--buyer',
    'Acme',
  ]);
  const b = unpack(path.join(dir, 'output', 'acme-filled.xlsx'));

  it('answers the off-topic question from the library, with its dropdown value', () => {
    expect(first.code).toBe(0);
    expect(cellValue(b, SHEET, `E${rowOf('3.3')}`)).toBe(
      'We hold professional indemnity insurance of £5 million per claim.',
    );
    expect(cellValue(b, SHEET, `D${rowOf('3.3')}`)).toBe('Yes');
  });

  it("matches the buyer's own numbering through also: buyer-acme:<ref>", () => {
    const report = fs.readFileSync(path.join(dir, 'output', 'acme-filled.report.csv'), 'utf8');
    expect(report).toContain(
      '1.3,How do you dispose of failed or retired hard drives?,answered,2.4 Data sanitisation and equipment disposal,reference,,',
    );
  });

  it('next time, with --map, answers from what it remembered; --overwrite replaces kept answers', () => {
    writeIn(dir, 'acme-2027.xlsx', buyerWorkbook());
    const again = fill(dir, [
      'acme-2027.xlsx',
      '--answers',
      'answers.yaml',
      '--tier',
      'managed',
      '--map',
      'output/acme-filled.map.yaml',
      '--overwrite',
    ]);
    expect(again.code).toBe(0);
    const report = fs.readFileSync(path.join(dir, 'output', 'acme-2027-filled.report.csv'), 'utf8');
    expect(report).toContain(
      '2.1,What checks are carried out on employees before they are hired?,answered,6.1 People and security culture,remembered,,',
    );
    const c = unpack(path.join(dir, 'output', 'acme-2027-filled.xlsx'));
    // The sheet's "(max 150 words)": the summary stands in for the longer statement.
    expect(cellValue(c, SHEET, `E${rowOf('3.2')}`)).toContain(item('5.3').summary!);
  });

  it('a mapping names the columns of a sheet whose headers say nothing', () => {
    const odd = buyerWorkbook().toString('latin1').length; // (just to build it once more below)
    expect(odd).toBeGreaterThan(0);
    const csv =
      '\ufeffNo.,Item,Box\r\n7,"Is customer data encrypted when stored on disk, including backups?",\r\n';
    writeIn(dir, 'odd.csv', csv);
    const auto = fill(dir, ['odd.csv', '--answers', 'answers.yaml', '--tier', 'managed']);
    expect(auto.code).toBe(1);
    expect(auto.stderr.trim()).toMatch(
      /^srq: odd\.csv: no file has a recognisable question column .*--map/,
    );
    writeFiles(dir, {
      'odd.map.yaml':
        'format: 1\nsheets:\n  - sheet: odd.csv\n    headerRow: 1\n    question: B\n    answer: C\n',
    });
    const mapped = fill(dir, [
      'odd.csv',
      '--answers',
      'answers.yaml',
      '--tier',
      'managed',
      '--map',
      'odd.map.yaml',
    ]);
    expect(mapped.code).toBe(0);
    const rows = parseCsv(
      fs.readFileSync(path.join(dir, 'output', 'odd-filled.csv'), 'utf8').replace(/^\ufeff/, ''),
    );
    expect(rows[1][2]).toContain(markdownToPlain(item('2.3').provider).slice(0, 60));
  });

  it('a mapping with a mistake is a located error', () => {
    writeFiles(dir, {
      'bad.map.yaml':
        'format: 1\nsheets:\n  - sheet: odd.csv\n    headerRow: one\n    question: B\n    answer: C\n',
    });
    const r = fill(dir, [
      'odd.csv',
      '--answers',
      'answers.yaml',
      '--tier',
      'managed',
      '--map',
      'bad.map.yaml',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^bad\.map\.yaml:4:16: sheets\.0\.headerRow: /);
  });
});

describe('srq fill: csv and docx', () => {
  const dir = tempDir('srq-fill-csv-');
  writeFiles(dir, {
    'answers.yaml': fs
      .readFileSync(EXAMPLE, 'utf8')
      .concat(
        'library:\n  - id: formula\n    questions: [What is your VAT number?]\n    answer: "=HYPERLINK(\\"http://x\\")"\n',
      ),
  });
  const csv =
    '\ufeffID;Question;Response;Comments\r\n' +
    'Q1;"Is customer data encrypted when stored on disk,\nincluding backups?";;keep "me"\r\n' +
    'Q2;What is your VAT number?;;\r\n' +
    'Q3;Do you hold cyber insurance?;;\r\n';
  const input = writeIn(dir, 'portal.csv', csv);

  it('splices only the answer fields: BOM, delimiter, quoting and line ends stay; formulas are escaped', () => {
    const r = fill(dir, [
      'portal.csv',
      '--answers',
      'answers.yaml',
      '--tier',
      'unmanaged',
      '--allow-blank',
    ]);
    expect(r.code).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'output', 'portal-filled.csv'), 'utf8');
    expect(
      out.startsWith(
        '\ufeffID;Question;Response;Comments\r\nQ1;"Is customer data encrypted when stored on disk,\nincluding backups?";"',
      ),
    ).toBe(true);
    expect(out).toContain(
      ';keep "me"\r\nQ2;What is your VAT number?;"\'=HYPERLINK(""http://x"")";\r\nQ3;Do you hold cyber insurance?;;\r\n',
    );
    expect(fs.readFileSync(input, 'utf8')).toBe(csv);
  });

  it('a Word table with merged header cells: Yes/No and Comments under "Supplier response"', () => {
    const docx = writeIn(
      dir,
      'assurance.docx',
      buyerDocx([
        { ref: 'S1', q: 'Is customer data encrypted when stored on disk, including backups?' },
        { ref: 'S2', q: 'Do you hold cyber insurance?' },
      ]),
    );
    const r = fill(dir, [
      'assurance.docx',
      '--answers',
      'answers.yaml',
      '--tier',
      'fully-managed',
      '--allow-blank',
    ]);
    expect(r.code).toBe(0);
    const a = unpack(docx);
    const b = unpack(path.join(dir, 'output', 'assurance-filled.docx'));
    for (const name of Object.keys(a))
      if (name !== 'word/document.xml')
        expect(Buffer.from(b[name]).equals(Buffer.from(a[name]))).toBe(true);
    const rows = [...text(b['word/document.xml']).matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((m) =>
      [...m[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) =>
        [...c[1].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('\n'),
      ),
    );
    expect(rows[3][2]).toBe('Yes');
    expect(rows[3][3]).toContain('All block storage volumes');
    expect(rows[4].slice(2)).toEqual(['', '']);
    expect(
      text(b['word/document.xml']).replace(/<w:tr>(?:(?!<w:tr>)[\s\S])*?S1[\s\S]*?<\/w:tr>/, ''),
    ).toBe(
      text(a['word/document.xml']).replace(/<w:tr>(?:(?!<w:tr>)[\s\S])*?S1[\s\S]*?<\/w:tr>/, ''),
    );
  });
});

describe('srq fill: tiers and limits', () => {
  const dir = tempDir('srq-fill-tier-');
  writeIn(dir, 'acme.xlsx', buyerWorkbook());

  it('without --tier and without a terminal: exit 2 listing the tiers, nothing written', () => {
    const r = fill(dir, ['acme.xlsx', '--answers', EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `srq: ${EXAMPLE} has 3 tiers; say which one the buyer is buying with --tier (unmanaged: Unmanaged virtual servers; managed: Managed hosting; fully-managed: Fully managed application)`,
    );
    expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('--max-words uses the summary where the statement is longer, and says so', () => {
    const r = fill(dir, [
      'acme.xlsx',
      '--answers',
      EXAMPLE,
      '--tier',
      'fully-managed',
      '--max-words',
      '40',
      '-o',
      'short.xlsx',
      '--allow-blank',
    ]);
    expect(r.code).toBe(0);
    const b = unpack(path.join(dir, 'short.xlsx'));
    expect(cellValue(b, SHEET, `E${rowOf('1.2')}`)).toBe(item('2.1').summary);
    expect(fs.readFileSync(path.join(dir, 'short.report.csv'), 'utf8')).toContain(
      'used the summary to meet the limit',
    );
  });
});

describe('srq fill: bad input is one line, the right exit code, nothing written, input unchanged', () => {
  const dir = tempDir('srq-fill-bad-');
  const cases: [string, Buffer | string, RegExp, number][] = [
    [
      'locked.xlsx',
      Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(100),
        Buffer.from('EncryptedPackage', 'utf16le'),
      ]),
      /^srq: locked\.xlsx: the file is protected with a password, so srq cannot read it; open it, remove the password .*run srq fill again$/,
      1,
    ],
    [
      'old.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
      /^srq: old\.xls: srq cannot read an Excel 97-2003 workbook \(\.xls\); save it as an Excel Workbook \(\.xlsx\) or CSV UTF-8 and run srq fill on that$/,
      2,
    ],
    [
      'sheet.ods',
      'x',
      /^srq: sheet\.ods: srq cannot read an OpenDocument spreadsheet \(\.ods\); save it as an Excel Workbook/,
      2,
    ],
    ['q.numbers', 'x', /^srq: q\.numbers: srq cannot read a Numbers spreadsheet/, 2],
    [
      'broken.xlsx',
      Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(50, 7)]),
      /^srq: broken\.xlsx: not a readable Office file \(the zip container is damaged: .*\); open it in Excel or Word, save it again, and retry$/,
      1,
    ],
    [
      // A zip bomb: its directory claims ~4 GB unpacked; refused before anything is inflated.
      'bomb.xlsx',
      zipBomb(),
      /^srq: bomb\.xlsx: unpacks to more than 256 MB, far more than a questionnaire holds \(is this the right file\?\)$/,
      1,
    ],
    [
      'renamed.xlsx',
      'Question,Answer\n',
      /^srq: renamed\.xlsx: not a xlsx file \(the content is not an Office zip package\)/,
      1,
    ],
    [
      'plain.xlsx',
      buyerWorkbook({ rows: [{ ref: '1', question: 'x' }] })
        .toString('latin1')
        .replace('Question', 'Qxxxxxxx'),
      /./,
      1,
    ],
  ];
  it.each(cases.filter((c) => c[0] !== 'plain.xlsx'))('%s', (name, data, message, code) => {
    const f = writeIn(dir, name, data);
    const before = sha(f);
    const r = fill(dir, [name, '--answers', EXAMPLE, '--tier', 'managed']);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
    expect(sha(f)).toBe(before);
  });

  const rowsXlsx = (rows: Parameters<typeof buyerWorkbook>[0]) => buyerWorkbook(rows);
  const more: [string, () => Buffer, RegExp, number, string[]][] = [
    [
      'huge.xlsx',
      () =>
        rowsXlsx({
          rows: Array.from({ length: 50_000 }, (_, i) => ({
            ref: String(i),
            question: `Question number ${i}?`,
          })),
          extras: false,
        }),
      /^srq: huge\.xlsx: sheet 'Security' has 50,0\d\d rows under the header, over srq fill's limit of 5,000; split the questionnaire/,
      1,
      [],
    ],
    [
      'noheader.xlsx',
      () =>
        Buffer.from(
          zipSync({
            ...unpack(buyerWorkbook()),
            'xl/sharedStrings.xml': strToU8(
              text(unpack(buyerWorkbook())['xl/sharedStrings.xml']).replace('>Question<', '>Text<'),
            ),
          }),
        ),
      /^srq: noheader\.xlsx: no sheet has a recognisable question column/,
      1,
      [],
    ],
    [
      'formula.xlsx',
      () => {
        const p = unpack(buyerWorkbook());
        const x = text(p[SHEET]).replace(
          /<c r="B6" s="2" t="s"><v>\d+<\/v><\/c>/,
          '<c r="B6" s="2"><f>Questions!A1</f></c>',
        );
        return Buffer.from(zipSync({ ...p, [SHEET]: strToU8(x) }));
      },
      /^srq: formula\.xlsx: sheet 'Security' row 6: the question cell B6 is a formula with no saved value; open the file in Excel and save it/,
      1,
      [],
    ],
    [
      'merged.xlsx',
      () => {
        const p = unpack(buyerWorkbook());
        const x = text(p[SHEET]).replace(
          '<mergeCell ref="A1:F1"/>',
          '<mergeCell ref="A1:F1"/><mergeCell ref="E6:E7"/>',
        );
        return Buffer.from(zipSync({ ...p, [SHEET]: strToU8(x) }));
      },
      /^srq: merged\.xlsx: sheet 'Security' row 6: the answer cell E6 is merged with other cells \(E6:E7\); unmerge the answer cells/,
      1,
      [],
    ],
    [
      'same.xlsx',
      () => buyerWorkbook(),
      /^srq: same\.xlsx: that is an input file of this command, writing there would destroy it/,
      2,
      ['-o', 'same.xlsx'],
    ],
  ];
  it.each(more)('%s', (name, make, message, code, extra) => {
    const f = writeIn(dir, name, make());
    const before = sha(f);
    const r = fill(dir, [name, '--answers', EXAMPLE, '--tier', 'managed', ...extra]);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
    expect(sha(f)).toBe(before);
  });
});
