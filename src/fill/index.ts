import { bankFor } from './bank';
import { confidenceFor } from './confidence';
import type { ParsedAnswers } from '../answers/parse';
import { CheckError } from '../errors';
import { columnIndex } from '../office/cells';
import { cellText, type CellEdit, type QuestionnaireFile } from '../office/index';
import type { Model, ModelTier } from '../model/types';
import { composeAnswer, pickChoice, type Composed } from './compose';
import { detectSheet, questionRows, type Question, type SheetMapping } from './detect';
import type { FillMapping } from './mapping';
import {
  AnswerIndex,
  DEFAULT_MARGIN,
  DEFAULT_THRESHOLD,
  matchQuestion,
  type Answerable,
  type MatchHow,
} from './match';
import { buildTargets, type Targets } from './targets';
import { normaliseQuestion, primeTerms } from './text';

/**
 * `srq fill`: answer a buyer's questionnaire in the buyer's own file. Two stages: `planFill`
 * reads the questions and decides, for each, what answers it (nothing is written; `--review`
 * changes decisions here), then `applyFill` turns the plan into cell edits, the file's new
 * bytes, the report rows and the mapping for next time.
 */

/** A similarity match below this is written but marked for review. */
export const REVIEW_BELOW = 0.3;

export interface Decision {
  target?: Answerable;
  how?: MatchHow | 'review';
  score?: number;
  /** Why nothing was chosen, or what to check. */
  reason?: string;
  /** A runner-up or a below-threshold best guess, offered in --review. */
  suggestion?: Answerable;
  /** Marked "leave blank" (remembered, or in --review). */
  declined?: boolean;
}

export interface PlannedQuestion extends Question {
  decision: Decision;
}

export interface FillPlan {
  file: QuestionnaireFile;
  index: AnswerIndex;
  targets: Targets;
  mapping: FillMapping;
  questions: PlannedQuestion[];
  /** Rows read as section headings by their text alone: listed in the report, not answered. */
  headings: Question[];
  /** Sheets with no questionnaire header (instructions, lists). */
  skipped: string[];
}

export interface PlanOptions {
  file: QuestionnaireFile;
  /** The questionnaire as shown in messages. */
  shown: string;
  parsed: ParsedAnswers;
  model: Model;
  /** A mapping given with --map. */
  mapping?: FillMapping;
  threshold?: number;
  /** The confidence a principle's answer needs (default: the shipped model's threshold). */
  confidence?: number;
  margin?: number;
  /** The buyer's namespace for bare references, e.g. buyer-acme. */
  namespace?: string;
  maxWords?: number;
  maxChars?: number;
}

function sheetMappings(o: PlanOptions): {
  sheets: { table: number; mapping: SheetMapping }[];
  skipped: string[];
} {
  const { file } = o;
  const sheets: { table: number; mapping: SheetMapping }[] = [];
  const skipped: string[] = [];
  if (o.mapping) {
    for (const m of o.mapping.sheets) {
      const table = file.tables.findIndex((t) => t.name === m.sheet);
      if (table < 0) {
        const names = file.tables.map((t) => `'${t.name}'`).join(', ');
        throw new CheckError(
          `${o.shown}: the mapping names sheet '${m.sheet}', which this file does not have (it has ${names}); correct sheet: in the mapping file, or run without --map`,
        );
      }
      sheets.push({ table, mapping: m });
    }
    for (const t of file.tables)
      if (!o.mapping.sheets.some((m) => m.sheet === t.name)) skipped.push(t.name);
    return { sheets, skipped };
  }
  file.tables.forEach((t, table) => {
    const mapping = t.hidden ? undefined : detectSheet(t);
    if (mapping) sheets.push({ table, mapping });
    else skipped.push(t.name);
  });
  if (!sheets.length) {
    const what = file.format === 'docx' ? 'table' : file.format === 'csv' ? 'file' : 'sheet';
    throw new CheckError(
      `${o.shown}: no ${what} has a recognisable question column (a header such as "Question" or "Requirement" beside one such as "Response" or "Answer"); rename the header cells, or give the columns in a mapping file with --map (see README "Filling a buyer's questionnaire")`,
    );
  }
  return { sheets, skipped };
}

