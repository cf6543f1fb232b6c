import fs from 'node:fs';
// NOTE: a devDependency: tests only use it to open the DOCX and XLSX zips.
import JSZip from 'jszip';
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
export async function readDocx(file: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) {
    if (name.endsWith('.xml') || name.endsWith('.rels')) {
      out[name] = await zip.file(name)!.async('string');
    }
  }
  return out;
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
