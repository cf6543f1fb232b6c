import { columnLetter } from './cells';
import { escapeXml } from './xml';
import { buildZip } from './zip';

/**
 * Writes a new workbook (SpreadsheetML) from a plain description: sheets of text cells, column
 * widths, a few cell styles, frozen panes, filters, page setup, document properties. What srq's
 * own `export --format xlsx` needs, and nothing more. Strings are inline (no shared string table).
 */

export interface CellStyle {
  bold?: boolean;
  /** Solid fill, RRGGBB. */
  fill?: string;
  borderBottom?: boolean;
  wrap?: boolean;
  vertical?: 'top' | 'center' | 'bottom';
}

export interface SheetSpec {
  name: string;
  /** Widths in characters, by column. */
  widths: number[];
  /** Rows of cell texts; `styles[r][c]` (or `rowStyles[r]`) styles a cell. */
  rows: string[][];
  styles?: (CellStyle | undefined)[][];
  freeze?: { xSplit: number; ySplit: number };
  /** Filter buttons on the first row, over every column. */
  autoFilter?: boolean;
  /** Page header, in Excel's header codes (&L left, &R right, &P page, &N pages). */
  oddHeader?: string;
  /** A4 landscape, fit to one page wide. */
  landscapeFitWidth?: boolean;
  defaultRowHeight?: number;
}

export interface WorkbookProperties {
  creator: string;
  lastModifiedBy: string;
  title: string;
  subject: string;
  company: string;
  keywords: string;
  created: Date;
  modified: Date;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

class StyleTable {
  private readonly fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'];
  private readonly fills = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
  ];
  private readonly borders = ['<border><left/><right/><top/><bottom/><diagonal/></border>'];
  private readonly xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly byKey = new Map<string, number>();

  private add(list: string[], xml: string): number {
    const i = list.indexOf(xml);
    if (i >= 0) return i;
    list.push(xml);
    return list.length - 1;
  }

  index(s: CellStyle | undefined): number {
    if (!s || !Object.values(s).some(Boolean)) return 0;
    const key = JSON.stringify([s.bold, s.fill, s.borderBottom, s.wrap, s.vertical]);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const fontId = s.bold
      ? this.add(
          this.fonts,
          '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
        )
      : 0;
    const fillId = s.fill
      ? this.add(
          this.fills,
          `<fill><patternFill patternType="solid"><fgColor rgb="FF${s.fill.toUpperCase()}"/><bgColor indexed="64"/></patternFill></fill>`,
        )
      : 0;
    const borderId = s.borderBottom
      ? this.add(
          this.borders,
          '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>',
        )
      : 0;
    const align =
      s.wrap || s.vertical
        ? `<alignment${s.vertical ? ` vertical="${s.vertical}"` : ''}${s.wrap ? ' wrapText="1"' : ''}/>`
        : '';
    const applied = `${fontId ? ' applyFont="1"' : ''}${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''}${align ? ' applyAlignment="1"' : ''}`;
    this.xfs.push(
      `<xf numFmtId="0" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${applied}${align ? `>${align}</xf>` : '/>'}`,
    );
    const id = this.xfs.length - 1;
    this.byKey.set(key, id);
    return id;
  }

