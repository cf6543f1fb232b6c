import fs from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { srq, tempDir, type CliResult } from './cli';

/**
 * Parses CSV per RFC 4180: fields separated by commas, records by CRLF, a quoted field may hold
 * commas, line breaks and doubled quotes. Strict: a stray quote or a bare LF between records fails.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') {
          throw new Error(`CSV: character after a closing quote at ${i}`);
        }
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (!atFieldStart) throw new Error(`CSV: quote inside an unquoted field at ${i}`);
      quoted = true;
      atFieldStart = false;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`CSV: bare line break outside quotes at ${i}`);
    } else {
      field += c;
      atFieldStart = false;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The text files of a DOCX (a zip): document.xml, header1.xml, footer1.xml, numbering.xml … */
export function readDocx(file: string): Promise<Record<string, string>> {
  return Promise.resolve(readZipText(file));
}

/** Every XML part of an Office zip (xlsx, docx) as text, by entry name. */
export function readZipText(file: string): Record<string, string> {
  const entries = unzipSync(fs.readFileSync(file));
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('.xml') || name.endsWith('.rels')) out[name] = strFromU8(data);
  }
  return out;
}

export interface TestCell {
  value: string;
  bold: boolean;
  /** Solid fill as RRGGBB, if any. */
  fill?: string;
  wrap: boolean;
  vertical?: string;
}

/**
 * A test-side reader for SpreadsheetML, written apart from src/office (regular expressions over
 * the parts), so the product's writer is checked by something it does not share code with.
 */
export function readWorkbookForTest(file: string): {
  sheets: string[];
  sheetXml(name: string): string;
  cell(sheet: string, ref: string): TestCell | undefined;
  rowCount(sheet: string): number;
  width(sheet: string, col: number): number | undefined;
  core: string;
} {
  const parts = readZipText(file);
  const unesc = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const wb = parts['xl/workbook.xml'];
  const rels = parts['xl/_rels/workbook.xml.rels'];
  const sheets = [...wb.matchAll(/<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"/g)].map((m) => ({
    name: unesc(m[1]),
    part: `xl/${new RegExp(`Id="${m[2]}"[^>]*Target="([^"]*)"`).exec(rels)![1]}`,
  }));
  const shared = [...(parts['xl/sharedStrings.xml'] ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map(
    (m) => [...m[1].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => unesc(t[1])).join(''),
  );
  const styles = parts['xl/styles.xml'];
  const section = (tag: string) =>
    new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(styles)?.[1] ?? '';
  const fonts = section('fonts').split('</font>');
  const fills = section('fills').split('</fill>');
  const xfs = [...section('cellXfs').matchAll(/<xf [^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map(
    (m) => m[0],
  );
  const xmlOf = (name: string) => parts[sheets.find((s) => s.name === name)!.part];
  return {
    sheets: sheets.map((s) => s.name),
    sheetXml: xmlOf,
    core: parts['docProps/core.xml'],
    rowCount: (name) => (xmlOf(name).match(/<row /g) ?? []).length,
    width: (name, col) => {
      const m = new RegExp(`<col min="${col}" max="${col}" width="([\\d.]+)"`).exec(xmlOf(name));
      return m ? Number(m[1]) : undefined;
    },
    cell: (name, ref) => {
      const m = new RegExp(`<c r="${ref}"([^>]*?)(?:/>|>([\\s\\S]*?)</c>)`).exec(xmlOf(name));
      if (!m) return undefined;
      const type = /t="(\w+)"/.exec(m[1])?.[1];
      const inner = m[2] ?? '';
      const v = /<v>([^<]*)<\/v>/.exec(inner)?.[1];
      const value =
        type === 's'
          ? shared[Number(v)]
          : type === 'inlineStr'
            ? [...inner.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => unesc(t[1])).join('')
            : unesc(v ?? '');
      const xf = xfs[Number(/s="(\d+)"/.exec(m[1])?.[1] ?? 0)] ?? '';
      const font = fonts[Number(/fontId="(\d+)"/.exec(xf)?.[1] ?? 0)] ?? '';
      const fill = fills[Number(/fillId="(\d+)"/.exec(xf)?.[1] ?? 0)] ?? '';
      return {
        value,
        bold: /<b\/>/.test(font),
        fill: /patternType="solid"/.test(fill)
          ? /fgColor rgb="(?:FF)?([0-9A-F]{6})"/.exec(fill)?.[1]
          : undefined,
        wrap: /wrapText="1"/.test(xf),
        vertical: /vertical="(\w+)"/.exec(xf)?.[1],
      };
    },
  };
}

/** The visible text of WordprocessingML: text runs joined, paragraphs on their own lines. */
export function docxText(xml: string): string {
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** Runs `srq export` in a fresh folder; returns the result and the folder. */
export function runExport(
  args: string[],
  options: { cwd?: string } = {},
): CliResult & { dir: string } {
  const dir = options.cwd ?? tempDir('srq-export-');
  return { ...srq(['export', ...args], { cwd: dir }), dir };
}