export function planFill(o: PlanOptions): FillPlan {
  const targets = buildTargets(o.parsed, o.model);
  const framework = o.parsed.answers.framework;
  const bank = bankFor(framework);
  const index = new AnswerIndex(targets.all, bank, bank && confidenceFor(framework));
  const { sheets, skipped } = sheetMappings(o);
  const remembered = o.mapping?.remembered ?? {};
  const namespaces = [o.namespace, o.mapping?.namespace].filter((n): n is string => !!n);
  const questions: PlannedQuestion[] = [];
  const headings: Question[] = [];
  const perSheet = sheets.map(({ table, mapping }) => {
    const m = {
      ...mapping,
      ...(o.maxWords ? { maxWords: o.maxWords } : {}),
      ...(o.maxChars ? { maxChars: o.maxChars } : {}),
    };
    return { rows: [...questionRows(o.file, table, { mapping: m, shown: o.shown, headings })] };
  });
  // Every question's terms in one pass of the thesaurus (much faster than one by one).
  primeTerms(perSheet.flatMap((s) => s.rows.map((q) => q.text)));
  for (const { rows } of perSheet) {
    for (const q of rows) {
      const r = matchQuestion(index, q, {
        threshold: o.threshold ?? DEFAULT_THRESHOLD,
        margin: o.margin ?? DEFAULT_MARGIN,
        ...(o.confidence ? { confidence: o.confidence } : {}),
        namespaces,
        remembered,
      });
      let decision: Decision;
      if (r.kind === 'declined')
        decision = { declined: true, reason: 'marked "leave blank" in the mapping' };
      else if (r.kind === 'none')
        decision = { reason: r.reason, ...(r.best ? { suggestion: r.best.target } : {}) };
      else {
        const { match } = r;
        const unsure =
          match.how === 'similarity' && !match.confidence && (match.score ?? 0) < REVIEW_BELOW;
        decision = {
          target: match.target,
          how: match.how,
          ...(match.score !== undefined ? { score: match.score } : {}),
          ...(unsure
            ? { reason: `similarity ${match.score!.toFixed(2)} is low: check the answer fits` }
            : {}),
          ...(match.second ? { suggestion: match.second.target } : {}),
        };
      }
      questions.push({ ...q, decision });
    }
  }
  return {
    file: o.file,
    index,
    targets,
    mapping: {
      format: 1,
      ...(o.namespace || o.mapping?.namespace
        ? { namespace: o.namespace ?? o.mapping!.namespace }
        : {}),
      sheets: sheets.map((s) => s.mapping),
      ...(skipped.length ? { skipped } : {}),
      remembered: { ...remembered },
    },
    questions,
    headings,
    skipped,
  };
}

export type RowStatus = 'answered' | 'needs review' | 'blank' | 'kept' | 'heading';

export interface ReportRow {
  sheet: string;
  row: string;
  reference: string;
  question: string;
  status: RowStatus;
  answeredFrom: string;
  how: string;
  score: string;
  note: string;
}

export interface FillOutcome {
  bytes: Buffer;
  rows: ReportRow[];
  mapping: FillMapping;
  edits: number;
}

export interface ApplyOptions {
  tier: ModelTier;
  overwrite: boolean;
}

const targetKey = (t: Answerable) => `${t.kind}:${t.id}`;

