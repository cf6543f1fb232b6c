import { CheckError } from '../errors';
import type { CellRange } from './cells';
import type { CellEdit, QuestionnaireFile, Table, TableCell } from './table';
import {
  applySplices,
  attr,
  escapeXml,
  findElement,
  findElements,
  inside,
  unescapeXml,
  type Splice,
  type XmlElement,
} from './xml';
import { entryText, writeZip, type ZipEntries } from './zip';

/**
 * Reads the tables of a Word document (WordprocessingML, ECMA-376 part 1 §17.4) and writes
 * answers into their cells in place: only word/document.xml changes, and in it only the inner
 * paragraphs of the edited cells. Columns are grid columns: a cell spanning two columns
 * (`gridSpan`) is one merged area, a cell continuing a vertical merge (`vMerge`) is part of the
 * cell above.
 */

const DOCUMENT = 'word/document.xml';

interface CellPos {
  el: XmlElement;
  row: number;
  col: number;
}

function paragraphText(p: string): string {
  let out = '';
  const re = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|br|cr)\b[^>]*\/>/g;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (m[1] !== undefined) out += unescapeXml(m[1]);
    else out += m[2] === 'tab' ? '\t' : '\n';
  }
  return out;
}

function cellTextOf(xml: string, tc: XmlElement): string {
  return findElements(xml, 'w:p', inside(tc))
    .map((p) => paragraphText(p.inner))
    .join('\n')
    .trim();
}

export function readDocx(zip: ZipEntries, file: string): QuestionnaireFile {
  const xml = entryText(zip, DOCUMENT);
  if (!xml || !/<w:document[\s>]/.test(xml)) {
    throw new CheckError(
      `${file}: not a Word document (no ${DOCUMENT} inside); save it from Word as "Word Document (.docx)"`,
    );
  }
  const tables: Table[] = [];
  const positions: CellPos[][] = [];
  findElements(xml, 'w:tbl').forEach((tbl, t) => {
    const rows = new Map<number, Map<number, TableCell>>();
    const merges: CellRange[] = [];
    const cellsHere: CellPos[] = [];
    /** Open vertical merges by grid column: the range to extend. */
    const vOpen = new Map<number, CellRange>();
    findElements(xml, 'w:tr', inside(tbl)).forEach((tr, r) => {
      const trPr = findElement(tr.inner, 'w:trPr');
      const before = trPr
        ? Number(attr(findElement(trPr.inner, 'w:gridBefore')?.open ?? '', 'w:val') ?? 0)
        : 0;
      let col = before;
      const cells = new Map<number, TableCell>();
      for (const tc of findElements(xml, 'w:tc', inside(tr))) {
        const tcPr = findElement(tc.inner, 'w:tcPr')?.inner ?? '';
        const span = Math.max(
          1,
          Number(attr(findElement(tcPr, 'w:gridSpan')?.open ?? '', 'w:val') ?? 1),
        );
        const vm = findElement(tcPr, 'w:vMerge');
        const vmVal = vm ? (attr(vm.open, 'w:val') ?? 'continue') : undefined;
        if (vmVal === 'continue' && vOpen.has(col)) {
          vOpen.get(col)!.to.row = r;
        } else {
          const text = cellTextOf(xml, tc);
          if (text) cells.set(col, { text });
          cellsHere.push({ el: tc, row: r, col });
          const range: CellRange = { from: { row: r, col }, to: { row: r, col: col + span - 1 } };
          if (span > 1 || vmVal === 'restart') merges.push(range);
          if (vmVal === 'restart') vOpen.set(col, range);
          else vOpen.delete(col);
        }
        col += span;
      }
      if (cells.size) rows.set(r, cells);
    });
    tables.push({
      name: `Table ${t + 1}`,
      rows,
      merges,
      choicesAt: () => undefined,
      rowLabel: (row) => `row ${row + 1}`,
    });
    positions.push(cellsHere);
  });
  return {
    format: 'docx',
    tables,
    write: (edits: CellEdit[]) => {
      const splices: Splice[] = [];
      for (const e of edits) {
        const pos = positions[e.table]?.find((p) => p.row === e.row && p.col === e.col);
        if (!pos)
          throw new Error(
            `no Word table cell at table ${e.table + 1} row ${e.row + 1} column ${e.col + 1}`,
          );
        splices.push(cellContentSplice(xml, pos.el, e.text));
      }
      return writeZip(zip, new Map([[DOCUMENT, applySplices(xml, splices)]]));
    },
  };
}

/**
 * Replaces a cell's paragraphs with the text, one paragraph per line, in the first paragraph's
 * paragraph and run properties (so the buyer's font and size carry over); the cell's own
 * properties (`tcPr`: width, shading, borders, merges) are kept.
 */
function cellContentSplice(xml: string, tc: XmlElement, text: string): Splice {
  const tcPr = findElement(xml, 'w:tcPr', inside(tc));
  const start = tcPr ? tcPr.end : tc.innerStart;
  const end = tc.innerStart + tc.inner.length;
  const firstP = findElement(xml, 'w:p', { from: start, to: end });
  const pPr = firstP ? findElement(firstP.inner, 'w:pPr') : undefined;
  const runPr = firstP
    ? findElement(firstP.inner.replace(/<w:pPr[\s>][\s\S]*?<\/w:pPr>/, ''), 'w:rPr')
    : undefined;
  const markPr = pPr ? findElement(pPr.inner, 'w:rPr') : undefined;
  const rPr = runPr ?? markPr;
  const pPrXml = pPr ? xml.slice(firstP!.innerStart + pPr.start, firstP!.innerStart + pPr.end) : '';
  const rPrXml = rPr
    ? runPr
      ? firstP!.inner.replace(/<w:pPr[\s>][\s\S]*?<\/w:pPr>/, '').slice(rPr.start, rPr.end)
      : pPr!.inner.slice(rPr.start, rPr.end)
    : '';
  const paras = text
    .split('\n')
    .map(
      (line) =>
        `<w:p>${pPrXml}<w:r>${rPrXml}<w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r></w:p>`,
    );
  return { start, end, text: paras.join('') };
}
