import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

/**
 * Questionnaires in the shapes buyers send, written here by hand (raw SpreadsheetML and
 * WordprocessingML through fflate, no code shared with src/office), so a fill is checked
 * against files srq did not make.
 */

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface BuyerRow {
  ref?: string;
  question?: string;
  guidance?: string;
  /** A section heading: one cell merged across the table. */
  section?: string;
  /** Already answered by the buyer's previous supplier. */
  answered?: string;
}

/** The questions of the test workbook: section rows, a guidance column, an off-topic question. */
export const BUYER_ROWS: BuyerRow[] = [
  { section: '1. Protecting data' },
  {
    ref: '1.1',
    question: 'Is customer data encrypted when stored on disk, including backups?',
    guidance: 'State algorithms.',
  },
  { ref: '1.2', question: 'In which countries will our data be stored and processed?' },
  { ref: '1.3', question: 'How do you dispose of failed or retired hard drives?' },
  { section: '2. People' },
  {
    ref: '2.1',
    question: 'What checks are carried out on employees before they are hired?',
    guidance: 'BPSS or equivalent.',
  },
  { ref: '2.2', question: 'Do your people receive regular security awareness training?' },
  { section: '3. Operations' },
  { ref: '3.1', question: 'How quickly are critical security patches applied?' },
  {
    ref: '3.2',
    question: 'Describe how you respond to a security breach.',
    answered: 'See our policy pack.',
  },
  { ref: '3.3', question: 'What is your professional indemnity insurance cover?' },
];

const FIRST_QUESTION_ROW = 5; // Excel row of the first BUYER_ROWS entry

export interface XlsxOptions {
  rows?: BuyerRow[];
  /** A data validation list on the Compliant column. */
  dropdown?: boolean;
  /** Extra XML parts to carry (they must survive untouched). */
  extras?: boolean;
}

/** A buyer's workbook: an Instructions sheet first, then the questions sheet. */
export function buyerWorkbook(o: XlsxOptions = {}): Buffer {
  const rows = o.rows ?? BUYER_ROWS;
  const strings: string[] = [];
  const index = new Map<string, number>();
  const s = (t: string) => {
    let i = index.get(t);
    if (i === undefined) {
      i = strings.push(t) - 1;
      index.set(t, i);
    }
    return `t="s"><v>${i}</v>`;
  };
  const cell = (ref: string, text: string | undefined, style = 0) =>
    text === undefined ? '' : `<c r="${ref}" s="${style}" ${s(text)}</c>`;
  const merges = ['A1:F1'];
  const sheetRows: string[] = [
    `<row r="1" spans="1:6">${cell('A1', 'Acme Borough Council: supplier security questionnaire', 1)}</row>`,
    `<row r="2" spans="1:6">${cell('A2', 'Complete every question. Version 2.1', 0)}</row>`,
    `<row r="4" spans="1:6">${cell('A4', 'Ref', 1)}${cell('B4', 'Question', 1)}${cell('C4', 'Guidance', 1)}${cell('D4', 'Compliant (Yes/No/Partial/N/A)', 1)}${cell('E4', 'Supplier response (max 150 words)', 1)}${cell('F4', 'Buyer use only', 1)}</row>`,
  ];
  rows.forEach((r, i) => {
    const n = FIRST_QUESTION_ROW + i;
    if (r.section) {
      merges.push(`A${n}:F${n}`);
      sheetRows.push(`<row r="${n}">${cell(`A${n}`, r.section, 1)}</row>`);
      return;
    }
    sheetRows.push(
      `<row r="${n}" spans="1:6">${cell(`A${n}`, r.ref)}${cell(`B${n}`, r.question, 2)}${cell(`C${n}`, r.guidance, 2)}<c r="D${n}" s="3"/>${r.answered ? cell(`E${n}`, r.answered, 2) : `<c r="E${n}" s="2"/>`}<c r="F${n}" s="4"/></row>`,
    );
  });
  const last = FIRST_QUESTION_ROW + rows.length;
  sheetRows.push(
    `<row r="${last + 1}"><c r="E${last + 1}"><f>COUNTA(E${FIRST_QUESTION_ROW}:E${last})</f><v>1</v></c></row>`,
  );
  const validation =
    o.dropdown === false
      ? ''
      : `<dataValidations count="1"><dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="D${FIRST_QUESTION_ROW}:D${last}"><formula1>"Yes,No,Partial,N/A"</formula1></dataValidation></dataValidations>`;
  const sheet2 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:F${last + 1}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="6" customWidth="1"/><col min="2" max="2" width="60" customWidth="1"/><col min="3" max="3" width="30" customWidth="1"/><col min="4" max="4" width="14" customWidth="1"/><col min="5" max="5" width="70" customWidth="1"/></cols><sheetData>${sheetRows.join('')}</sheetData><mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>${validation}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>${o.extras === false ? '' : '<legacyDrawing r:id="rId1"/>'}</worksheet>`;
  const sheet1 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" ${s('How to complete this questionnaire')}</c></row><row r="3"><c r="A3" ${s('Answer every question in the Security sheet. Use the Response column for your answer.')}</c></row></sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((t) => `<si><t xml:space="preserve">${esc(t)}</t></si>`).join('')}</sst>`;
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFF2CC"/></patternFill></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf><xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/></cellXfs></styleSheet>`;
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Instructions" sheetId="1" r:id="rId1"/><sheet name="Security" sheetId="2" r:id="rId2"/></sheets><definedNames><definedName name="Answers">Security!$E$${FIRST_QUESTION_ROW}:$E$${last}</definedName></definedNames></workbook>`;
  const parts: Record<string, string | Uint8Array> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Default Extension="png" ContentType="image/png"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    'docProps/core.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Supplier security questionnaire</dc:title><dc:creator>Acme Procurement</dc:creator></cp:coreProperties>`,
    'xl/workbook.xml': workbook,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheet1,
    'xl/worksheets/sheet2.xml': sheet2,
    'xl/sharedStrings.xml': sst,
    'xl/styles.xml': styles,
  };
  if (o.extras !== false) {
    parts['xl/worksheets/_rels/sheet2.xml.rels'] =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>`;
    parts['xl/comments1.xml'] =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>Buyer</author></authors><commentList><comment ref="B6" authorId="0"><text><t>Mandatory question</t></text></comment></commentList></comments>`;
    parts['xl/drawings/vmlDrawing1.vml'] =
      '<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape id="_x0000_s1025"/></xml>';
    parts['xl/media/logo.png'] = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5,
    ]);
  }
  // Parts as text (strToU8) so the test can compare them exactly.
  const zipParts = Object.fromEntries(
    Object.entries(parts).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v]),
  );
  return Buffer.from(zipSync(zipParts));
}

