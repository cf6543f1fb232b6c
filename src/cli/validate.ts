import { answersSource, inspectFile, displayPath } from '../answers/read';
import type { ParsedAnswers, ParsedCustomer } from '../answers/parse';
import { EXIT, formatDiagnostic, type Diagnostic } from '../errors';
import { summaryFallbackWarnings } from '../export/words';
import type { CliContext } from './context';

interface Options {
  strict?: boolean;
  json?: boolean;
}

export async function run(ctx: CliContext, file: string, opts: Options): Promise<number> {
  const source = answersSource(file, ctx.cwd);
  const abs = source.file;
  const { customer, res } = inspectFile(abs, source.text);
  const errors: Diagnostic[] = [...res.errors];
  const warnings = [...res.warnings];
  if (!customer && res.value) {
    // The overview and word-limited exports fall back to the statement's first sentence.
    warnings.push(
      ...summaryFallbackWarnings(res.value as ParsedAnswers, res.map ? { map: res.map } : {}),
    );
  }
  if (opts.strict) errors.push(...warnings.map((w) => ({ ...w, severity: 'error' as const })));
  const shown = displayPath(abs, ctx.cwd);
  let counts: Record<string, number> | undefined;
  if (res.value) {
    if (!customer) {
      const { answers, catalogue } = res.value as ParsedAnswers;
      const ids = Object.keys(answers.answers);
      counts = {
        principles: ids.filter((id) => !catalogue.byId.get(id)?.parent).length,
        subPrinciples: ids.filter((id) => catalogue.byId.get(id)?.parent).length,
        tiers: answers.tiers.length,
        evidence: answers.evidence?.length ?? 0,
      };
    } else {
      counts = {
        answers: Object.keys((res.value as ParsedCustomer).customer.answers ?? {}).length,
      };
    }
  }
  if (opts.json) {
    ctx.stdout(
      JSON.stringify(
        {
          file: shown,
          kind: customer ? 'customer' : 'provider',
          valid: errors.length === 0,
          counts,
          errors,
          warnings: opts.strict ? [] : warnings,
        },
        null,
        2,
      ),
    );
    return errors.length ? EXIT.check : EXIT.ok;
  }
  for (const d of errors) ctx.stderr(formatDiagnostic(d));
  if (!opts.strict) for (const w of warnings) ctx.stderr(formatDiagnostic(w));
  if (errors.length) {
    ctx.stderr(
      `${shown}: ${errors.length} error(s), ${opts.strict ? 0 : warnings.length} warning(s)`,
    );
    return EXIT.check;
  }
  const c = counts!;
  ctx.stdout(
    customer
      ? `${shown}: valid customer file: ${c.answers} answer(s), ${warnings.length} warning(s)`
      : `${shown}: valid: ${c.principles} principle(s) and ${c.subPrinciples} sub-principle(s) answered, ${c.tiers} tier(s), ${c.evidence} evidence item(s), ${warnings.length} warning(s)`,
  );
  return EXIT.ok;
}
