/**
 * The one notion of "today" every command uses: the calendar day on the user's own clock (the
 * local time zone, TZ), as YYYY-MM-DD. `review` stamps it as the issue date, `status` counts
 * overdue days from it, a customer document is dated with it, the sign-off block shows it.
 * Near midnight the UTC day differs from what the user sees; srq never uses the UTC day.
 *
 * The clock is `now()` of the command's context (SRQ_NOW pins it in tests); `override` is a
 * day given by the user (for a `--today` option), checked here.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local calendar day of an instant, as YYYY-MM-DD. */
export function localDay(at: Date): string {
  const y = String(at.getFullYear()).padStart(4, '0');
  const m = String(at.getMonth() + 1).padStart(2, '0');
  const d = String(at.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Whether `s` is a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(2000, mo - 1, d));
  dt.setUTCFullYear(y);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * Today as YYYY-MM-DD: `override` when given (it must be a real day), else the local day of
 * `now`. Throws a RangeError naming the expected form for a bad override.
 */
export function today(now: Date, override?: string): string {
  if (override === undefined) return localDay(now);
  if (!isCalendarDay(override))
    throw new RangeError(
      `not a calendar day: "${override}" (write it as YYYY-MM-DD, e.g. 2026-11-22)`,
    );
  return override;
}
