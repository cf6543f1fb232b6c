import type { AnswerState, AssuranceLevel, Responsibility, Visibility } from '../answers/schema';

/**
 * The model: answers resolved against their catalogue. Every output (PDF, exports, diff)
 * is made from this, never from the raw answers.
 */

export interface ModelTier {
  id: string;
  name: string;
  summary?: string;
}

export interface ModelEvidence {
  id: string;
  name: string;
  issuer?: string;
  reference?: string;
  /** ISO date. */
  expires?: string;
  visibility?: Visibility;
}

/** An answer's lifecycle (src/model/lifecycle.ts): ownership, review, approval, commitment. */
export interface ModelLifecycle {
  owner?: string;
  reviewed?: { by: string; on: string };
  approved?: { by: string; on: string; digest?: string };
  /** Its own maxAge, or the file's document.maxAge. */
  maxAge?: string;
  state: AnswerState;
  /** ISO date, for a planned answer. */
  due?: string;
  /** Why it does not apply, for a not-applicable answer. */
  reason?: string;
  visibility: Visibility;
  /** The digest of the content an approval covers, as it is now. */
  digest: string;
}

export interface ModelTierAnswer {
  tier: ModelTier;
  responsibility: Responsibility;
  /** Markdown: what the customer must do; set when the customer carries any of it. */
  customer?: string;
}

/** One answered unit: a principle answered as a whole, or one sub-principle. */
export interface ModelItem {
  id: string;
  title: string;
  requirement: string;
  /** Parent principle id, for a sub-principle. */
  parent?: string;
  answered: boolean;
  summary?: string;
  /** Markdown. Empty when unanswered. */
  provider: string;
  assurance?: AssuranceLevel;
  evidence: ModelEvidence[];
  /** One entry per tier in the document, in tier order; empty when unanswered. */
  tiers: ModelTierAnswer[];
  /** The customer's own answer (customer documents only). Markdown. */
  customerAnswer?: string;
  maxWords?: number;
  /** Set for an answered item. */
  lifecycle?: ModelLifecycle;
  /** Set when the audience may not read this answer: its texts are replaced by this notice. */
  withheld?: string;
}

/** A top-level principle with the items that answer it. */
export interface ModelPrinciple {
  id: string;
  title: string;
  requirement: string;
  /** The publisher's own page for the principle (the catalogue's `url`). */
  url?: string;
  /** 'whole': answered as one item; 'parts': per sub-principle; 'none': unanswered. */
  answeredAs: 'whole' | 'parts' | 'none';
  /** The items shown for this principle: itself (whole or unanswered without subs) or its sub-principles. */
  items: ModelItem[];
}

export interface ModelDocument {
  title: string;
  version: string;
  issued: string;
  review: string;
  classification?: string;
  /** What changed in this version: the summary on its own row of the version history. */
  changes?: string;
  history: { version: string; issued: string; summary?: string }[];
  /** `required`: signing refuses unapproved, void or stale answers. */
  approval?: 'required' | 'optional';
  maxAge?: string;
}

export interface Model {
  kind: 'statement' | 'customer';
  /** The answers file the model was made from, if any. */
  sourceFile?: string;
  framework: {
    id: string;
    title: string;
    version: string;
    publisher?: string;
    source?: string;
    attribution?: string;
  };
  provider: {
    name: string;
    team?: string;
    email?: string;
    phone?: string;
    address?: string;
    /** Absolute path of the logo file, if any. */
    logo?: string;
  };
  service: { name: string; summary?: string };
  /** The tiers this document covers (all, or those picked with --tier). */
  tiers: ModelTier[];
  document: ModelDocument;
  signatory: { name: string; role: string };
  evidence: ModelEvidence[];
  policies: { name: string; reviewed?: string; visibility?: Visibility }[];
  principles: ModelPrinciple[];
  /** Every item of every principle, flattened in order. */
  items: ModelItem[];
  /** Ids of catalogue items left unanswered. */
  unanswered: string[];
  /** Set once the model was narrowed for an audience (src/model/audience.ts). */
  audience?: Visibility;
  /** Set for a customer document. */
  customer?: {
    name: string;
    team?: string;
    tier: ModelTier;
    signatory: { name: string; role: string };
    /** The customer file's own date (ISO), if it gives one. */
    date?: string;
  };
}
