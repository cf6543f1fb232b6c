import fs from 'node:fs';
import path from 'node:path';
import { defaultTemplate } from '../document-info';
import { UsageError, type Diagnostic } from '../errors';
import { loadModel } from '../model/resolve';
import type { Model } from '../model/types';
import { defaultOutput, draftName } from '../output-names';
import { defaultConcurrency, MAX_JOBS } from './index';
import { toJobError, type JobError } from './protocol';

/**
 * Planning a batch build (`srq build a.yaml b.yaml … [--each-tier] [-o DIR]`): which documents,
 * from which models, written where. Pure apart from reading the answers files; prints nothing
 * (src/cli/batch.ts shows progress and the summary).
 */

export interface BatchOptions {
  output?: string;
  template?: string;
  templates?: string;
  tier?: string[];
  buyer?: string;
  reference?: string;
  draft?: boolean;
  eachTier?: boolean;
  jobs?: string;
}

/** One document of the batch, as planned before any is built. */
export interface PlannedDocument {
  /** The answers file as the user gave it. */
  file: string;
  abs: string;
  /** Tier ids the document covers (empty: every tier). */
  tiers: string[];
  model: Model;
  template: string;
  /** The output path as shown (relative to the working folder when given so). */
  output: string;
  outputAbs: string;
}

/** A file that could not be planned (unreadable, invalid): a failed row of the summary. */
export interface PlanFailure {
  file: string;
  tier: string;
  error: JobError;
}

export function parseJobs(value: string | undefined): number {
  if (value === undefined) return Math.min(defaultConcurrency(), MAX_JOBS);
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_JOBS) {
    throw new UsageError(
      `-j ${value}: give how many documents to build at once, a whole number from 1 to ${MAX_JOBS} (e.g. -j 4)`,
    );
  }
  return n;
}

/**
 * In a batch `-o` names a folder, where every document gets its default file name: an existing
 * folder, or a path ending in `/` (created when missing). Only a batch that turns out to hold
 * one document (--each-tier on a one-tier file) takes `-o` as that document's file.
 */
export function batchOutput(
  output: string,
  options: { cwd: string; count: number },
): { dir: string } | { file: string } {
  const { count } = options;
  const abs = path.resolve(options.cwd, output);
  const isDir = fs.existsSync(abs) && fs.statSync(abs).isDirectory();
  if (isDir || /[/\\]$/.test(output)) return { dir: output };
  if (count === 1) return { file: output };
  throw new UsageError(
    `-o ${output}: this batch writes ${count} documents, so -o must name a folder (an existing one, or end it with /, e.g. -o ${output.replace(/\.pdf$/i, '')}/)`,
  );
}

export function tierLabel(doc: { tiers: string[]; model?: Model }): string {
  if (doc.model?.customer) return doc.model.customer.tier.id;
  return doc.tiers.length ? doc.tiers.join(', ') : 'all';
}

/** Plans the documents: every file (and with --each-tier, every tier). Unreadable files become failed rows. */
export function planDocuments(
  files: string[],
  options: { cwd: string; opts: BatchOptions },
): { docs: PlannedDocument[]; failed: PlanFailure[]; diagnostics: Diagnostic[] } {
  const { cwd, opts } = options;
  const docs: PlannedDocument[] = [];
  const failed: PlanFailure[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const abs = path.resolve(cwd, file);
    const wanted = opts.tier ?? [];
    try {
      const first = loadModel(abs, wanted.length ? { tiers: wanted } : {});
      diagnostics.push(...first.warnings);
      const template = opts.template ?? defaultTemplate(first.model);
      // A customer file covers its one tier already; --each-tier splits a provider file.
      const split = opts.eachTier && first.model.kind !== 'customer';
      const variants: { tiers: string[]; model: Model }[] = split
        ? first.model.tiers.map((t) => ({
            tiers: [t.id],
            // NOTE: resolved again per tier rather than narrowed here, so the model has one maker.
            model: loadModel(abs, { tiers: [t.id] }).model,
          }))
        : [{ tiers: wanted, model: first.model }];
      for (const v of variants) {
        const output = draftName(
          defaultOutput(v.model, {
            template,
            ...(split ? { tiers: [v.tiers[0]] } : {}),
          }),
          opts.draft,
        );
        docs.push({
          file,
          abs,
          tiers: v.tiers,
          model: v.model,
          template,
          output,
          outputAbs: path.resolve(cwd, output),
        });
      }
    } catch (err) {
      failed.push({
        file,
        tier: wanted.length ? wanted.join(', ') : 'all',
        error: toJobError(err),
      });
    }
  }
  return { docs, failed, diagnostics };
}

/**
 * Refuses two documents of a batch written to one path. Run once every document has its final
 * path (after `-o DIR` placed them), so the message names the file that would be written.
 */
export function refuseCollisions(docs: PlannedDocument[]): void {
  const seen = new Map<string, PlannedDocument>();
  for (const d of docs) {
    const other = seen.get(d.outputAbs);
    if (other) {
      throw new UsageError(
        `${other.file} (${tierLabel(other)}) and ${d.file} (${tierLabel(d)}) would both write ${d.output} (build them separately with -o)`,
      );
    }
    seen.set(d.outputAbs, d);
  }
}
