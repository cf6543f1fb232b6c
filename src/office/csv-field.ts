/** One CSV field per RFC 4180, safe against CSV injection; shared by export and fill. */
export function csvField(value: string): string {
  // NOTE: a cell starting with = + - @ is run as a formula by spreadsheets (CSV injection);
  // a leading apostrophe keeps it text (OWASP's advice).
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
