/**
 * Turning plain values (names, titles, references) into Markdown that prints them literally.
 * Answer text is Markdown already and is inserted as is; it is data to Handlebars, so a `{{x}}`
 * inside it is never evaluated.
 */
export function mdText(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*_[\]<>|~&#!{}])/g, '\\$1')
    .replace(
      /^(\s*)([-+=]|\d+[.)])(?=\s|$)/,
      (_m, sp: string, lead: string) => `${sp}${lead.replace(/([-+=.)])$/, '\\$1')}`,
    );
}

/** Markdown from a user, trimmed so it sits cleanly between blank lines. */
export function mdBlock(s: string): string {
  return s.replace(/\r\n?/g, '\n').trim();
}
