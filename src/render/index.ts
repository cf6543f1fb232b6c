import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { CheckError, IoError, SrqError, UsageError } from '../errors';
import { readTextFile, shownPath } from '../fsx';
import type { Model } from '../model/types';
import { TEMPLATES_DIR } from '../paths';
import { registerHelpers } from './helpers';
import { customerView, type CustomerExtras } from './customer';
import { statementView } from './view';
import { overviewView } from './overview';

export { statementView, shortTitle, type StatementView, type RenderExtras } from './view';
export {
  customerView,
  type CustomerExtras,
  type CustomerView,
  type CustomerItemView,
  type CustomerPrincipleView,
} from './customer';
export { formatDate, formatMonth, RESPONSIBILITY_LABELS, ASSURANCE_LABELS } from './helpers';
export { mdText } from './markdown-escape';
export { overviewView, type OverviewView } from './overview';

/** The main template of a set; every other `*.md.hbs` in the folder is a partial by its name. */
export const MAIN_TEMPLATE = 'document.md.hbs';

export interface RenderOptions extends CustomerExtras {
  /** Template set name, a folder under the templates directory. */
  template: string;
  /** A user's templates folder (same layout as the built-in one). */
  templatesDir?: string;
}

type Compiled = Handlebars.TemplateDelegate;
const compiledCache = new Map<string, { env: typeof Handlebars; main: Compiled }>();

/** A Handlebars error (several lines, no file) as one line naming the template file and line. */
function templateError(file: string, err: unknown): CheckError {
  const e = err as { message?: unknown; lineNumber?: unknown };
  const message = String(e?.message ?? err);
  const line =
    typeof e?.lineNumber === 'number'
      ? e.lineNumber
      : Number(/^Parse error on line (\d+)/.exec(message)?.[1]);
  const what = message.startsWith('Parse error')
    ? `syntax error: ${message.split('\n').pop() ?? ''}`
    : `error: ${message.split('\n')[0]}`;
  return new CheckError(
    `${shownPath(file)}${line ? `:${line}` : ''}: template ${what} (fix the template, or build without --templates to use the built-in ones)`,
    [],
    { cause: err },
  );
}

function loadTemplateSet(dir: string): { env: typeof Handlebars; main: Compiled } {
  const hit = compiledCache.get(dir);
  if (hit) return hit;
  const env = Handlebars.create();
  registerHelpers(env);
  // NOTE: noEscape because the output is Markdown, not HTML: the view model escapes plain values
  // for Markdown itself (view.ts), and HTML-escaping would print `&amp;` literally.
  const compileOpts: CompileOptions = { noEscape: true };
  // NOTE: Handlebars compiles on first call, so syntax errors, unknown helpers and missing partials
  // all surface while rendering; the wrapper names the file they came from.
  const compile = (file: string): Compiled => {
    const abs = path.join(dir, file);
    const tpl = env.compile(readTextFile(abs), compileOpts);
    return (context: unknown, opts?: Handlebars.RuntimeOptions) => {
      try {
        return tpl(context, opts);
      } catch (err) {
        throw err instanceof SrqError ? err : templateError(abs, err);
      }
    };
  };
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.md.hbs') || file === MAIN_TEMPLATE) continue;
    env.registerPartial(file.slice(0, -'.md.hbs'.length), compile(file));
  }
  const main = compile(MAIN_TEMPLATE);
  const set = { env, main };
  compiledCache.set(dir, set);
  return set;
}

const VERSION_LINE = /\{\{!--\s*srq-template:\s*([a-z0-9_-]+)\s+(\d+)\s*--\}\}/i;

/** A template file's version line (`{{!-- srq-template: statement 2 --}}`), if it has one. */
export function templateVersion(text: string): { set: string; version: number } | undefined {
  const m = VERSION_LINE.exec(text);
  return m ? { set: m[1], version: Number(m[2]) } : undefined;
}

/**
 * What is out of date in a user's copy of a built-in template set: each file whose version is
 * older than the built-in file's (or that has lost its version line). One line each, for the
 * caller to print; none for the built-in templates or for a set srq does not ship.
 */
export function templateSetWarnings(template: string, templatesDir?: string): string[] {
  const builtIn = path.join(TEMPLATES_DIR, template);
  if (!templatesDir || !fs.existsSync(builtIn)) return [];
  const dir = templateDir(template, templatesDir);
  if (path.resolve(dir) === path.resolve(builtIn)) return [];
  const warnings: string[] = [];
  for (const file of fs.readdirSync(builtIn).sort()) {
    if (!file.endsWith('.md.hbs')) continue;
    const mine = path.join(dir, file);
    if (!fs.existsSync(mine)) continue;
    const want = templateVersion(readTextFile(path.join(builtIn, file)));
    if (!want) continue;
    const have = templateVersion(readTextFile(mine));
    const shown = shownPath(mine);
    const update = `compare it with srq's templates/${template}/${file}, bring your copy up to date and set its first line to {{!-- srq-template: ${want.set} ${want.version} --}}`;
    if (!have) {
      warnings.push(
        `${shown}: no srq-template version line, so srq cannot tell whether it is current (${update})`,
      );
    } else if (have.version < want.version) {
      warnings.push(
        `${shown}: template version ${have.version} is older than srq's version ${want.version}; it still builds, but misses what changed since (${update})`,
      );
    }
  }
  return warnings;
}

/** The folder of a template set, checked. */
export function templateDir(template: string, templatesDir?: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(template)) {
    throw new UsageError(
      `--template ${template}: template names use letters, digits, - and _ (e.g. statement)`,
    );
  }
  const base = templatesDir ?? TEMPLATES_DIR;
  const dir = path.join(base, template);
  if (!fs.existsSync(path.join(dir, MAIN_TEMPLATE))) {
    const baseStat = fs.statSync(base, { throwIfNoEntry: false });
    if (!baseStat)
      throw new IoError(`${shownPath(base)}: no such templates folder (check --templates)`);
    if (!baseStat.isDirectory()) {
      throw new IoError(
        `${shownPath(base)}: not a folder (--templates takes a folder of template sets, e.g. a copy of templates/)`,
      );
    }
    const available = fs
      .readdirSync(base)
      .filter((d) => fs.existsSync(path.join(base, d, MAIN_TEMPLATE)));
    throw new UsageError(
      `template '${template}' not found in ${shownPath(base)} (expected ${path.join(template, MAIN_TEMPLATE)}; available: ${available.join(', ') || 'none'})`,
    );
  }
  return dir;
}

/**
 * Renders a model to Markdown with a template set. Answer text is inserted as data, never
 * compiled, so `{{x}}` in an answer prints literally.
 */
export function renderDocument(model: Model, options: RenderOptions): string {
  const dir = templateDir(options.template, options.templatesDir);
  const { main } = loadTemplateSet(dir);
  // A customer model gets the customer view, a superset of the statement's: any template renders it.
  const base =
    model.kind === 'customer' ? customerView(model, options) : statementView(model, options);
  // The overview's measures, certifications and policies are there for every template set,
  // so a user's own templates can use them too.
  const view = { ...base, ...overviewView(model) };
  return main(view).replace(/\n{3,}/g, '\n\n');
}
