import { z } from 'zod';
import { isCalendarDay } from '../today';

/**
 * Field types every srq YAML file shares (answers, customer and catalogue files), so that each
 * file's schema module (src/answers/schema.ts, src/catalogue/schema.ts) says "text" and "date"
 * the same way.
 */

// NOTE: zod's JIT compiles each object schema with new Function() on first use: ~20 ms of a cold
// `srq validate`, for files that are parsed once per process. Interpreted parsing is as strict.
z.config({ jitless: true });

/** Whether `s` (YYYY-MM-DD) is a real calendar day; years 0001-0099 too (src/today.ts). */
export function isRealDate(s: string): boolean {
  return isCalendarDay(s);
}

export const isoDate = z
  .string()
  // NOTE: abort: a malformed date is one error, not also "not a real calendar date".
  .regex(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'expected an ISO date YYYY-MM-DD, e.g. 2026-11-22',
    abort: true,
  })
  .refine((s) => isRealDate(s), { message: 'not a real calendar date' })
  .describe('An ISO date, YYYY-MM-DD');

export const text = z.string().trim().min(1, { message: 'must not be empty' });
