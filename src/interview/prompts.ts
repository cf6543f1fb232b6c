import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliContext } from '../cli/context';
import { UsageError } from '../errors';

/**
 * The one module that talks to @inquirer/prompts. Flows receive a `Prompts` object, so tests
 * drive them with scripted answers and the CLI with a real terminal.
 */

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  checked?: boolean;
}

export interface Prompts {
  /** One line of text. `required` refuses an empty answer; `validate` returns an error message or true. */
  input(opts: {
    message: string;
    default?: string;
    required?: boolean;
    validate?: (value: string) => true | string;
    /** Put the default into the line to edit (arrow keys, backspace) instead of showing it. */
    editable?: boolean;
  }): Promise<string>;
  /** Multi-line Markdown: the user's editor, or typed line by line where there is none. */
  text(opts: { message: string; default?: string; required?: boolean }): Promise<string>;
  select<T>(opts: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  checkbox<T>(opts: { message: string; choices: Choice<T>[] }): Promise<T[]>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
  /** Pick from a list by typing part of its name. */
  search<T>(opts: { message: string; choices: Choice<T>[] }): Promise<T>;
  /** Prints a block of information (a principle's requirement, progress, a summary). */
  say(text: string): void;
}

/** Whether `err` is the prompt library's Ctrl+C (or closed terminal) error. */
export function isCancel(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ExitPromptError';
}

/** The error a prompt throws on Ctrl+C; scripted prompts throw it too. */
export class PromptCancelled extends Error {
  override name = 'ExitPromptError';
}

/** npm's own default for its `editor` setting, which npm puts into $EDITOR of what it runs. */
const NPM_DEFAULT_EDITORS = new Set(['vi', 'notepad.exe']);

/** Whether srq runs under npm (npx, npm start, npm exec), which sets these variables. */
function underNpm(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.npm_execpath || env.npm_command || env.npm_lifecycle_event);
}

/**
 * The editor for statements, if the user chose one and it can be run: $SRQ_EDITOR (`none` for
 * typing line by line), else $VISUAL, else $EDITOR -- except the `vi` that npm puts into $EDITOR
 * when the user set none (npx srq ...), which would drop someone who never chose vi into it.
 * An editor must be an absolute path that exists or a program on $PATH; without one the
 * statement is typed line by line instead.
 */
export function usableEditor(env: NodeJS.ProcessEnv): string | undefined {
  const own = env.SRQ_EDITOR?.trim();
  if (own) return own === 'none' ? undefined : runnable(own, env);
  if (env.VISUAL?.trim()) {
    const visual = runnable(env.VISUAL, env);
    if (visual) return visual;
  }
  const editor = env.EDITOR?.trim();
  if (!editor) return undefined;
  const npmDefault = NPM_DEFAULT_EDITORS.has(path.win32.basename(editor).toLowerCase());
  if (npmDefault && underNpm(env)) return undefined;
  return runnable(editor, env);
}

/** `cmd` when its program can be run (an existing path, or a name found on $PATH). */
function runnable(v: string, env: NodeJS.ProcessEnv): string | undefined {
  const cmd = v.trim().split(/\s+/)[0];
  if (!cmd) return undefined;
  if (cmd.includes('/') || cmd.includes('\\')) return fs.existsSync(cmd) ? v : undefined;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  return dirs.some((d) => exts.some((e) => fs.existsSync(path.join(d, cmd + e)))) ? v : undefined;
}

/** The marker that ends text typed line by line. */
export const END_OF_TEXT = '.';

/**
 * Multi-line text without an editor: one `input` per line, ended by a line holding only ".".
 * With a current text, it is shown with line numbers and changed line by line (each line starts
 * as the old one, ready to edit), lines added or deleted, or the whole text typed again; "Keep"
 * leaves it as it was. Built on `input` and `select`, so tests can drive it too.
 */
