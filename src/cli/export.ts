import { withSuffix } from '../text/output-name';
import path from 'node:path';
import { answersSource, displayPath } from '../answers/read';
import { EXIT, formatDiagnostic, UsageError, type Diagnostic } from '../errors';
import { ensureDir, writeFileAtomic } from '../fsx';
import { checkOutputPath } from '../output';
import { DEFAULT_AUDIENCE, parseAudience } from '../model/audience';
import { loadModel } from '../model/resolve';
import { defaultTemplate, documentDate } from '../document-info';
import {
  EXPORT_FORMATS,
  EXTENSION,
  exportModel,
  isDocumentFormat,
  isTextFormat,
  type ExportFormat,
} from '../export';
import { applyWordLimits } from '../export/words';
import { formatPath } from '../yaml/source-map';
import { defaultOutput } from '../output-names';
import { templateDir, templateSetWarnings } from '../render';
import type { CliContext } from './context';

interface Options {
  format: string;
  output?: string;
  tier?: string[];
  maxWords?: string;
  template?: string;
  templates?: string;
  frontMatter?: string[];
  audience?: string;
}

/** `--front-matter KEY=VALUE` pairs, checked. */
function parseFrontMatter(values: string[] | undefined): [string, string][] {
  return (values ?? []).map((pair) => {
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(pair);
    if (!m) {
      throw new UsageError(
        `--front-matter ${pair}: expected KEY=VALUE with a key of letters, digits, - and _ (e.g. --front-matter nav_order=3)`,
      );
    }
    return [m[1], m[2]];
  });
}

function parseMaxWords(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(
      `--max-words: expected a whole number above 0, e.g. --max-words 250 (got '${value}')`,
    );
  }
  return Number(value);
}

export async function run(ctx: CliContext, file: string, opts: Options): Promise<number> {
  const format = opts.format as ExportFormat;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${opts.format}: use one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const maxWords = parseMaxWords(opts.maxWords);
  const frontMatter = parseFrontMatter(opts.frontMatter);
  if (frontMatter.length && format !== 'md') {
    throw new UsageError(
      `--front-matter: only the md format has front matter (got --format ${format})`,
    );
  }
  if ((opts.template || opts.templates) && !isDocumentFormat(format)) {
    throw new UsageError(
      `--template${opts.templates ? 's' : ''}: ${format} is a data format that no template makes; use it with --format md, html or docx`,
    );
  }
  const toStdout = opts.output === '-';
  if (toStdout && !isTextFormat(format)) {
    throw new UsageError(`-o -: ${format} is a binary format; give a file name instead`);
  }
  const source = answersSource(file, ctx.cwd);
  const abs = source.file;
  const shown = displayPath(abs, ctx.cwd);
  const audience = parseAudience(opts.audience) ?? DEFAULT_AUDIENCE;
  const { model: full } = loadModel(abs, {
    tiers: opts.tier ?? [],
    audience,
    ...(source.text !== undefined ? { text: source.text } : {}),
  });
  const warnings: Diagnostic[] = [];
  for (const id of full.unanswered) {
    warnings.push({
      severity: 'warning',
      file: shown,
      path: formatPath(['answers', id]),
      message: `principle ${id} is not answered; the export marks it "Not answered"`,
      hint: `add an answer under answers: "${id}"`,
    });
  }
  const limited = applyWordLimits(full, { maxWords, file: shown });
  warnings.push(...limited.warnings);

  const template = opts.template ?? defaultTemplate(full);
  const templatesDir = opts.templates ? path.resolve(ctx.cwd, opts.templates) : undefined;
  // Checked before anything is read or written, as build does.
  if (isDocumentFormat(format)) templateDir(template, templatesDir);
  const templateWarnings = isDocumentFormat(format)
    ? templateSetWarnings(template, templatesDir)
    : [];
  const content = await exportModel(limited.model, {
    format,
    template,
    ...(templatesDir ? { templatesDir } : {}),
    ...documentDate(full),
    ...(frontMatter.length ? { frontMatter } : {}),
  });
  // Not the full final answers: a name of its own, so it never replaces the full export.
  const exportName = (name: string) => {
    let n = full.unanswered.length ? withSuffix(name, 'draft') : name;
    if (maxWords !== undefined) n = withSuffix(n, `max${maxWords}words`);
    return n;
  };
  let out: string | undefined;
  if (toStdout) {
    ctx.stdout(typeof content === 'string' ? content : content.toString('utf8'));
  } else {
    out = opts.output
      ? path.resolve(ctx.cwd, opts.output)
      : path.join(
          ctx.cwd,
          exportName(
            defaultOutput(full, {
              ext: EXTENSION[format],
              ...(isDocumentFormat(format) ? { template } : {}),
              ...(opts.tier?.length ? { tiers: opts.tier } : {}),
            }),
          ),
        );
    checkOutputPath(out, {
      inputs: [abs],
      signed: 'never',
      hint: 'choose a file path with -o, or -o - for standard output',
    });
    if (!opts.output) ensureDir(path.dirname(out));
    writeFileAtomic(out, content);
  }

  for (const w of warnings) ctx.stderr(formatDiagnostic(w));
  for (const w of templateWarnings) ctx.stderr(`srq: warning: ${w}`);
  const notes: string[] = [];
  if (limited.substituted.length) {
    const ids = limited.substituted.map((s) => s.id);
    notes.push(
      `used the summary for ${ids.length} answer(s) over the word limit: ${ids.join(', ')}`,
    );
  }
  const stillOver = limited.warnings.length;
  if (stillOver) notes.push(`${stillOver} text(s) still over the word limit (see warnings)`);
  const summary = `${format}: ${full.items.length} item(s) × ${full.tiers.length} tier(s)`;
  const line = out
    ? `wrote ${displayPath(out, ctx.cwd)} (${summary})`
    : `exported ${shown} (${summary})`;
  if (toStdout) {
    for (const n of notes) ctx.stderr(`srq: ${n}`);
  } else {
    ctx.stdout([line, ...notes.map((n) => `  ${n}`)].join('\n'));
  }
  return EXIT.ok;
}
