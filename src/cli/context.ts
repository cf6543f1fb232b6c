/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdin and stdout are terminals (interactive prompts allowed). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colour, progress). */
  colour: boolean;
  debug: boolean;
  /** Clock, pinned in tests. */
  now: () => Date;
}

export function processContext(debug: boolean): CliContext {
  return {
    stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    debug,
    now: () => (process.env.SRQ_NOW ? new Date(process.env.SRQ_NOW) : new Date()),
  };
}