export async function typeLines(
  p: Pick<Prompts, 'input' | 'say' | 'select'>,
  opts: { message: string; default?: string; required?: boolean },
): Promise<string> {
  const current = opts.default?.trim();
  if (current) return editLines(p, { ...opts, current });
  p.say(
    `${opts.message}\n  Type line by line (Markdown; an empty line starts a new paragraph). A line with only "${END_OF_TEXT}" ends it.`,
  );
  for (;;) {
    const value = (await readLines(p)).join('\n').trim();
    if (value || !opts.required) return value ? `${value}\n` : '';
    p.say('  This cannot be empty; type at least one line.');
  }
}

async function readLines(p: Pick<Prompts, 'input'>): Promise<string[]> {
  const lines: string[] = [];
  for (;;) {
    const line = await p.input({ message: '│' });
    if (line.trim() === END_OF_TEXT) return lines;
    lines.push(line.replace(/\s+$/, ''));
  }
}

type LineAction = 'keep' | 'done' | 'change' | 'add' | 'delete' | 'retype';

async function editLines(
  p: Pick<Prompts, 'input' | 'say' | 'select'>,
  opts: { message: string; current: string; required?: boolean },
): Promise<string> {
  let lines = opts.current.split('\n');
  let changed = false;
  p.say(opts.message);
  for (;;) {
    p.say(`  ${changed ? 'New' : 'Current'} text:\n${numbered(lines)}`);
    const act = await p.select<LineAction>({
      message: changed ? 'Change more, or done?' : 'Keep this text, or change it?',
      choices: [
        changed
          ? { name: 'Done: use this text', value: 'done' }
          : { name: 'Keep it as it is', value: 'keep' },
        { name: 'Change a line…', value: 'change', description: 'starts from the old line' },
        { name: 'Add lines at the end', value: 'add' },
        ...(lines.length > 1 ? [{ name: 'Delete a line…', value: 'delete' as const }] : []),
        { name: 'Type it all again', value: 'retype' },
      ],
      default: changed ? 'done' : 'keep',
    });
    if (act === 'keep') return `${opts.current}\n`;
    if (act === 'done') {
      const value = lines.join('\n').trim();
      if (value || !opts.required) return value ? `${value}\n` : '';
      p.say('  This cannot be empty.');
      continue;
    }
    if (act === 'retype') {
      p.say(`  Type line by line; a line with only "${END_OF_TEXT}" ends it.`);
      const typed = await readLines(p);
      if (typed.join('').trim()) lines = typed;
    } else if (act === 'add') {
      p.say(`  Type the lines to add; a line with only "${END_OF_TEXT}" ends them.`);
      lines = [...lines, ...(await readLines(p))];
    } else {
      const n = await p.select<number>({
        message: act === 'change' ? 'Which line?' : 'Delete which line?',
        choices: lines.map((l, i) => ({ name: `${i + 1} │ ${l}`, value: i })),
      });
      if (act === 'delete') lines.splice(n, 1);
      else
        lines[n] = (
          await p.input({ message: `Line ${n + 1}:`, default: lines[n], editable: true })
        ).replace(/\s+$/, '');
    }
    changed = true;
  }
}

function numbered(lines: string[]): string {
  const w = String(lines.length).length;
  return lines.map((l, i) => `  ${String(i + 1).padStart(w)} │ ${l}`).join('\n');
}

