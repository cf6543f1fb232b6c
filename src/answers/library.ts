import type { Diagnostic } from '../errors';
import { closest } from '../text/suggest';
import type { Answers } from './schema';
import type { SourceMap } from '../yaml/source-map';

/**
 * Checks of `library:` entries and `also:` ids that the schema cannot express: unique entry ids,
 * tier variants naming real tiers, and each external id answered by one place only (a buyer's
 * question must never have two answers to choose between).
 */
export function checkLibrary(a: Answers, map: SourceMap, errors: Diagnostic[]): void {
  const tierIds = a.tiers.map((t) => t.id);
  const lib = a.library ?? [];
  const seenIds = new Map<string, number>();
  lib.forEach((e, i) => {
    const first = seenIds.get(e.id);
    if (first !== undefined) {
      errors.push(
        map.diagnostic(
          ['library', i, 'id'],
          `duplicate library id '${e.id}' (also entry ${first + 1})`,
          {
            hint: 'give every library entry its own id',
          },
        ),
      );
    } else seenIds.set(e.id, i);
    for (const t of Object.keys(e.tiers ?? {})) {
      if (tierIds.includes(t)) continue;
      const guess = closest(t, tierIds);
      errors.push(
        map.diagnostic(['library', i, 'tiers', t], `tier '${t}' is not defined`, {
          at: 'key',
          hint: `${guess ? `did you mean '${guess}'? ` : ''}tiers are: ${tierIds.join(', ')}`,
        }),
      );
    }
  });
  const owner = new Map<string, string>();
  const claim = (ext: string, who: string, path: (string | number)[]) => {
    const key = ext.toLowerCase();
    const prev = owner.get(key);
    if (prev && prev !== who) {
      errors.push(
        map.diagnostic(path, `'${ext}' is also listed under ${prev}`, {
          hint: 'an external id answers one question: keep it in one place',
        }),
      );
    } else owner.set(key, who);
  };
  for (const [id, ans] of Object.entries(a.answers)) {
    (ans.also ?? []).forEach((x, j) => claim(x, `answers.${id}`, ['answers', id, 'also', j]));
  }
  lib.forEach((e, i) =>
    (e.also ?? []).forEach((x, j) => claim(x, `library ${e.id}`, ['library', i, 'also', j])),
  );
}
