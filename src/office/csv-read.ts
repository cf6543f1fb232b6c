import { CheckError } from '../errors';
import { csvField } from './csv-field';
import type { CellEdit, QuestionnaireFile, TableCell } from './table';
import { applySplices, type Splice } from './xml';

/**
 * A CSV questionnaire (RFC 4180, as portals and Excel write it: optional UTF-8 byte order mark,
 * CRLF or LF, quoted fields holding commas, quotes and line breaks; semicolons where Excel uses
 * them). Answers are written in place: each edited field's bytes are replaced, every other byte
 * (quoting, line ends, the BOM) stays as it was.
 */

interface Field {
  start: number;
  end: number;
  text: string;
}

interface RecordPos {
  fields: Field[];
  /** Offset of the record's line break (or the end of the text). */
  end: number;
  /** 1-based line the record starts on. */
  line: number;
}

function detectDelimiter(text: string): ',' | ';' | '\t' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const counts: [',' | ';' | '\t', number][] = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  return counts.sort((a, b) => b[1] - a[1])[0][1] > 0 ? counts[0][0] : ',';
}

export function parseCsvRecords(text: string, file: string, delim: string): RecordPos[] {
  const records: RecordPos[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const fields: Field[] = [];
    const startLine = line;
    for (;;) {
      const start = i;
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            throw new CheckError(
              `${file}:${startLine}: a quoted field is never closed (add the closing " or remove the stray one)`,
            );
          }
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          value += text[i++];
        }
        // Lenient: text after the closing quote (Excel never writes it) is kept as typed.
        while (i < text.length && text[i] !== delim && text[i] !== '\n' && text[i] !== '\r')
          value += text[i++];
      } else {
        while (i < text.length && text[i] !== delim && text[i] !== '\n' && text[i] !== '\r')
          value += text[i++];
      }
      fields.push({ start, end: i, text: value });
      if (text[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    const end = i;
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    records.push({ fields, end, line: startLine });
  }
  return records;
}

export function readCsv(buf: Buffer, file: string): QuestionnaireFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new CheckError(
      `${file}: not UTF-8 text; in Excel use "Save As" > "CSV UTF-8 (Comma delimited)"`,
    );
  }
  const delim = detectDelimiter(text.replace(/^\ufeff/, ''));
  const records = parseCsvRecords(text, file, delim);
  const rows = new Map<number, Map<number, TableCell>>();
  records.forEach((r, i) => {
    const cells = new Map<number, TableCell>();
    r.fields.forEach((f, c) => {
      if (f.text.trim()) cells.set(c, { text: f.text });
    });
    if (cells.size) rows.set(i, cells);
  });
  const quote = (v: string) => {
    const f = csvField(v);
    return delim !== ',' && !f.startsWith('"') && f.includes(delim)
      ? `"${f.replace(/"/g, '""')}"`
      : f;
  };
  return {
    format: 'csv',
    tables: [
      {
        name: file.split(/[\\/]/).pop() ?? file,
        rows,
        merges: [],
        choicesAt: () => undefined,
        rowLabel: (row) => `line ${records[row]?.line ?? row + 1}`,
      },
    ],
    write: (edits: CellEdit[]) => {
      const splices: Splice[] = [];
      const byRecord = new Map<number, CellEdit[]>();
      for (const e of edits) byRecord.set(e.row, [...(byRecord.get(e.row) ?? []), e]);
      for (const [row, es] of byRecord) {
        const rec = records[row];
        const extra: string[] = [];
        const width = Math.max(rec.fields.length, ...es.map((e) => e.col + 1));
        for (let c = 0; c < width; c++) {
          const e = es.find((x) => x.col === c);
          if (c < rec.fields.length) {
            if (e)
              splices.push({
                start: rec.fields[c].start,
                end: rec.fields[c].end,
                text: quote(e.text),
              });
          } else extra.push(e ? quote(e.text) : '');
        }
        if (extra.length)
          splices.push({ start: rec.end, end: rec.end, text: delim + extra.join(delim) });
      }
      return Buffer.from(applySplices(text, splices), 'utf8');
    },
  };
}
