import ExcelJS from 'exceljs';
import type { Model, ModelTier } from '../model/types';
import { RESPONSIBILITY_FILL, RESPONSIBILITY_LABELS } from './labels';
import { columnsFor, tierRows, type Column, type ExportRow } from './rows';

/**
 * The answers as an Excel workbook: a responsibility matrix sheet, then one sheet per tier with
 * one row per principle (the CSV's columns without the tier). Header row bold and frozen with the
 * id and principle columns, text wrapped, widths set, filters on.
 */

const HEADER_FILL = 'FFE8EDF3';

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique regardless of case. */
export function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[:\\/?*[\]]/g, '-')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || 'Sheet';
  let out = base;
  for (let n = 2; taken.has(out.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    out = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  taken.add(out.toLowerCase());
  return out;
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'top', wrapText: true };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    c.border = { bottom: { style: 'thin' } };
  });
}

function addTierSheet(
  wb: ExcelJS.Workbook,
  name: string,
  cols: Column[],
  rows: ExportRow[],
  tier: ModelTier,
): void {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 1, activeCell: 'C2' }],
    properties: { defaultRowHeight: 15 },
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const r of rows) ws.addRow(cols.map((c) => r[c.key]));
  styleHeader(ws.getRow(1));
  ws.eachRow((row, n) => {
    if (n === 1) return;
    row.alignment = { vertical: 'top', wrapText: true };
    const resp = row.getCell(cols.findIndex((c) => c.key === 'responsibility') + 1);
    const key = Object.entries(RESPONSIBILITY_LABELS).find(([, l]) => l === resp.value)?.[0];
    if (key) {
      resp.fill = {
        type: 'pattern',
        pattern: 'solid',
        fgColor: { argb: `FF${RESPONSIBILITY_FILL[key as keyof typeof RESPONSIBILITY_FILL]}` },
      };
    }
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  ws.headerFooter.oddHeader = `&L${tier.name}&R&P of &N`;
}

function addMatrixSheet(wb: ExcelJS.Workbook, name: string, model: Model): void {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 1, activeCell: 'C2' }],
  });
  ws.columns = [
    { header: 'ID', key: 'id', width: 8 },
    { header: 'Principle', key: 'principle', width: 40 },
    ...model.tiers.map((t) => ({
      header: t.name,
      key: `tier:${t.id}`,
      width: Math.max(16, Math.min(30, t.name.length + 2)),
    })),
  ];
  for (const item of model.items) {
    const row = ws.addRow([
      item.id,
      item.title,
      ...model.tiers.map((t) => {
        const ta = item.tiers.find((x) => x.tier.id === t.id);
        return ta ? RESPONSIBILITY_LABELS[ta.responsibility] : 'Not answered';
      }),
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
    model.tiers.forEach((t, i) => {
      const ta = item.tiers.find((x) => x.tier.id === t.id);
      if (!ta) return;
      row.getCell(3 + i).fill = {
        type: 'pattern',
        pattern: 'solid',
        fgColor: { argb: `FF${RESPONSIBILITY_FILL[ta.responsibility]}` },
      };
    });
  }
  styleHeader(ws.getRow(1));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 2 + model.tiers.length } };
}

/** Writes the XLSX file's bytes. */
export async function exportXlsx(model: Model): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = model.provider.name;
  wb.lastModifiedBy = model.provider.name;
  wb.title = `${model.document.title}: ${model.service.name}`;
  wb.subject = model.framework.title;
  wb.company = model.provider.name;
  wb.keywords = model.tiers.map((t) => t.name).join(', ');
  // NOTE: the issue date, not the clock, so the same answers give the same workbook metadata.
  wb.created = new Date(`${model.document.issued}T00:00:00Z`);
  wb.modified = wb.created;
  const taken = new Set<string>();
  addMatrixSheet(wb, sheetName('Responsibility matrix', taken), model);
  const cols = columnsFor(model, { tierColumn: false });
  for (const tier of model.tiers) {
    addTierSheet(wb, sheetName(tier.name, taken), cols, tierRows(model, tier), tier);
  }
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf);
}