/** Excel row of BUYER_ROWS[i]. */
export const excelRow = (i: number) => FIRST_QUESTION_ROW + i;

export function unpack(file: string | Buffer): Record<string, Uint8Array> {
  return unzipSync(typeof file === 'string' ? fs.readFileSync(file) : file);
}

export const text = (u: Uint8Array) => strFromU8(u);

/** The text of a cell in a sheet's XML: shared or inline string. Independent of src/office. */
export function cellValue(
  parts: Record<string, Uint8Array>,
  sheetPart: string,
  ref: string,
): string | undefined {
  const xml = text(parts[sheetPart]);
  const m = new RegExp(`<c r="${ref}"([^>]*?)(?:/>|>([\\s\\S]*?)</c>)`).exec(xml);
  if (!m) return undefined;
  const inner = m[2] ?? '';
  const unesc = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  if (/t="s"/.test(m[1])) {
    const sst = [...text(parts['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)];
    const i = Number(/<v>(\d+)<\/v>/.exec(inner)![1]);
    return unesc([...sst[i][1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((x) => x[1]).join(''));
  }
  if (/t="inlineStr"/.test(m[1]))
    return unesc([...inner.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((x) => x[1]).join(''));
  return /<v>([^<]*)<\/v>/.exec(inner)?.[1];
}

/** A Word questionnaire: a title paragraph, then a table whose first row is a merged title cell and whose header has a merged "Supplier response" over two columns. */
export function buyerDocx(questions: { ref: string; q: string }[]): Buffer {
  const p = (t: string, bold = false) =>
    `<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r>${bold ? '<w:rPr><w:b/><w:sz w:val="20"/></w:rPr>' : '<w:rPr><w:sz w:val="20"/></w:rPr>'}<w:t xml:space="preserve">${esc(t)}</w:t></w:r></w:p>`;
  const tc = (content: string, extra = '') =>
    `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>${extra}</w:tcPr>${content}</w:tc>`;
  const rows = [
    `<w:tr>${tc(p('Security requirements', true), '<w:gridSpan w:val="4"/>')}</w:tr>`,
    `<w:tr>${tc(p('Ref', true), '<w:vMerge w:val="restart"/>')}${tc(p('Requirement', true), '<w:vMerge w:val="restart"/>')}${tc(p('Supplier response', true), '<w:gridSpan w:val="2"/>')}</w:tr>`,
    `<w:tr>${tc(p(''), '<w:vMerge/>')}${tc(p(''), '<w:vMerge/>')}${tc(p('Yes/No', true))}${tc(p('Comments', true))}</w:tr>`,
    ...questions.map(
      (x) =>
        `<w:tr>${tc(p(x.ref))}${tc(p(x.q))}${tc('<w:p/>')}${tc('<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>')}</w:tr>`,
    ),
  ];
  const doc = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${p('Supplier assurance questionnaire', true)}<w:tbl><w:tblPr><w:tblW w:w="8000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="3000"/><w:gridCol w:w="1000"/><w:gridCol w:w="3000"/></w:tblGrid>${rows.join('')}</w:tbl>${p('Thank you.')}<w:sectPr/></w:body></w:document>`;
  const parts = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/_rels/document.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'word/document.xml': doc,
    'word/styles.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
  };
  return Buffer.from(
    zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]))),
  );
}

export function writeIn(dir: string, name: string, data: Buffer | string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}
