import { diffModels } from '../diff/diff';
import { formatDiffJson, formatDiffMarkdown, formatDiffText } from '../diff/format';
import { loadVersion } from '../diff/load';
import { EXIT, UsageError } from '../errors';
import { terminalSafeDeep } from '../text/safe';
import type { CliContext } from './context';

interface Options {
  format?: 'text' | 'md' | 'json';
}

/** srq diff <old> <new>: what changed between two versions; either may be FILE@REV. */
export async function run(
  ctx: CliContext,
  { oldRef, newRef }: { oldRef: string; newRef: string },
  opts: Options,
): Promise<number> {
  const a = loadVersion(oldRef, { cwd: ctx.cwd });
  const b = loadVersion(newRef, { cwd: ctx.cwd });
  if (a.model.kind !== b.model.kind) {
    throw new UsageError(
      `${a.label} is a ${a.model.kind === 'customer' ? 'customer' : 'provider'} file and ${b.label} is not: compare two versions of the same kind of file`,
    );
  }
  const diff = diffModels(a.model, b.model, { oldLabel: a.label, newLabel: b.label });
  switch (opts.format ?? 'text') {
    case 'json':
      ctx.stdout(formatDiffJson(diff));
      break;
    case 'md':
      ctx.stdout(formatDiffMarkdown(terminalSafeDeep(diff)));
      break;
    default:
      // Text from the files never carries a control character to the terminal (srq's own
      // colours are added after).
      ctx.stdout(
        formatDiffText(terminalSafeDeep(diff), { colour: ctx.colour && !ctx.env.NO_COLOR }),
      );
  }
  return EXIT.ok;
}
