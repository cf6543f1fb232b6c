import { UsageError } from '../errors';
import type { Model } from '../model/types';
import { renderChangesMarkdown } from './changes';
import { diffModels } from './diff';
import { loadVersion } from './load';

/**
 * The "Changes since version X" Markdown for `srq build --changes-since <old>`: loads the old
 * version (a path, or FILE@REV), compares it with the model being built (only the tiers that
 * document covers) and renders the section.
 */
export function changesSinceMarkdown(
  oldRef: string,
  model: Model,
  options: { cwd: string },
): string {
  const old = loadVersion(oldRef, { cwd: options.cwd });
  if (old.model.kind !== model.kind) {
    throw new UsageError(
      `--changes-since ${oldRef}: a ${old.model.kind === 'customer' ? 'customer' : 'provider'} file, not the same kind as the one being built`,
    );
  }
  const diff = diffModels(old.model, model, {
    oldLabel: old.label,
    tiers: model.tiers.map((t) => t.id),
  });
  return renderChangesMarkdown(diff, { sinceVersion: old.model.document.version });
}
