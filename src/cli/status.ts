import path from 'node:path';
import { displayPath } from '../answers/read';
import { EXIT } from '../errors';
import { collectStatus } from '../status';
import { formatStatusText } from '../status/format';
import type { CliContext } from './context';

interface Options {
  json?: boolean;
  register?: string;
}

/** srq status [dir]: review dates, expiring evidence, unanswered principles; exit 1 when overdue. */
export async function run(ctx: CliContext, dir: string, opts: Options): Promise<number> {
  const target = path.resolve(ctx.cwd, dir);
  const registerFile = path.resolve(
    ctx.cwd,
    opts.register ?? path.join('output', 'register.jsonl'),
  );
  const report = collectStatus({ target, registerFile, now: ctx.now() });
  if (opts.json) {
    const rel = (f: string) => displayPath(f, ctx.cwd);
    ctx.stdout(
      JSON.stringify(
        {
          ...report,
          dir: rel(report.dir),
          register: rel(report.register),
          files: report.files.map((s) => ({ ...s, file: rel(s.file) })),
        },
        null,
        2,
      ),
    );
  } else {
    ctx.stdout(formatStatusText(report, ctx.cwd));
  }
  // A file that could not be read is an I/O problem (3), not a failed check (1).
  if (report.files.some((s) => s.unreadable)) return EXIT.io;
  return report.failing ? EXIT.check : EXIT.ok;
}
