import type { Model } from '../model/types';
import { answerLead } from '../text/sentence';
import { mdText } from './markdown-escape';
import { joinAnd } from '../text/list';

/**
 * What the `overview` template shows beyond the statement's view model: the measures (one per
 * answered item, a bold lead phrase and its summary, or the first sentence of the statement when
 * there is no summary), the certifications held and the policies in force. Values are escaped
 * Markdown, like the rest of the view (view.ts); dates stay ISO for the `date` helper.
 */
export interface OverviewView {
  measures: { id: string; lead: string; text: string; fromSummary: boolean }[];
  /** "ISO/IEC 27001:2022 certification, … and Cyber Essentials Plus certificate". */
  certificationList: string;
  certifications: { name: string; issuer?: string; reference?: string; expires?: string }[];
  policies: { name: string; reviewed?: string }[];
  /** Item ids whose measure falls back to the first sentence (for `validate` and the build log). */
  withoutSummary: string[];
}

/** Builds the overview's extra view fields. Pure; does not change the model. */
export function overviewView(model: Model): OverviewView {
  const measures = model.items
    .filter((i) => i.answered)
    .map((i) => {
      const lead = answerLead(i);
      return {
        id: i.id,
        lead: mdText(i.title),
        text: mdText(lead.text),
        fromSummary: lead.fromSummary,
      };
    });
  return {
    measures,
    certificationList: joinAnd(model.evidence.map((e) => mdText(e.name))),
    certifications: model.evidence.map((e) => ({
      name: mdText(e.name),
      ...(e.issuer ? { issuer: mdText(e.issuer) } : {}),
      ...(e.reference ? { reference: mdText(e.reference) } : {}),
      ...(e.expires ? { expires: e.expires } : {}),
    })),
    policies: model.policies.map((p) => ({
      name: mdText(p.name),
      ...(p.reviewed ? { reviewed: p.reviewed } : {}),
    })),
    withoutSummary: measures.filter((m) => !m.fromSummary).map((m) => m.id),
  };
}
