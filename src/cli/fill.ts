import fs from 'node:fs';
/* eslint-disable @typescript-eslint/no-require-imports -- the review and prompt stacks load only when used, like the commands in index.ts */
import path from 'node:path';
import { displayPath, readAnswers } from '../answers/read';
import { looksLikeCustomerFile } from '../answers/parse';
import { CheckError, EXIT, UsageError } from '../errors';
import { readFileChecked, readTextFile, refuseInputAsOutput, writeFileAtomic } from '../fsx';
import { applyFill, planFill } from '../fill/index';
import { parseMapping, formatMapping } from '../fill/mapping';
import { formatReportCsv, summaryLines, countByStatus } from '../fill/report';
import { slug } from '../text/slug';
import { resolveModel } from '../model/resolve';
import type { ModelTier } from '../model/types';
import { openQuestionnaire } from '../office/index';
import { recordFill } from '../register';
import { closest } from '../text/suggest';
import type { CliContext } from './context';

interface Options {
  answers: string;
  tier?: string;
  map?: string;
  review?: boolean;
  output?: string;
  maxWords?: string;
  maxChars?: string;
  overwrite?: boolean;
  allowBlank?: boolean;
  buyer?: string;
  reference?: string;
  threshold?: string;
  confidence?: string;
}

/** Largest questionnaire srq fill reads: far above any real one (a 5,000-row workbook is ~1 MB). */
const MAX_QUESTIONNAIRE_BYTES = 50 * 1024 * 1024;

function positiveInt(flag: string, value: string | undefined, example: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(
      `${flag}: expected a whole number above 0, e.g. ${flag} ${example} (got '${value}')`,
    );
  }
  return Number(value);
}

function parseFraction(
  flag: string,
  value: string | undefined,
  example: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value.trim()) || n <= 0 || n >= 1) {
    throw new UsageError(
      `${flag}: expected a number between 0 and 1, e.g. ${flag} ${example} (got '${value}')`,
    );
  }
  return n;
}

async function pickTier(
  ctx: CliContext,
  tiers: ModelTier[],
  { wanted, shown }: { wanted: string | undefined; shown: string },
): Promise<ModelTier> {
  if (wanted !== undefined) {
    const t = tiers.find((x) => x.id === wanted);
    if (t) return t;
    const guess = closest(
      wanted,
      tiers.map((x) => x.id),
    );
    throw new UsageError(
      `--tier ${wanted}: ${shown} has no such tier (${guess ? `did you mean ${guess}? ` : ''}tiers: ${tiers.map((x) => x.id).join(', ')})`,
    );
  }
  if (tiers.length === 1) return tiers[0];
  if (!ctx.isTTY) {
    throw new UsageError(
      `${shown} has ${tiers.length} tiers; say which one the buyer is buying with --tier (${tiers.map((t) => `${t.id}: ${t.name}`).join('; ')})`,
    );
  }
  const { terminalPrompts } =
    require('../interview/prompts') as typeof import('../interview/prompts');
  const prompts = terminalPrompts({ env: ctx.env, say: (t) => ctx.stdout(t) });
  const id = await prompts.select({
    message: 'Which tier is the buyer buying?',
    choices: tiers.map((t) => ({ name: `${t.name} (${t.id})`, value: t.id })),
  });
  return tiers.find((t) => t.id === id)!;
}

