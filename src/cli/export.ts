import { withSuffix } from '../text/output-name';
import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from '../answers/read';
import { EXIT, formatDiagnostic, UsageError, type Diagnostic } from '../errors';
import { refuseInputAsOutput, writeFileAtomic } from '../fsx';
import { loadModel } from '../model/resolve';
import { EXPORT_FORMATS, EXTENSION, exportModel, isTextFormat, type ExportFormat } from '../export';
import { defaultOutputName } from '../export/labels';
import { applyWordLimits } from '../export/words';
import type { CliContext } from './context';

interface Options {
  format: string;
  output?: string;
  tier?: string[];
  maxWords?: string;
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
  const toStdout = opts.output === '-';
  if (toStdout && !isTextFormat(format)) {
    throw new UsageError(`-o -: ${format} is a binary format; give a file name instead`);
  }
  const abs = path.resolve(ctx.cwd, file);
  const shown = displayPath(abs, ctx.cwd);
  const { model: full } = loadModel(abs, { tiers: opts.tier ?? [] });
  const warnings: Diagnostic[] = [];
  for (const id of full.unanswered) {
    warnings.push({
      severity: 'warning',
      file: shown,
      path: `answers.${id}`,
      message: `principle ${id} is not answered; the export marks it "Not answered"`,
      hint: `add an answer under answers: "${id}"`,
    });
  }
  const limited = applyWordLimits(full, { maxWords, file: shown });
  warnings.push(...limited.warnings);

  const content = await exportModel(limited.model, format);
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
          'output',
          exportName(defaultOutputName(full, EXTENSION[format], opts.tier)),
        );
    refuseInputAsOutput(out, [abs]);
    if (!opts.output) fs.mkdirSync(path.dirname(out), { recursive: true });
    writeFileAtomic(out, content);
  }

  for (const w of warnings) ctx.stderr(formatDiagnostic(w));
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
