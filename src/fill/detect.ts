import { CheckError } from '../errors';
import { columnIndex, columnLetter, inRange } from '../office/cells';
import { cellText, type QuestionnaireFile, type Table } from '../office/index';

/**
 * Finds, on each sheet (or Word table), the header row and the question, answer, dropdown
 * (yes/no), comment and reference columns, from header wording such as "Question",
 * "Requirement", "Supplier response", "Comments", "Ref". Title rows above the header and
 * section rows between questions are normal and skipped. A mapping file gives the same
 * information by hand (and is what this module writes back for next time).
 */

export interface SheetMapping {
  sheet: string;
  /** 1-based row of the header (as Excel shows it; the record number in a CSV). */
  headerRow: number;
  /** Column letters. */
  question: string;
  answer?: string;
  choice?: string;
  comment?: string;
  reference?: string;
  maxWords?: number;
  maxChars?: number;
  /**
   * Rows (1-based, as `headerRow`) that are questions although they read as section headings
   * (short, no question mark, no reference, nothing else in the row): "Patching cadence".
   */
  alsoQuestions?: number[];
}

export interface Question {
  table: number;
  sheet: string;
  /** 0-based row. */
  row: number;
  /** "row 7" / "line 9", as the user's program shows it. */
  rowLabel: string;
  text: string;
  reference?: string;
  mapping: SheetMapping;
}

type Role = 'reference' | 'choice' | 'answer' | 'comment' | 'guidance' | 'section' | 'question';

