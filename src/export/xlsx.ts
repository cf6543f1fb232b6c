import type { Model, ModelTier } from '../model/types';
import { writeWorkbook, type CellStyle, type SheetSpec } from '../office/xlsx-write';
import { RESPONSIBILITY_FILL, RESPONSIBILITY_LABELS } from './labels';
import { columnsFor, tierRows, type Column, type ExportRow } from './rows';

/**
 * The answers as an Excel workbook: a responsibility matrix sheet, then one sheet per tier with
 * one row per principle (the CSV's columns without the tier). Header row bold and frozen with the
 * id and principle columns, text wrapped, widths set, filters on.
 */

const HEADER_FILL = 'E8EDF3';
const HEADER: CellStyle = {
  bold: true,
  fill: HEADER_FILL,
  borderBottom: true,
  wrap: true,
  vertical: 'top',
};
const BODY: CellStyle = { wrap: true, vertical: 'top' };

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

const responsibilityKey = (label: string) =>
  (Object.entries(RESPONSIBILITY_LABELS) as [keyof typeof RESPONSIBILITY_FILL, string][]).find(
    ([, l]) => l === label,
  )?.[0];

function tierSheet(
  name: string,
  { cols, rows, tier }: { cols: Column[]; rows: ExportRow[]; tier: ModelTier },
): SheetSpec {
  const respCol = cols.findIndex((c) => c.key === 'responsibility');
  const body = rows.map((r) => cols.map((c) => r[c.key]));
  return {
    name,
    widths: cols.map((c) => c.width),
    rows: [cols.map((c) => c.header), ...body],
    styles: [
      cols.map(() => HEADER),
      ...body.map((cells) =>
        cells.map((v, i) => {
          const key = i === respCol ? responsibilityKey(v) : undefined;
          return key ? { ...BODY, fill: RESPONSIBILITY_FILL[key] } : BODY;
        }),
      ),
    ],
    freeze: { xSplit: 2, ySplit: 1 },
    autoFilter: true,
    oddHeader: `&L${tier.name}&R&P of &N`,
    landscapeFitWidth: true,
    defaultRowHeight: 15,
  };
}

function matrixSheet(name: string, model: Model): SheetSpec {
  const header = ['ID', 'Principle', ...model.tiers.map((t) => t.name)];
  const rows: string[][] = [header];
  const styles: CellStyle[][] = [header.map(() => HEADER)];
  for (const item of model.items) {
    const answers = model.tiers.map((t) => item.tiers.find((x) => x.tier.id === t.id));
    rows.push([
      item.id,
      item.title,
      ...answers.map((ta) => (ta ? RESPONSIBILITY_LABELS[ta.responsibility] : 'Not answered')),
    ]);
    styles.push([
      BODY,
      BODY,
      ...answers.map((ta) =>
        ta ? { ...BODY, fill: RESPONSIBILITY_FILL[ta.responsibility] } : BODY,
      ),
    ]);
  }
  return {
    name,
    widths: [8, 40, ...model.tiers.map((t) => Math.max(16, Math.min(30, t.name.length + 2)))],
    rows,
    styles,
    freeze: { xSplit: 2, ySplit: 1 },
    autoFilter: true,
  };
}

/** Writes the XLSX file's bytes. */
export function exportXlsx(model: Model): Promise<Buffer> {
  const taken = new Set<string>();
  const sheets = [matrixSheet(sheetName('Responsibility matrix', taken), model)];
  const cols = columnsFor(model, { tierColumn: false });
  for (const tier of model.tiers) {
    sheets.push(
      tierSheet(sheetName(tier.name, taken), { cols, rows: tierRows(model, tier), tier }),
    );
  }
  // NOTE: the issue date, not the clock, so the same answers give the same workbook metadata.
  const created = new Date(`${model.document.issued}T00:00:00Z`);
  return Promise.resolve(
    writeWorkbook(sheets, {
      creator: model.provider.name,
      lastModifiedBy: model.provider.name,
      title: `${model.document.title}: ${model.service.name}`,
      subject: model.framework.title,
      company: model.provider.name,
      keywords: model.tiers.map((t) => t.name).join(', '),
      created,
      modified: created,
    }),
  );
}