/** Turns the plan into edits and the file's new bytes; the report says what happened per row. */
export function applyFill(plan: FillPlan, o: ApplyOptions): FillOutcome {
  const edits: CellEdit[] = [];
  const rows: ReportRow[] = [];
  const remembered: Record<string, string> = { ...(plan.mapping.remembered ?? {}) };
  const composedCache = new Map<object, Map<string, Composed>>();
  for (const q of plan.questions) {
    const t = plan.file.tables[q.table];
    const m = q.mapping;
    const cols = {
      answer: m.answer ? columnIndex(m.answer) : undefined,
      choice: m.choice ? columnIndex(m.choice) : undefined,
      comment: m.comment ? columnIndex(m.comment) : undefined,
    };
    const base = {
      sheet: q.sheet,
      row: q.rowLabel,
      reference: q.reference ?? '',
      question: q.text,
    };
    const d = q.decision;
    const key = normaliseQuestion(q.text);
    if (!d.target) {
      if (d.declined) remembered[key] = 'blank';
      rows.push({
        ...base,
        status: 'blank',
        answeredFrom: '',
        how: d.declined ? 'declined' : '',
        score: '',
        note: [d.reason, d.suggestion ? `closest: ${d.suggestion.label}` : '']
          .filter(Boolean)
          .join('; '),
      });
      continue;
    }
    // The text goes to the answer column; with only a dropdown and a comment column, beside the dropdown.
    const textCol = cols.answer ?? cols.comment;
    const choiceCol = cols.choice;
    const existing = [textCol, choiceCol]
      .filter((c): c is number => c !== undefined)
      .map((c) => t.rows.get(q.row)?.get(c))
      .filter((c) => c && (c.text.trim() || c.formula));
    const formula = existing.some((c) => c!.formula);
    if (existing.length && (!o.overwrite || formula)) {
      rows.push({
        ...base,
        status: 'kept',
        answeredFrom: d.target.label,
        how: d.how ?? '',
        score: d.score !== undefined ? d.score.toFixed(2) : '',
        note: formula
          ? 'the answer cell holds a formula; left as it is'
          : `already answered ("${cellText(t, q.row, (textCol ?? choiceCol)!).slice(0, 40)}"); kept (use --overwrite to replace it)`,
      });
      continue;
    }
    // The same answer under the same limits composes to the same text: Markdown is turned into
    // plain text once per answer and sheet, not once per question.
    let bySheet = composedCache.get(m);
    if (!bySheet) composedCache.set(m, (bySheet = new Map<string, Composed>()));
    const ck = targetKey(d.target);
    let composed = bySheet.get(ck);
    if (!composed)
      bySheet.set(
        ck,
        (composed = composeAnswer(d.target, plan.targets, { tier: o.tier, limits: m })),
      );
    const notes = [...(d.reason ? [d.reason] : []), ...composed.notes];
    if (composed.usedSummary) notes.push('used the summary to meet the limit');
    if (textCol !== undefined)
      edits.push({ table: q.table, row: q.row, col: textCol, text: composed.text });
    if (choiceCol !== undefined) {
      const allowed = t.choicesAt(q.row, choiceCol);
      const value = composed.choice ? pickChoice(composed.choice, allowed) : undefined;
      if (value !== undefined)
        edits.push({ table: q.table, row: q.row, col: choiceCol, text: value });
      else {
        notes.push(
          composed.choice
            ? `no dropdown value fits '${composed.choice}' (allowed: ${(allowed ?? []).join(', ')}); choose one`
            : 'choose the dropdown value (the library entry has no choice:)',
        );
      }
    }
    remembered[key] = targetKey(d.target);
    rows.push({
      ...base,
      status: notes.length ? 'needs review' : 'answered',
      answeredFrom: d.target.label,
      how: d.how ?? '',
      score: d.score !== undefined ? d.score.toFixed(2) : '',
      note: notes.join('; '),
    });
  }
  return {
    bytes: plan.file.write(edits),
    rows: withHeadings(plan, rows),
    mapping: { ...plan.mapping, remembered },
    edits: edits.length,
  };
}

/** The report's rows with the rows read as section headings in their places (sheet, then row). */
function withHeadings(plan: FillPlan, rows: ReportRow[]): ReportRow[] {
  if (!plan.headings.length) return rows;
  const at = (q: Question) => q.table * 1e9 + q.row;
  const placed = plan.questions.map((q, i) => ({ at: at(q), row: rows[i] }));
  for (const h of plan.headings) {
    placed.push({
      at: at(h),
      row: {
        sheet: h.sheet,
        row: h.rowLabel,
        reference: '',
        question: h.text,
        status: 'heading',
        answeredFrom: '',
        how: '',
        score: '',
        note: `read as a section heading (short, no question mark, no reference, nothing else in its row), not answered; if it is a question, add ${h.row + 1} to alsoQuestions: of sheet '${h.sheet}' in the mapping file and run again with --map`,
      },
    });
  }
  return placed.sort((a, b) => a.at - b.at).map((p) => p.row);
}