export async function run(ctx: CliContext, questionnaire: string, opts: Options): Promise<number> {
  const maxWords = positiveInt('--max-words', opts.maxWords, '500');
  const maxChars = positiveInt('--max-chars', opts.maxChars, '2000');
  const threshold = parseFraction('--threshold', opts.threshold, '0.4');
  const confidence = parseFraction('--confidence', opts.confidence, '0.95');
  const inAbs = path.resolve(ctx.cwd, questionnaire);
  const inShown = displayPath(inAbs, ctx.cwd);
  const answersAbs = path.resolve(ctx.cwd, opts.answers);
  const answersShown = displayPath(answersAbs, ctx.cwd);
  const ext = path.extname(inAbs);
  const outAbs = opts.output
    ? path.resolve(ctx.cwd, opts.output)
    : path.join(ctx.cwd, 'output', `${path.basename(inAbs, ext)}-filled${ext}`);
  if (path.extname(outAbs).toLowerCase() !== ext.toLowerCase()) {
    throw new UsageError(
      `-o ${opts.output}: the filled file keeps the questionnaire's format; give a name ending in ${ext}`,
    );
  }
  refuseInputAsOutput(outAbs, [
    inAbs,
    answersAbs,
    opts.map ? path.resolve(ctx.cwd, opts.map) : undefined,
  ]);
  const outBase = outAbs.slice(0, outAbs.length - ext.length);
  const mapAbs = `${outBase}.map.yaml`;
  const reportAbs = `${outBase}.report.csv`;
  refuseInputAsOutput(reportAbs, [inAbs, answersAbs]);
  refuseInputAsOutput(mapAbs, [inAbs, answersAbs]);

  const inBytes = readFileChecked(inAbs, MAX_QUESTIONNAIRE_BYTES);
  const file = openQuestionnaire(inBytes, inShown);

  const answersText = readTextFile(answersAbs);
  if (looksLikeCustomerFile(answersText)) {
    throw new UsageError(
      `--answers ${answersShown}: this is a customer file; srq fill answers from the provider's answers file`,
    );
  }
  const parsed = readAnswers(answersAbs, answersText);
  if (!parsed.value)
    throw new CheckError(
      `${answersShown} has errors; fix them (srq validate ${answersShown}) and run srq fill again`,
      parsed.errors,
    );
  const model = resolveModel(parsed.value, { sourceFile: answersAbs });
  const mapping = opts.map
    ? parseMapping(
        readTextFile(path.resolve(ctx.cwd, opts.map)),
        displayPath(path.resolve(ctx.cwd, opts.map), ctx.cwd),
      )
    : undefined;
  const tier = await pickTier(ctx, model.tiers, { wanted: opts.tier, shown: answersShown });

  const plan = planFill({
    file,
    shown: inShown,
    parsed: parsed.value,
    model,
    ...(mapping ? { mapping } : {}),
    ...(threshold ? { threshold } : {}),
    ...(confidence ? { confidence } : {}),
    ...(opts.buyer ? { namespace: `buyer-${slug(opts.buyer)}` } : {}),
    ...(maxWords ? { maxWords } : {}),
    ...(maxChars ? { maxChars } : {}),
  });
  if (opts.review) {
    if (!ctx.isTTY)
      throw new UsageError(
        '--review walks the questions on a terminal; run it in one, or leave --review out and read the report',
      );
    const { reviewFill } = require('../fill/review') as typeof import('../fill/review');
    const { terminalPrompts } =
      require('../interview/prompts') as typeof import('../interview/prompts');
    await reviewFill(plan, {
      prompts: terminalPrompts({ env: ctx.env, say: (t) => ctx.stdout(t) }),
      answersFile: answersAbs,
      answersShown,
      tier,
    });
  }
  const outcome = applyFill(plan, { tier, overwrite: !!opts.overwrite });
  if (!opts.output) fs.mkdirSync(path.dirname(outAbs), { recursive: true });
  // NOTE: everything is computed before anything is written; the filled file goes first, so a
  // failure later leaves a usable result and the buyer's file is never touched.
  writeFileAtomic(outAbs, outcome.bytes);
  // The mapping is meant to be updated in place when --map names it.
  writeFileAtomic(mapAbs, formatMapping(outcome.mapping, path.basename(inAbs)), {
    replacesInput: true,
  });
  writeFileAtomic(reportAbs, formatReportCsv(outcome.rows));
  const finalAnswers = fs.readFileSync(answersAbs);
  recordFill({
    outputDir: path.resolve(ctx.cwd, 'output'),
    questionnaire: inAbs,
    questionnaireBytes: inBytes,
    output: outAbs,
    outputBytes: outcome.bytes,
    answersFile: answersAbs,
    answersText: finalAnswers,
    version: model.document.version,
    tier: tier.id,
    ...(opts.buyer ? { buyer: opts.buyer } : {}),
    ...(opts.reference ? { reference: opts.reference } : {}),
    time: ctx.now(),
  });
  const counts = countByStatus(outcome.rows);
  const lines = [
    `wrote ${displayPath(outAbs, ctx.cwd)} (tier ${tier.id}; ${outcome.edits} cell(s) written)`,
    ...summaryLines(outcome.rows),
    `report: ${displayPath(reportAbs, ctx.cwd)}; mapping: ${displayPath(mapAbs, ctx.cwd)} (give it with --map next time)`,
  ];
  if (plan.skipped.length)
    lines.push(`skipped (no question column): ${plan.skipped.map((s) => `'${s}'`).join(', ')}`);
  ctx.stdout(lines.join('\n'));
  if (counts.blank && !opts.allowBlank) {
    ctx.stderr(
      `srq: ${counts.blank} question(s) left blank (listed above and in the report); answer them in the file, add library: entries to ${answersShown}, run with --review, or pass --allow-blank`,
    );
    return EXIT.check;
  }
  return EXIT.ok;
}
