import { z } from 'zod';

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

const isoDate = z
  .string()
  // NOTE: abort: a malformed date is one error, not also "not a real calendar date".
  .regex(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'expected an ISO date YYYY-MM-DD, e.g. 2026-11-22',
    abort: true,
  })
  .refine((s) => isRealDate(s), { message: 'not a real calendar date' })
  .describe('An ISO date, YYYY-MM-DD');

export function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const text = z.string().trim().min(1, { message: 'must not be empty' });
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  message: 'ids use letters, digits, dot, dash and underscore, e.g. fully-managed',
});

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

export const AnswerSchema = z.strictObject({
  summary: text.optional().describe('One sentence for overviews and word-limited portals'),
  provider: text.describe('Markdown: how the provider adheres to the principle'),
  assurance: z.enum(ASSURANCE_LEVELS).optional(),
  evidence: z.array(id).optional().describe('Ids from the evidence list'),
  tiers: z.record(z.string(), TierAnswerSchema),
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
      changes: text.optional().describe("What changed in this version (the version history's first row)"),
      history: z
        .array(z.strictObject({ version: text, issued: isoDate, summary: text.optional() }))
        .optional(),
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
        }),
      )
      .optional(),
    policies: z.array(z.strictObject({ name: text, reviewed: isoDate.optional() })).optional(),
    answers: z.record(z.string(), AnswerSchema),
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

const CatalogueItemSchema = z.strictObject({
  id: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.-]*$/, { message: 'ids look like 2 or 2.1' }),
  title: text,
  requirement: text,
  maxWords: z.number().int().positive().optional(),
});

export const CatalogueSchema = z
  .strictObject({
    id: text,
    title: text,
    version: text,
    published: isoDate.optional(),
    publisher: text.optional(),
    source: text.optional(),
    attribution: text.optional(),
    maxWords: z.number().int().positive().optional().describe('Default word limit per answer'),
    principles: z
      .array(
        CatalogueItemSchema.extend({
          principles: z.array(CatalogueItemSchema).optional(),
        }),
      )
      .min(1, { message: 'a catalogue needs at least one principle' }),
  })
  .describe('srq framework catalogue');

export type Answers = z.infer<typeof AnswersSchema>;
export type Answer = z.infer<typeof AnswerSchema>;
export type TierAnswer = z.infer<typeof TierAnswerSchema>;
export type CustomerAnswers = z.infer<typeof CustomerSchema>;
export type Catalogue = z.infer<typeof CatalogueSchema>;
