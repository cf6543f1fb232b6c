import { z } from 'zod';
import { CatalogueSchema } from '../catalogue/schema';
import { AnswersSchema, CustomerSchema } from './schema';

/**
 * JSON Schemas for editors (yaml-language-server), generated from the zod schemas so the
 * format is defined once. `npm run schema` writes them to schema/; a test checks they are current.
 */
export function jsonSchemas(): Record<string, unknown> {
  const make = (schema: z.ZodType, name: string, title: string) => ({
    $id: `https://srq.invalid/schema/${name}`,
    title,
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  });
  return {
    'answers.schema.json': make(AnswersSchema, 'answers.schema.json', 'srq provider answers file'),
    'customer.schema.json': make(
      CustomerSchema,
      'customer.schema.json',
      'srq customer answers file',
    ),
    'catalogue.schema.json': make(
      CatalogueSchema,
      'catalogue.schema.json',
      'srq framework catalogue',
    ),
  };
}
