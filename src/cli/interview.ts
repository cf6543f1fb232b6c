import { EXIT } from '../errors';
import { runInterview } from '../interview/provider';
import { requireTerminal, withInteractiveFile } from '../interview/terminal';
import { printHint, type CliContext } from './context';

interface Options {
  framework?: string;
}

export async function run(ctx: CliContext, file: string, opts: Options): Promise<number> {
  requireTerminal(ctx, { what: 'the interview', file });
  return withInteractiveFile(ctx, file, {
    resume: (shown) => `srq interview ${shown}`,
    flow: async ({ prompts, abs, shown }) => {
      const res = await runInterview({
        file: abs,
        shown,
        ...(opts.framework ? { framework: opts.framework } : {}),
        deps: { prompts, now: ctx.now },
      });
      for (const n of res.notes) ctx.stderr(`srq: ${n}`);
      if (res.unanswered.length) {
        printHint(
          ctx,
          `\nSaved ${shown}. ${res.unanswered.length} item(s) still unanswered: ${res.unanswered.join(', ')}.\n` +
            `Run \`srq interview ${shown}\` to carry on, or \`srq build ${shown} --draft\` to see a draft.`,
        );
      } else {
        printHint(
          ctx,
          `\nSaved ${shown}: every principle is answered. Check it with \`srq validate ${shown}\`, then \`srq build ${shown}\`.`,
        );
      }
      if (res.revisit.length) printHint(ctx, `Marked to revisit: ${res.revisit.join(', ')}.`);
      return EXIT.ok;
    },
  });
}