/** Why the temporary folder (TMPDIR) cannot hold the editor's file, or undefined when it can. */
export function unusableTmpdir(dir = os.tmpdir()): string | undefined {
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is not a folder`;
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `${dir} ${code === 'ENOENT' ? 'does not exist' : 'cannot be written to'}`;
  }
}

/** Prompts on the real terminal. `@inquirer/prompts` is loaded only here and only when used. */
export function terminalPrompts(options: {
  env: NodeJS.ProcessEnv;
  say: (text: string) => void;
}): Prompts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const inq = require('@inquirer/prompts') as typeof import('@inquirer/prompts');
  const editorCmd = usableEditor(options.env);
  const prompts: Prompts = {
    input: (o) =>
      inq.input({
        message: o.message,
        ...(o.default !== undefined ? { default: o.default } : {}),
        required: o.required ?? false,
        ...(o.validate ? { validate: o.validate } : {}),
        ...(o.editable && o.default ? { prefill: 'editable' as const } : {}),
      }),
    text: async (o) => {
      if (!editorCmd) return typeLines(prompts, o);
      // The editor opens a temporary file: without a usable temporary folder, type instead.
      const noTmp = unusableTmpdir();
      if (noTmp) {
        options.say(
          `  (the temporary folder ${noTmp}, so ${editorCmd.split(/\s+/)[0]} cannot open; type the text instead)`,
        );
        return typeLines(prompts, o);
      }
      const value = await inq.editor({
        message: `${o.message} (opens ${editorCmd.split(/\s+/)[0]})`,
        default: o.default ?? '',
        postfix: '.md',
        validate: (v) => (o.required && !v.trim() ? 'This cannot be empty.' : true),
      });
      const t = value.trim();
      return t ? `${t}\n` : '';
    },
    select: <T>(o: { message: string; choices: Choice<T>[]; default?: T }) =>
      inq.select<T>({
        message: o.message,
        choices: o.choices.map((c) => ({
          name: c.name,
          value: c.value,
          ...(c.description ? { description: c.description } : {}),
        })),
        ...(o.default !== undefined ? { default: o.default } : {}),
        pageSize: 12,
      }),
    checkbox: <T>(o: { message: string; choices: Choice<T>[] }) =>
      inq.checkbox<T>({
        message: o.message,
        choices: o.choices.map((c) => ({
          name: c.name,
          value: c.value,
          checked: c.checked ?? false,
          ...(c.description ? { description: c.description } : {}),
        })),
        pageSize: 12,
      }),
    confirm: (o) => inq.confirm({ message: o.message, default: o.default ?? true }),
    search: <T>(o: { message: string; choices: Choice<T>[] }) =>
      inq.search<T>({
        message: o.message,
        pageSize: 12,
        source: (term) => {
          const t = (term ?? '').toLowerCase().trim();
          return o.choices
            .filter((c) => !t || c.name.toLowerCase().includes(t))
            .map((c) => ({ name: c.name, value: c.value }));
        },
      }),
    say: options.say,
  };
  return prompts;
}

/** The environment variable srq reads a key passphrase from; never a command-line argument. */
export const PASSPHRASE_ENV = 'SRQ_KEY_PASSPHRASE';

/**
 * A key passphrase: from SRQ_KEY_PASSPHRASE, else asked on the terminal with the input hidden
 * (and asked twice when `confirm`, for a new key). Without a terminal and without the variable
 * this is a usage error, never a silent empty passphrase.
 */
export async function readPassphrase(
  ctx: Pick<CliContext, 'env' | 'isTTY'>,
  options: { purpose: string; confirm?: boolean },
): Promise<string> {
  const fromEnv = ctx.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!ctx.isTTY) {
    throw new UsageError(
      `no passphrase for ${options.purpose}: set ${PASSPHRASE_ENV} (there is no terminal to ask on)`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { password } = require('@inquirer/prompts') as typeof import('@inquirer/prompts');
  // Ctrl+C here is the prompt library's ExitPromptError, handled (exit 130) at the CLI's top.
  const first = await password({ message: `Passphrase for ${options.purpose}:`, mask: '*' });
  if (!first) throw new UsageError('the passphrase is empty (type one, or set SRQ_KEY_PASSPHRASE)');
  if (options.confirm) {
    const again = await password({ message: 'Type it again:', mask: '*' });
    if (again !== first)
      throw new UsageError('the two passphrases differ (nothing was written; try again)');
  }
  return first;
}