  xml(): string {
    const list = (tag: string, items: string[]) =>
      `<${tag} count="${items.length}">${items.join('')}</${tag}>`;
    return `${HEAD}<styleSheet xmlns="${NS}">${list('fonts', this.fonts)}${list('fills', this.fills)}${list('borders', this.borders)}<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>${list('cellXfs', this.xfs)}<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
  }
}

function sheetXml(sheet: SheetSpec, styles: StyleTable): string {
  const cols = sheet.rows.reduce((n, r) => Math.max(n, r.length), sheet.widths.length);
  const lastRef = `${columnLetter(Math.max(cols, 1) - 1)}${Math.max(sheet.rows.length, 1)}`;
  const parts: string[] = [`${HEAD}<worksheet xmlns="${NS}" xmlns:r="${RNS}">`];
  if (sheet.landscapeFitWidth) parts.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  parts.push(`<dimension ref="A1:${lastRef}"/>`);
  if (sheet.freeze) {
    const { xSplit, ySplit } = sheet.freeze;
    const tl = `${columnLetter(xSplit)}${ySplit + 1}`;
    parts.push(
      `<sheetViews><sheetView workbookViewId="0"><pane xSplit="${xSplit}" ySplit="${ySplit}" topLeftCell="${tl}" activePane="bottomRight" state="frozen"/><selection pane="bottomRight" activeCell="${tl}" sqref="${tl}"/></sheetView></sheetViews>`,
    );
  } else parts.push('<sheetViews><sheetView workbookViewId="0"/></sheetViews>');
  parts.push(`<sheetFormatPr defaultRowHeight="${sheet.defaultRowHeight ?? 15}"/>`);
  if (sheet.widths.length) {
    parts.push(
      `<cols>${sheet.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`,
    );
  }
  parts.push('<sheetData>');
  sheet.rows.forEach((row, r) => {
    const cells = row.map((text, c) => {
      const s = styles.index(sheet.styles?.[r]?.[c]);
      const ref = `${columnLetter(c)}${r + 1}`;
      const sAttr = s ? ` s="${s}"` : '';
      if (text === '') return `<c r="${ref}"${sAttr}/>`;
      const space = /^\s|\s$|\n/.test(text) ? ' xml:space="preserve"' : '';
      return `<c r="${ref}"${sAttr} t="inlineStr"><is><t${space}>${escapeXml(text)}</t></is></c>`;
    });
    parts.push(`<row r="${r + 1}">${cells.join('')}</row>`);
  });
  parts.push('</sheetData>');
  if (sheet.autoFilter) parts.push(`<autoFilter ref="A1:${columnLetter(cols - 1)}1"/>`);
  parts.push(
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
  );
  if (sheet.landscapeFitWidth)
    parts.push('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>');
  if (sheet.oddHeader)
    parts.push(`<headerFooter><oddHeader>${escapeXml(sheet.oddHeader)}</oddHeader></headerFooter>`);
  parts.push('</worksheet>');
  return parts.join('');
}

const isoSeconds = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** The workbook's bytes. */
export function writeWorkbook(sheets: SheetSpec[], props: WorkbookProperties): Buffer {
  const styles = new StyleTable();
  const sheetParts = sheets.map(
    (s, i) => [`xl/worksheets/sheet${i + 1}.xml`, sheetXml(s, styles)] as [string, string],
  );
  const contentTypes = `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join(
      '',
    )}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
  const rootRels = `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RNS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${RNS}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  const filters = sheets
    .map((s, i) =>
      s.autoFilter
        ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(`'${s.name.replace(/'/g, "''")}'!$A$1:$${columnLetter(s.rows.reduce((n, r) => Math.max(n, r.length), s.widths.length) - 1)}$1`)}</definedName>`
        : '',
    )
    .join('');
  const workbook = `${HEAD}<workbook xmlns="${NS}" xmlns:r="${RNS}"><bookViews><workbookView/></bookViews><sheets>${sheets
    .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join(
      '',
    )}</sheets>${filters ? `<definedNames>${filters}</definedNames>` : ''}<calcPr calcId="191029"/></workbook>`;
  const wbRels = `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${RNS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join(
      '',
    )}<Relationship Id="rId${sheets.length + 1}" Type="${RNS}/styles" Target="styles.xml"/></Relationships>`;
  const core = `${HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXml(props.title)}</dc:title><dc:subject>${escapeXml(props.subject)}</dc:subject><dc:creator>${escapeXml(props.creator)}</dc:creator><cp:keywords>${escapeXml(props.keywords)}</cp:keywords><cp:lastModifiedBy>${escapeXml(props.lastModifiedBy)}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${isoSeconds(props.created)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${isoSeconds(props.modified)}</dcterms:modified></cp:coreProperties>`;
  const app = `${HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>srq</Application><Company>${escapeXml(props.company)}</Company></Properties>`;
  return buildZip([
    ['[Content_Types].xml', contentTypes],
    ['_rels/.rels', rootRels],
    ['docProps/core.xml', core],
    ['docProps/app.xml', app],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', wbRels],
    ['xl/styles.xml', styles.xml()],
    ...sheetParts,
  ]);
}
