import { YamlEditor } from '../answers/edit';
import { readAnswers } from '../answers/read';
import { CheckError, UsageError } from '../errors';
import { approvalOf } from '../answers/lifecycle';
import { assessItem } from './lifecycle';
import { resolveModel } from './resolve';
import { closest } from '../text/suggest';

export interface ApproveOptions {
  /** The answers file (for messages and parsing) and its text. */
  file: string;
  shown: string;
  text: string;
  /** Answer ids to approve; empty: every answer not approved and current on `on`. */
  ids: string[];
  by: string;
  /** ISO date of the approval. */
  on: string;
  /** Approve every answer, even those already approved. */
  all?: boolean;
  /** Also record the approval as a review (`reviewed: {by, on}`). */
  reviewed?: boolean;
}

export interface ApproveResult {
  text: string;
  approved: string[];
}

/**
 * Records approvals in an answers file's text: `approved: {by, on, digest}` on each answer, the
 * digest sealing the content approved (src/model/lifecycle.ts). Pure: text in, text out; the
 * user's comments and formatting elsewhere are kept byte for byte.
 */
export function approveAnswers(o: ApproveOptions): ApproveResult {
  const parsed = readAnswers(o.file, o.text);
  if (!parsed.value) {
    throw new CheckError(
      `${o.shown}: ${parsed.errors.length} error(s); fix them (srq validate ${o.shown}) before approving`,
      parsed.errors,
    );
  }
  const { answers } = parsed.value;
  const known = Object.keys(answers.answers);
  for (const id of o.ids) {
    if (!answers.answers[id]) {
      const guess = closest(id, known);
      throw new UsageError(
        `${o.shown}: no answer "${id}" to approve (${guess ? `did you mean ${guess}? ` : ''}answered: ${known.join(', ')})`,
      );
    }
  }
  let ids = o.ids;
  if (!ids.length) {
    const model = resolveModel(parsed.value);
    ids = model.items
      .filter((i) => {
        if (!i.answered) return false;
        const a = assessItem(i, o.on);
        return o.all || !a || a.approval !== 'approved' || a.stale;
      })
      .map((i) => i.id);
  }
  const editor = new YamlEditor(o.text, o.shown);
  for (const id of ids) {
    const ans = answers.answers[id];
    if (o.reviewed) editor.set(['answers', id, 'reviewed'], { by: o.by, on: o.on });
    editor.set(['answers', id, 'approved'], approvalOf(ans, o));
  }
  return { text: editor.text, approved: ids };
}
