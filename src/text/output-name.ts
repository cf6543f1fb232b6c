/**
 * Default output names for documents that are not the final one: a draft (`-draft`) or an
 * export cut to a word limit (`-max250words`) gets its own name, so it never overwrites the
 * final document of the same version.
 */

/** A version as written in file names' `-v<version>`: a leading "v" is not doubled (v1.1 → 1.1). */
export function bareVersion(version: string): string {
  return version.trim().replace(/^v(?=\d)/i, '');
}

/** Inserts `-<suffix>` before the extension: a.pdf → a-draft.pdf, a.oscal.json → a-draft.oscal.json. */
export function withSuffix(name: string, suffix: string): string {
  const m = /(\.oscal\.json|\.[A-Za-z0-9]+)$/.exec(name);
  return m ? `${name.slice(0, m.index)}-${suffix}${m[1]}` : `${name}-${suffix}`;
}
