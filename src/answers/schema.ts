import { z } from 'zod';
import { isoDate, text } from '../yaml/fields';

export { isRealDate } from '../yaml/fields';

/**
 * The answers and customer file formats (architecture.md, "Answers file (contract)").
 * One definition: the TypeScript types, the validator and the shipped JSON Schema all come from here.
 */

export const RESPONSIBILITIES = ['provider', 'customer', 'shared', 'not-applicable'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

export const ASSURANCE_LEVELS = [
  'provider-assertion',
  'contractual-commitment',
  'independent-validation',
  'independent-testing',
  'assured-design',
  'assured-components',
] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  message: 'ids use letters, digits, dot, dash and underscore, e.g. fully-managed',
});

/** What an answer says about itself (issue 18). `yes` is the default. */
export const ANSWER_STATES = [
  'yes',
  'partial',
  'planned',
  'not-applicable',
  'confidential',
] as const;
export type AnswerState = (typeof ANSWER_STATES)[number];

/** Who may read something, lowest first; `internal` never reaches a document or export. */
export const VISIBILITIES = ['public', 'customer', 'nda', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const maxAge = z
  .string()
  .regex(/^[1-9]\d{0,3}[dwmy]$/, {
    message: 'expected an age such as 6m or 1y (a number, then d, w, m or y)',
  })
  .describe('How long an answer stays current after its last review: 90d, 12w, 6m, 1y');

const visibility = z
  .enum(VISIBILITIES)
  .optional()
  .describe('Who may read it: public (default), customer, nda or internal (never published)');

/**
 * The lifecycle fields of one answer: who owns it, its last review and approval, how long it
 * stays current, what it commits to. A plain shape so any answer-like entry (a principle, a
 * sub-principle, a library entry) can spread it into its own object schema.
 */
export const LIFECYCLE_FIELDS = {
  owner: text.optional().describe('Who keeps this answer true (a name or a team)'),
  reviewed: z
    .strictObject({ by: text, on: isoDate })
    .optional()
    .describe('The last review: who and when'),
  approved: z
    .strictObject({
      by: text,
      on: isoDate,
      digest: z
        .string()
        .regex(/^[0-9a-f]{12}$/, {
          message: 'expected the 12 hex digits srq approve writes (run srq approve again)',
        })
        .optional()
        .describe('Written by srq approve: the approved content, so a later edit voids it'),
    })
    .optional()
    .describe('The approval: who, when, and the digest of what they approved'),
  maxAge: maxAge.optional(),
  state: z
    .enum(ANSWER_STATES)
    .optional()
    .describe(
      'yes (default), partial, planned (with due), not-applicable (with reason), confidential',
    ),
  due: isoDate.optional().describe('For state: planned, when it will be done'),
  reason: text.optional().describe('For state: not-applicable, why it does not apply'),
  visibility,
};

export const TierAnswerSchema = z.union([
  z
    .enum(RESPONSIBILITIES)
    .describe('Shorthand: the responsibility, with nothing for the customer to write'),
  z.strictObject({
    responsibility: z.enum(RESPONSIBILITIES),
    customer: text
      .optional()
      .describe('Markdown: what the customer must do (required for customer and shared)'),
  }),
]);

/** An id in another framework or a buyer's questionnaire that an answer also answers (srq fill). */
export const externalId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*:\S+$/, {
    message:
      'external ids look like namespace:reference, e.g. caiq:IAM-02.1, iso27001:A.8.8 or buyer-acme:4.2',
  })
  .describe('namespace:reference, e.g. caiq:IAM-02.1');

export const CHOICES = ['yes', 'no', 'partial', 'not-applicable'] as const;

/** A question-level answer for what the principles do not cover (srq fill's library). */
export const LibraryEntrySchema = z.strictObject({
  id,
  questions: z
    .array(text)
    .min(1, { message: 'give at least one wording of the question' })
    .describe('Wordings of the question this entry answers, as buyers ask it'),
  answer: text.describe('Markdown: the answer'),
  summary: text.optional().describe('One sentence for word-limited cells'),
  choice: z
    .enum(CHOICES)
    .optional()
    .describe('The value for a Yes/No/Partial/N/A dropdown beside the answer'),
  tiers: z
    .record(z.string(), text)
    .optional()
    .describe('Per-tier variants of the answer, by tier id (Markdown)'),
  also: z.array(externalId).optional().describe('External question ids this entry answers'),
});

export const AnswerSchema = z.strictObject({
  summary: text.optional().describe('One sentence for overviews and word-limited portals'),
  provider: text.describe('Markdown: how the provider adheres to the principle'),
  assurance: z.enum(ASSURANCE_LEVELS).optional(),
  evidence: z.array(id).optional().describe('Ids from the evidence list'),
  tiers: z.record(z.string(), TierAnswerSchema),
  also: z
    .array(externalId)
    .optional()
    .describe('External question ids this answer also answers (srq fill), e.g. caiq:IAM-02.1'),
  ...LIFECYCLE_FIELDS,
});

export const AnswersSchema = z
  .strictObject({
    framework: text.describe(
      'A built-in catalogue id (ncsc-2023, ncsc-2016) or a path to a catalogue file',
    ),
    provider: z.strictObject({
      name: text,
      team: text.optional(),
      email: text.optional(),
      phone: text.optional(),
      address: text.optional(),
      logo: text.optional().describe('PNG or JPEG, relative to this file'),
    }),
    service: z.strictObject({ name: text, summary: text.optional() }),
    tiers: z
      .array(z.strictObject({ id, name: text, summary: text.optional() }))
      .min(1, { message: 'at least one tier is needed' }),
    document: z.strictObject({
      title: text,
      version: text,
      issued: isoDate,
      review: isoDate,
      classification: text.optional(),
      changes: text
        .optional()
        .describe("What changed in this version (the version history's first row)"),
      history: z
        .array(z.strictObject({ version: text, issued: isoDate, summary: text.optional() }))
        .optional(),
      approval: z
        .enum(['required', 'optional'])
        .optional()
        .describe('required: srq refuses to sign while an answer is unapproved, void or stale'),
      maxAge: maxAge.optional().describe('Default maxAge for every answer'),
    }),
    signatory: z.strictObject({ name: text, role: text }),
    evidence: z
      .array(
        z.strictObject({
          id,
          name: text,
          issuer: text.optional(),
          reference: text.optional(),
          expires: isoDate.optional(),
          visibility,
        }),
      )
      .optional(),
    policies: z
      .array(z.strictObject({ name: text, reviewed: isoDate.optional(), visibility }))
      .optional(),
    answers: z.record(z.string(), AnswerSchema),
    library: z
      .array(LibraryEntrySchema)
      .optional()
      .describe("Question-level answers for buyers' questionnaires (srq fill)"),
  })
  .describe('srq provider answers file');

export const CustomerSchema = z
  .strictObject({
    customer: z.strictObject({ name: text, team: text.optional() }),
    provider: text.describe("The provider's answers file, relative to this one"),
    tier: text,
    signatory: z.strictObject({ name: text, role: text }),
    answers: z.record(z.string(), z.strictObject({ customer: text })).optional(),
  })
  .describe('srq customer answers file');

export type Answers = z.infer<typeof AnswersSchema>;
export type Answer = z.infer<typeof AnswerSchema>;
export type LibraryEntry = z.infer<typeof LibraryEntrySchema>;
export type Choice = (typeof CHOICES)[number];
export type TierAnswer = z.infer<typeof TierAnswerSchema>;
export type CustomerAnswers = z.infer<typeof CustomerSchema>;
