import type { AssuranceLevel, Responsibility } from '../answers/schema';

/** A word-diff part: `=` unchanged, `-` only in the old text, `+` only in the new. */
export interface WordPart {
  op: '=' | '-' | '+';
  text: string;
}

/** A changed block of text (Markdown), with its word diff. */
export interface TextChange {
  old: string;
  new: string;
  words: WordPart[];
  /** Words added and removed, for summaries. */
  added: number;
  removed: number;
}

/** A changed scalar field; `undefined` means the field is absent on that side. */
export interface FieldChange {
  field: string;
  old?: string;
  new?: string;
}

export interface TierRef {
  id: string;
  name: string;
}

export interface TierAnswerChange {
  tier: TierRef;
  responsibility?: { old: Responsibility; new: Responsibility };
  customer?: TextChange;
}

export interface ItemChange {
  id: string;
  title: string;
  /** Sub-principle's parent, when this is a sub-principle. */
  parent?: string;
  /** added: answered now and not before; removed: answered before and not now. */
  kind: 'added' | 'removed' | 'changed';
  summary?: TextChange;
  provider?: TextChange;
  assurance?: { old?: AssuranceLevel; new?: AssuranceLevel };
  evidence?: { added: TierRef[]; removed: TierRef[] };
  /** Per-tier changes, for tiers present in both versions, in the new version's tier order. */
  tiers: TierAnswerChange[];
  customerAnswer?: TextChange;
  /**
   * Lifecycle fields that changed (src/model/lifecycle.ts): state, due, reason and visibility
   * change what a document says; owner, reviewed, approved and maxAge do not.
   */
  lifecycle?: FieldChange[];
}

export interface EvidenceChange {
  id: string;
  name: string;
  changes: FieldChange[];
}

export interface TierChange {
  id: string;
  name: string;
  changes: FieldChange[];
}

export interface DiffSide {
  file?: string;
  /** How the user named it: a path, or `path@rev`. */
  label?: string;
  version: string;
  issued: string;
  provider: string;
  service: string;
}

export interface DiffCounts {
  itemsChanged: number;
  itemsAdded: number;
  itemsRemoved: number;
  responsibilityChanges: number;
  textChanges: number;
  tiersAdded: number;
  tiersRemoved: number;
  tiersChanged: number;
  evidenceAdded: number;
  evidenceRemoved: number;
  evidenceChanged: number;
  policiesChanged: number;
  documentChanges: number;
  /** Everything above that is a change; 0 means the two versions say the same. */
  total: number;
}

/** What changed between two versions of an answers file. Plain data: safe to JSON.stringify. */
export interface Diff {
  old: DiffSide;
  new: DiffSide;
  counts: DiffCounts;
  /** Framework, document, provider, service and signatory fields. */
  document: FieldChange[];
  history: {
    added: { version: string; issued: string }[];
    removed: { version: string; issued: string }[];
  };
  tiers: { added: TierRef[]; removed: TierRef[]; changed: TierChange[] };
  evidence: { added: EvidenceChange[]; removed: EvidenceChange[]; changed: EvidenceChange[] };
  policies: { added: FieldChange[]; removed: FieldChange[]; changed: FieldChange[] };
  /** Principles and sub-principles, in catalogue order of the new version (removed ones last). */
  items: ItemChange[];
}
