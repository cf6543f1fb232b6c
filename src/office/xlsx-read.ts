import path from 'node:path/posix';
import { CheckError } from '../errors';
import { columnLetter, formatRef, inRange, parseRange, parseRef, type CellRange } from './cells';
import type { CellEdit, QuestionnaireFile, Table, TableCell } from './table';
import {
  applySplices,
  attr,
  escapeXml,
  findElement,
  findElements,
  inside,
  setAttr,
  textOf,
  unescapeXml,
  type Splice,
} from './xml';
import { entryText, writeZip, type ZipEntries } from './zip';

/**
 * Reads a buyer's workbook (SpreadsheetML, ECMA-376 part 1 §18) into tables and writes answers
 * back into it in place: only the edited sheets' XML changes, and in it only the edited cells
 * (plus the row's `spans` hint and the sheet's `dimension` when a cell is added past them).
 */

const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface SheetInfo {
  name: string;
  part: string;
  hidden: boolean;
  xml: string;
  table: Table;
  /** Validation list formulas, resolved after every sheet is read. */
  validations: { ranges: CellRange[]; formula: string }[];
}

function relsOf(zip: ZipEntries, part: string): Map<string, { type: string; target: string }> {
  const relsPart = path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`);
  const xml = entryText(zip, relsPart) ?? '';
  const out = new Map<string, { type: string; target: string }>();
  for (const r of findElements(xml, 'Relationship')) {
    const id = attr(r.open, 'Id');
    const target = attr(r.open, 'Target');
    if (!id || !target) continue;
    const resolved = target.startsWith('/')
      ? target.slice(1)
      : path.normalize(path.join(path.dirname(part), target));
    out.set(id, { type: attr(r.open, 'Type') ?? '', target: resolved });
  }
  return out;
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  // NOTE: phonetic runs (<rPh>, furigana) are not part of the cell's text.
  return findElements(xml, 'si').map((si) =>
    textOf(si.inner.replace(/<(\w+:)?rPh[\s>][\s\S]*?<\/(\w+:)?rPh>/g, '')),
  );
}

function cellValue(c: { open: string; inner: string }, strings: string[]): TableCell {
  const type = attr(c.open, 't') ?? 'n';
  const f = findElement(c.inner, 'f');
  const v = findElement(c.inner, 'v');
  const raw = v ? unescapeXml(v.inner) : '';
  let text: string;
  if (type === 's') text = strings[Number(raw)] ?? '';
  else if (type === 'inlineStr') text = textOf(findElement(c.inner, 'is')?.inner ?? '');
  else if (type === 'b') text = raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
  else text = raw;
  return f ? { text, formula: true } : { text };
}

function parseSheet(
  name: string,
  xml: string,
  strings: string[],
): SheetInfo['table'] & { validations: SheetInfo['validations'] } {
  const rows = new Map<number, Map<number, TableCell>>();
  const sd = findElement(xml, 'sheetData');
  if (sd && !sd.selfClosing) {
    let nextRow = 0;
    for (const r of findElements(xml, 'row', inside(sd))) {
      const rn = attr(r.open, 'r');
      const rowIdx = rn ? Number(rn) - 1 : nextRow;
      nextRow = rowIdx + 1;
      if (r.selfClosing) continue;
      const cells = new Map<number, TableCell>();
      let nextCol = 0;
      for (const c of findElements(xml, 'c', inside(r))) {
        const ref = attr(c.open, 'r');
        const col = ref ? (parseRef(ref)?.col ?? nextCol) : nextCol;
        nextCol = col + 1;
        const value = cellValue(c, strings);
        if (value.text !== '' || value.formula) cells.set(col, value);
      }
      if (cells.size) rows.set(rowIdx, cells);
    }
  }
  const merges: CellRange[] = [];
  for (const m of findElements(xml, 'mergeCell')) {
    const r = parseRange(attr(m.open, 'ref') ?? '');
    if (r) merges.push(r);
  }
  const validations: SheetInfo['validations'] = [];
  for (const dv of findElements(xml, 'dataValidation')) {
    if (attr(dv.open, 'type') !== 'list') continue;
    // <dataValidation sqref="C3:C9"><formula1>…</formula1> or, in the x14 extension,
    // <x14:dataValidation><x14:formula1><xm:f>…</xm:f></x14:formula1><xm:sqref>C3:C9</xm:sqref>.
    const sqref =
      attr(dv.open, 'sqref') ?? unescapeXml(findElement(dv.inner, 'sqref')?.inner ?? '');
    const f1 = findElement(dv.inner, 'formula1');
    if (!f1) continue;
    const inner = findElement(f1.inner, 'f');
    const formula = unescapeXml((inner ? inner.inner : f1.inner).trim());
    const ranges = sqref
      .split(/\s+/)
      .map((s) => parseRange(s))
      .filter((x): x is CellRange => !!x);
    validations.push({ ranges, formula });
  }
  return {
    name,
    rows,
    merges,
    validations,
    choicesAt: () => undefined,
    rowLabel: (row) => `row ${row + 1}`,
  };
}

/** Splits an Excel list literal: "Yes,No,""Maybe""" (the formula text without its outer quotes). */
function listLiteral(formula: string): string[] | undefined {
  const m = /^"([\s\S]*)"$/.exec(formula);
  if (!m) return undefined;
  return m[1]
    .replace(/""/g, '"')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function resolveChoices(
  formula: string,
  own: SheetInfo,
  { sheets, names }: { sheets: SheetInfo[]; names: Map<string, string> },
): string[] | undefined {
  const literal = listLiteral(formula);
  if (literal) return literal;
  let ref = formula.replace(/^=/, '');
  const named = names.get(ref.toLowerCase());
  if (named) ref = named.replace(/^=/, '');
  const m = /^(?:'((?:[^']|'')+)'|([^!'"]+))!(.+)$/.exec(ref);
  const sheet = m ? sheets.find((s) => s.name === (m[1]?.replace(/''/g, "'") ?? m[2])) : own;
  const range = parseRange(m ? m[3] : ref);
  if (!sheet || !range) return undefined;
  const out: string[] = [];
  for (const [r, cells] of [...sheet.table.rows].sort((a, b) => a[0] - b[0])) {
    if (r < range.from.row || r > range.to.row) continue;
    for (const [c, cell] of [...cells].sort((a, b) => a[0] - b[0])) {
      if (c >= range.from.col && c <= range.to.col && cell.text.trim()) out.push(cell.text.trim());
    }
  }
  return out.length ? out : undefined;
}

/** Opens a workbook already unzipped. */
export function readXlsx(zip: ZipEntries, file: string): QuestionnaireFile {
  const rootRels = relsOf(zip, '');
  const officeDoc = [...rootRels.values()].find((r) => r.type === `${REL_TYPE}/officeDocument`);
  const wbPart = officeDoc?.target ?? 'xl/workbook.xml';
  const wbXml = entryText(zip, wbPart);
  if (!wbXml || !/<(\w+:)?workbook[\s>]/.test(wbXml)) {
    throw new CheckError(
      `${file}: not an Excel workbook (no ${wbPart} inside); save it from Excel as "Excel Workbook (.xlsx)"`,
    );
  }
  const rels = relsOf(zip, wbPart);
  const ssRel = [...rels.values()].find((r) => r.type === `${REL_TYPE}/sharedStrings`);
  const strings = sharedStrings(ssRel ? entryText(zip, ssRel.target) : undefined);
  const names = new Map<string, string>();
  for (const dn of findElements(wbXml, 'definedName')) {
    const n = attr(dn.open, 'name');
    if (n && attr(dn.open, 'localSheetId') === undefined)
      names.set(n.toLowerCase(), unescapeXml(dn.inner));
  }
  const sheets: SheetInfo[] = [];
  for (const s of findElements(wbXml, 'sheet')) {
    const name = attr(s.open, 'name') ?? `Sheet${sheets.length + 1}`;
    const rid = attr(s.open, 'r:id') ?? attr(s.open, 'relationships:id');
    const rel = rid ? rels.get(rid) : undefined;
    if (!rel || rel.type !== `${REL_TYPE}/worksheet`) continue; // chart sheets, dialog sheets
    const xml = entryText(zip, rel.target);
    if (xml === undefined) continue;
    const parsed = parseSheet(name, xml, strings);
    const hidden = (attr(s.open, 'state') ?? 'visible') !== 'visible';
    const { validations, ...table } = parsed;
    sheets.push({ name, part: rel.target, hidden, xml, table: { ...table, hidden }, validations });
  }
  for (const s of sheets) {
    const resolved = s.validations.map((v) => ({
      ranges: v.ranges,
      choices: resolveChoices(v.formula, s, { sheets, names }),
    }));
    s.table.choicesAt = (row, col) =>
      resolved.find((v) => v.choices && v.ranges.some((r) => inRange(r, { row, col })))?.choices;
  }
  return {
    format: 'xlsx',
    tables: sheets.map((s) => s.table),
    write: (edits) => {
      const changed = new Map<string, string>();
      sheets.forEach((s, i) => {
        const mine = edits.filter((e) => e.table === i);
        if (mine.length) changed.set(s.part, editSheetXml(s.xml, mine));
      });
      return writeZip(zip, changed);
    },
  };
}

function inlineCell(
  prefix: string,
  { open, ref, text }: { open?: string | undefined; ref: string; text: string },
): string {
  // Keep the cell's own style (the buyer's fill, font, wrap); drop its old type and value.
  const style = open ? attr(open, 's') : undefined;
  const s = style ? ` s="${escapeXml(style)}"` : '';
  const t = escapeXml(text);
  const space = /^\s|\s$|\n/.test(text) ? ' xml:space="preserve"' : '';
  return `<${prefix}c r="${ref}"${s} t="inlineStr"><${prefix}is><${prefix}t${space}>${t}</${prefix}t></${prefix}is></${prefix}c>`;
}

/**
 * Sets the given cells of one sheet to inline strings. NOTE: inline strings, not new shared
 * strings, so sharedStrings.xml (which every sheet uses) is left as it was; Excel reads both.
 */
export function editSheetXml(xml: string, edits: CellEdit[]): string {
  const sd = findElement(xml, 'sheetData');
  if (!sd) throw new Error('sheet without sheetData');
  const prefix = /^<(\w+:)?/.exec(sd.open)?.[1] ?? '';
  const splices: Splice[] = [];
  const rows = sd.selfClosing ? [] : findElements(xml, 'row', inside(sd));
  const byRow = new Map<number, CellEdit[]>();
  for (const e of edits) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
  let nextRow = 0;
  const rowInfo = rows.map((r) => {
    const rn = attr(r.open, 'r');
    const idx = rn ? Number(rn) - 1 : nextRow;
    nextRow = idx + 1;
    return { el: r, idx };
  });
  const newRows: { idx: number; xml: string }[] = [];
  let maxRow = -1;
  let maxCol = -1;
  for (const [rowIdx, rowEdits] of byRow) {
    maxRow = Math.max(maxRow, rowIdx);
    rowEdits.sort((a, b) => a.col - b.col);
    const row = rowInfo.find((r) => r.idx === rowIdx);
    if (!row) {
      const cells = rowEdits
        .map((e) => inlineCell(prefix, { open: undefined, ref: formatRef(e), text: e.text }))
        .join('');
      newRows.push({ idx: rowIdx, xml: `<${prefix}row r="${rowIdx + 1}">${cells}</${prefix}row>` });
      for (const e of rowEdits) maxCol = Math.max(maxCol, e.col);
      continue;
    }
    const { el } = row;
    const cells = el.selfClosing ? [] : findElements(xml, 'c', inside(el));
    let nextCol = 0;
    const cellInfo = cells.map((c) => {
      const ref = attr(c.open, 'r');
      const col = ref ? (parseRef(ref)?.col ?? nextCol) : nextCol;
      nextCol = col + 1;
      return { el: c, col };
    });
    const inserts: string[] = [];
    let grew = false;
    for (const e of rowEdits) {
      maxCol = Math.max(maxCol, e.col);
      const ref = formatRef(e);
      const existing = cellInfo.find((c) => c.col === e.col);
      if (existing) {
        splices.push({
          start: existing.el.start,
          end: existing.el.end,
          text: inlineCell(prefix, { open: existing.el.open, ref, text: e.text }),
        });
        continue;
      }
      grew = true;
      const after = cellInfo.find((c) => c.col > e.col);
      const cellXml = inlineCell(prefix, { open: undefined, ref, text: e.text });
      if (after) splices.push({ start: after.el.start, end: after.el.start, text: cellXml });
      else inserts.push(cellXml);
    }
    if (el.selfClosing) {
      const open = setAttr(el.open.replace(/\s*\/>$/, '>'), 'spans', undefined);
      splices.push({
        start: el.start,
        end: el.end,
        text: `${open}${inserts.join('')}</${prefix}row>`,
      });
    } else {
      if (inserts.length) {
        const close = el.end - `</${prefix}row>`.length;
        splices.push({ start: close, end: close, text: inserts.join('') });
      }
      // NOTE: `spans` is only an optimisation hint (§18.3.1.73); drop it rather than let it lie.
      if (grew && attr(el.open, 'spans') !== undefined) {
        splices.push({
          start: el.start,
          end: el.start + el.open.length,
          text: setAttr(el.open, 'spans', undefined),
        });
      }
    }
  }
  newRows.sort((a, b) => a.idx - b.idx);
  if (sd.selfClosing && newRows.length) {
    const all = newRows.map((r) => r.xml).join('');
    splices.push({
      start: sd.start,
      end: sd.end,
      text: `${sd.open.replace(/\s*\/>$/, '>')}${all}</${prefix}sheetData>`,
    });
  }
  for (const nr of sd.selfClosing ? [] : newRows) {
    const after = rowInfo.find((r) => r.idx > nr.idx);
    if (after) splices.push({ start: after.el.start, end: after.el.start, text: nr.xml });
    else {
      const close = sd.end - `</${prefix}sheetData>`.length;
      splices.push({ start: close, end: close, text: nr.xml });
    }
  }
  // Several new rows after the last one, or into an empty sheetData: keep them in order.
  const merged = mergeSameOffset(splices);
  let out = applySplices(xml, merged);
  const dim = findElement(out, 'dimension');
  const range = dim ? parseRange(attr(dim.open, 'ref') ?? '') : undefined;
  if (dim && range && (maxRow > range.to.row || maxCol > range.to.col)) {
    const ref = `${columnLetter(range.from.col)}${range.from.row + 1}:${columnLetter(Math.max(maxCol, range.to.col))}${Math.max(maxRow, range.to.row) + 1}`;
    out = out.slice(0, dim.start) + setAttr(dim.open, 'ref', ref) + out.slice(dim.end);
  }
  return out;
}

/** Insertions at one offset become one, in the order they were added. */
function mergeSameOffset(splices: Splice[]): Splice[] {
  const out: Splice[] = [];
  for (const s of splices) {
    const same =
      s.start === s.end ? out.find((o) => o.start === s.start && o.end === s.end) : undefined;
    if (same) same.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