/** Header wording → column role, tried in this order (the first that fits wins). */
const ROLE_PATTERNS: [Role, RegExp][] = [
  [
    'reference',
    /^(ref(erence)?|id|no|nr|num(ber)?|#|item|q ?(no|#|id|ref)|question (id|no|number|ref(erence)?)|control (id|ref(erence)?)|req(uirement)? ?(id|no|ref(erence)?)|clause)\.?$/,
  ],
  [
    'choice',
    /\b(yes ?\/ ?no|y ?\/ ?n|compliant|compliance( status| level)?|comply|complies|met ?\/ ?not met|status)\b/,
  ],
  [
    'answer',
    /\b(response|responses|answer|answers|reply|supplier (statement|evidence)|(supplier|vendor|bidder|tenderer)'?s? (comments?|input)|your (response|answer))\b/,
  ],
  [
    'comment',
    /\b(comments?|notes?|remarks?|additional (information|details?|comments?)|explanation|justification|evidence|further (information|details))\b/,
  ],
  [
    'guidance',
    /\b(guidance|help|hints?|instructions?|examples?|scor(e|ing)|weight(ing)?|rationale|purpose|buyer (notes?|use))\b/,
  ],
  ['section', /^(section|category|domain|area|theme|topic|group|heading)s?$/],
  [
    'question',
    /\b(questions?|requirements?|controls?|criteria|criterion|description|query|queries|statement|topic|specification|security (measure|control)s?)\b/,
  ],
];

function headerKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[*:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function headerRole(text: string): Role | undefined {
  const key = headerKey(text);
  if (!key || key.length > 80) return undefined;
  return ROLE_PATTERNS.find(([, re]) => re.test(key))?.[0];
}

/** "(max 500 words)", "Word limit: 250", "up to 2,000 characters". */
export function headerLimits(text: string): { maxWords?: number; maxChars?: number } {
  const t = text.toLowerCase().replace(/(\d),(\d{3})/g, '$1$2');
  const out: { maxWords?: number; maxChars?: number } = {};
  const m =
    /\b(?:max(?:imum)?\.?|up to|limit(?:ed)? (?:of|to)?|no more than|not (?:to )?exceed(?:ing)?)\s*(\d+)\s*(words?|char(?:acter)?s?)\b/.exec(
      t,
    ) ?? /\b(\d+)\s*(words?|char(?:acter)?s?)\s*(?:max(?:imum)?|limit)\b/.exec(t);
  const n = /(word|char(?:acter)?) limit:?\s*(\d+)/.exec(t);
  const count = m ? Number(m[1]) : n ? Number(n[2]) : undefined;
  const unit = m ? m[2] : n ? n[1] : undefined;
  if (count && unit) {
    if (unit.startsWith('word')) out.maxWords = count;
    else out.maxChars = count;
  }
  return out;
}

/** The text shown at a cell: its own, or that of the merged area covering it. */
function shownText(t: Table, row: number, col: number): string {
  const own = cellText(t, row, col);
  if (own) return own;
  const m = t.merges.find((r) => inRange(r, { row, col }));
  return m ? cellText(t, m.from.row, m.from.col) : '';
}

const HEADER_SCAN_ROWS = 40;

/** Sorted row numbers of a table. */
function rowNumbers(t: Table): number[] {
  return [...t.rows.keys()].sort((a, b) => a - b);
}

function maxCol(t: Table): number {
  let n = -1;
  for (const cells of t.rows.values()) for (const c of cells.keys()) n = Math.max(n, c);
  for (const m of t.merges) n = Math.max(n, m.to.col);
  return n;
}

/** The sheet's header and columns, or undefined when no row reads like a questionnaire header. */
export function detectSheet(t: Table): SheetMapping | undefined {
  const width = maxCol(t);
  for (const r of rowNumbers(t).slice(0, HEADER_SCAN_ROWS)) {
    const roles = new Map<Role, number>();
    const labels: string[] = [];
    for (let c = 0; c <= width; c++) {
      let label = shownText(t, r, c);
      // A two-level header: "Supplier response" merged over "Yes/No" and "Comments".
      const above = t.merges.find(
        (m) =>
          m.from.row === r - 1 &&
          m.to.row === r - 1 &&
          m.from.col <= c &&
          m.to.col >= c &&
          m.to.col > m.from.col,
      );
      if (above && above.to.col - above.from.col < width)
        label = `${cellText(t, above.from.row, above.from.col)} ${label}`.trim();
      labels[c] = label;
      const role = headerRole(label);
      // NOTE: a cell merged across several columns is a title, not a column header.
      const merged = t.merges.find(
        (m) => m.from.row <= r && m.to.row >= r && m.from.col <= c && m.to.col >= c,
      );
      if (merged && merged.to.col > merged.from.col && merged.from.row === r) continue;
      if (role && !roles.has(role)) roles.set(role, c);
    }
    const question = roles.get('question');
    const answer = roles.get('answer') ?? (roles.has('choice') ? undefined : roles.get('comment'));
    const choice = roles.get('choice');
    if (question === undefined || (answer === undefined && choice === undefined)) continue;
    const comment = roles.get('comment') !== answer ? roles.get('comment') : undefined;
    const limits = {
      ...headerLimits(labels[question] ?? ''),
      ...(answer !== undefined ? headerLimits(labels[answer] ?? '') : {}),
    };
    const letter = (c: number | undefined) => (c === undefined ? undefined : columnLetter(c));
    const mapping: SheetMapping = {
      sheet: t.name,
      headerRow: r + 1,
      question: columnLetter(question),
    };
    if (answer !== undefined) mapping.answer = letter(answer);
    if (choice !== undefined) mapping.choice = letter(choice);
    if (comment !== undefined) mapping.comment = letter(comment);
    if (roles.has('reference')) mapping.reference = letter(roles.get('reference'));
    if (limits.maxWords) mapping.maxWords = limits.maxWords;
    if (limits.maxChars) mapping.maxChars = limits.maxChars;
    return mapping;
  }
  return undefined;
}

/** Most question rows srq fill takes from one sheet: far above any real questionnaire. */
export const MAX_QUESTIONS = 5000;

function col(letter: string | undefined): number | undefined {
  return letter === undefined ? undefined : columnIndex(letter);
}

/**
 * The question rows under a sheet's header: a non-empty question cell, not a section heading
 * (a lone short line with no reference, or a cell merged across the answer column). A formula
 * with no saved value, or an answer cell merged with another, is a CheckError naming the cell.
 */
export function questionRows(
  file: QuestionnaireFile,
  tableIndex: number,
  {
    mapping: m,
    shown,
    headings,
  }: {
    mapping: SheetMapping;
    shown: string;
    /** Receives the rows read as section headings by their text (listed in the report). */
    headings?: Question[];
  },
): Question[] {
  const t = file.tables[tableIndex];
  const qc = col(m.question)!;
  const writeCols = [m.answer, m.choice, m.comment]
    .map(col)
    .filter((c): c is number => c !== undefined);
  const rc = col(m.reference);
  const out: Question[] = [];
  const rows = rowNumbers(t).filter((r) => r >= m.headerRow);
  if (rows.length > MAX_QUESTIONS) {
    throw new CheckError(
      `${shown}: sheet '${t.name}' has ${rows.length.toLocaleString('en-GB')} rows under the header, over srq fill's limit of ${MAX_QUESTIONS.toLocaleString('en-GB')}; split the questionnaire into smaller files, or delete the rows that are not questions`,
    );
  }
  const headerLine = t.rows.get(m.headerRow - 1)?.get(qc)?.text;
  for (const r of rows) {
    const cells = t.rows.get(r)!;
    const q = cells.get(qc);
    if (!q || (!q.text.trim() && !q.formula)) continue;
    const where = `${shown}: sheet '${t.name}' ${t.rowLabel(r)}`;
    if (q.formula && !q.text.trim()) {
      throw new CheckError(
        `${where}: the question cell ${columnLetter(qc)}${r + 1} is a formula with no saved value; open the file in Excel and save it (so the value is stored), or paste the questions as values`,
      );
    }
    const text = q.text.trim();
    if (text === headerLine?.trim()) continue; // the header repeated (a printed form's page break)
    const spanning = t.merges.find(
      (mg) =>
        mg.from.row <= r &&
        mg.to.row >= r &&
        mg.from.col <= qc &&
        mg.to.col >= qc &&
        mg.to.col > mg.from.col,
    );
    if (spanning && writeCols.some((c) => c >= spanning.from.col && c <= spanning.to.col)) continue; // a section heading across the table
    const reference = rc !== undefined ? cells.get(rc)?.text.trim() || undefined : undefined;
    const others = [...cells.entries()].filter(([c, v]) => c !== qc && v.text.trim()).length;
    const looksLikeHeading =
      !/[?]/.test(text) && text.split(/\s+/).length <= 6 && !reference && others === 0;
    if (
      looksLikeHeading &&
      !m.alsoQuestions?.includes(r + 1) &&
      (rc !== undefined ||
        !/^(do|does|is|are|can|how|what|which|who|where|when|please|describe|provide|explain|confirm|list|state)\b/i.test(
          text,
        ))
    ) {
      // NOTE: a terse question ("Patching cadence") reads the same; it is listed, never dropped unseen.
      headings?.push({
        table: tableIndex,
        sheet: t.name,
        row: r,
        rowLabel: t.rowLabel(r),
        text,
        mapping: m,
      });
      continue;
    }
    for (const c of writeCols) {
      const mg = t.merges.find(
        (x) => inRange(x, { row: r, col: c }) && (x.to.row > x.from.row || x.to.col > x.from.col),
      );
      if (mg && !(mg.from.row === r && mg.to.row === r && mg.from.col === c)) {
        throw new CheckError(
          `${where}: the answer cell ${columnLetter(c)}${r + 1} is merged with other cells (${columnLetter(mg.from.col)}${mg.from.row + 1}:${columnLetter(mg.to.col)}${mg.to.row + 1}); unmerge the answer cells (Home > Merge & Center > Unmerge Cells) and run srq fill again`,
        );
      }
    }
    out.push({
      table: tableIndex,
      sheet: t.name,
      row: r,
      rowLabel: t.rowLabel(r),
      text,
      ...(reference ? { reference } : {}),
      mapping: m,
    });
  }
  return out;
}
