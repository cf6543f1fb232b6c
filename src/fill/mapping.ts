import { Document } from 'yaml';
import { z } from 'zod';
import { CheckError } from '../errors';
import { parseYamlSource } from '../yaml/source-map';
import { validateShape } from '../yaml/zod-diagnostics';
import type { SheetMapping } from './detect';

/**
 * The mapping file (`<name>.map.yaml`): which sheets, header rows and columns hold the
 * questions and answers, and what each question was answered from last time. Written after
 * every fill; given back with --map, next year's edition of the form needs no guessing.
 */

export const MAP_FORMAT = 1;

const letter = z.string().regex(/^[A-Z]{1,3}$/, { message: 'a column letter, e.g. D' });

export const SheetMappingSchema = z.strictObject({
  sheet: z.string().min(1),
  headerRow: z.number().int().positive(),
  question: letter,
  answer: letter.optional(),
  choice: letter.optional().describe('A Yes/No/Partial/N/A dropdown column'),
  comment: letter.optional(),
  reference: letter.optional(),
  maxWords: z.number().int().positive().optional(),
  maxChars: z.number().int().positive().optional(),
  alsoQuestions: z
    .array(z.number().int().positive())
    .optional()
    .describe(
      'Rows that are questions although they read as section headings (short, no question mark, no reference)',
    ),
});

const target = z
  .string()
  .regex(/^(principle:[A-Za-z0-9.-]+|library:[A-Za-z0-9][A-Za-z0-9._-]*|blank)$/, {
    message: 'expected principle:<id>, library:<id> or blank, e.g. principle:2.3',
  });

export const MappingSchema = z.strictObject({
  format: z.literal(MAP_FORMAT),
  questionnaire: z.string().optional(),
  namespace: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/)
    .optional()
    .describe("The buyer's numbering in also: ids, e.g. buyer-acme for buyer-acme:4.2"),
  sheets: z.array(SheetMappingSchema),
  skipped: z.array(z.string()).optional().describe('Sheets without questions'),
  remembered: z.record(z.string(), target).optional(),
});

export type FillMapping = z.infer<typeof MappingSchema>;

export function parseMapping(text: string, file: string): FillMapping {
  const { data, map, errors } = parseYamlSource(text, file);
  if (errors.length) throw new CheckError('', errors);
  const shape = validateShape(MappingSchema, data, map);
  if (!shape.value) throw new CheckError('', shape.errors);
  const value = shape.value;
  value.sheets.forEach((s, i) => {
    if (!s.answer && !s.choice && !s.comment) {
      throw new CheckError('', [
        map.diagnostic(
          ['sheets', i],
          `sheet '${s.sheet}' has no answer, choice or comment column`,
          {
            hint: 'add answer: <column letter>',
          },
        ),
      ]);
    }
  });
  return value;
}

/** The mapping as YAML, with a comment saying what it is and how to use it. */
export function formatMapping(m: FillMapping, questionnaire: string): string {
  const data: Record<string, unknown> = {
    format: MAP_FORMAT,
    questionnaire,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    sheets: m.sheets.map((s: SheetMapping) =>
      Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)),
    ),
    ...(m.skipped?.length ? { skipped: m.skipped } : {}),
    remembered: Object.fromEntries(
      Object.entries(m.remembered ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  const doc = new Document(data);
  doc.commentBefore = [
    ' srq fill mapping: where the questions and answers are, and what each question was',
    ' answered from. Correct it if a column is wrong, then run srq fill again with --map.',
    ' remembered: normalised question -> principle:<id>, library:<id> or blank (leave it blank).',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
