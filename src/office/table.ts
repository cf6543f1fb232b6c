import type { CellRange } from './cells';

/**
 * A questionnaire file as srq reads it, whatever its format: tables (sheets, Word tables, the one
 * table of a CSV) of text cells, plus what limits writing (merged cells, dropdowns). Rows and
 * columns are 0-based; `rowLabel` is how the user finds the row in their program.
 */

export interface TableCell {
  text: string;
  /** The cell holds a formula (its text is the formula's saved result, if any). */
  formula?: boolean;
}

export interface Table {
  /** Sheet name, "Table 2" for a Word table, the file name for a CSV. */
  name: string;
  /** Cells by row, then by column. */
  rows: Map<number, Map<number, TableCell>>;
  /** Merged areas; only the top-left cell of each holds text. */
  merges: CellRange[];
  /** The allowed values of a dropdown (data validation list) at this cell. */
  choicesAt(row: number, col: number): string[] | undefined;
  /** "row 7" as the user's program shows it. */
  rowLabel(row: number): string;
  /** The sheet is hidden in the workbook. */
  hidden?: boolean;
}

export interface CellEdit {
  /** Index into `tables`. */
  table: number;
  row: number;
  col: number;
  text: string;
}

export interface QuestionnaireFile {
  format: 'xlsx' | 'docx' | 'csv';
  tables: Table[];
  /** The file with these cells set; every other part as it was. */
  write(edits: CellEdit[]): Buffer;
}

export function cellText(t: Table, row: number, col: number): string {
  return t.rows.get(row)?.get(col)?.text ?? '';
}
