import { oneLine } from '../errors';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Multi-line text from a file made safe for the terminal: line breaks and tabs kept, every
 * other control character (ESC of a "retitle" or "clear screen" sequence, a carriage return
 * that overwrites the line, C1 controls) shown as `\u001b`, as error lines already do.
 */
export function terminalSafe(s: string): string {
  return s.replace(
    CONTROL_EXCEPT_LINES,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A copy of `value` with every string in it made `terminalSafe` (for whole reports). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalSafeDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = terminalSafeDeep(v);
    return out as T;
  }
  return value;
}

/** One table cell: a single line, control characters escaped. */
export const safeCell = oneLine;
