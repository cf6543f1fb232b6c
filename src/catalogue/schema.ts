import { z } from 'zod';
import { isoDate, text } from '../yaml/fields';

/** The framework catalogue file format (a built-in catalogue or a user's `framework:` file). */

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

export type Catalogue = z.infer<typeof CatalogueSchema>;
