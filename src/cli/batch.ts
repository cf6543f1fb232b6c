import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import {
  buildConcurrently,
  startWorkers,
  toJobError,
  type BuildJob,
  type BuiltDocument,
  type JobError,
} from '../batch';
import {
  batchOutput,
  parseJobs,
  planDocuments,
  tierLabel,
  type BatchOptions,
  type PlannedDocument,
} from '../batch/plan';
import type { BuildOptions } from '../build-document';
import { EXIT, formatDiagnostic } from '../errors';
import { ensureDir, writeFileAtomic } from '../fsx';
import { documentDate } from '../document-info';
import type { CliContext } from './context';

/**
 * `srq build a.yaml b.yaml … [--each-tier] [-j N]`: several documents built concurrently, with a
 * progress display on a terminal, a summary table, and every failure listed without stopping
 * the rest. Exit 1 when any document failed.
 */

/**
 * What the single-document path does around a build, for the batch to do too. Each may throw
 * an SrqError: that document fails, the others go on.
 */
export interface BatchHooks {
  /** Before building (e.g. refuse to overwrite a signed PDF); returns extra build options. */
  prepare?: (doc: PlannedDocument) => Partial<BuildOptions> | undefined;
  /** After building, before writing (e.g. sign); returns the bytes to write. */
  finish?: (doc: PlannedDocument, built: BuiltDocument) => Promise<Buffer>;
  /** After writing (e.g. the issued-documents register). */
  written?: (doc: PlannedDocument, pdf: Buffer) => void;
}

interface Row {
  file: string;
  tier: string;
  output?: string;
  pages?: number;
  bytes?: number;
  error?: JobError;
  warnings: string[];
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

function rowLabel(row: Row): string {
  return row.tier === 'all' ? row.file : `${row.file} (${row.tier})`;
}

/** The live display: finished documents scroll by, one status line is redrawn below them. */
class Progress {
  private statusShown = false;
  private readonly running = new Set<string>();
  private done = 0;
  private failed = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: CliContext,
    private readonly total: number,
    private readonly jobs: number,
  ) {
    if (ctx.colour) {
      this.timer = setInterval(() => this.status(), 1000);
      this.timer.unref();
    }
  }

  private colour(code: string, s: string): string {
    return this.ctx.colour ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

  private status(): void {
    if (!this.ctx.colour) return;
    const secs = Math.round((Date.now() - this.started) / 1000);
    const names = [...this.running].join(', ');
    const line = `${this.colour('2', `[${this.done}/${this.total}]`)} building ${names || '…'} ${this.colour('2', `· ${secs}s · -j ${this.jobs}`)}`;
    const width = process.stdout.columns || 100;
    this.ctx.stdout(
      `${this.statusShown ? '\x1b[1A\x1b[2K' : ''}${line.length > width + 20 ? line.slice(0, width + 16) + '…' : line}`,
    );
    this.statusShown = true;
  }

  private print(line: string): void {
    this.ctx.stdout(`${this.statusShown ? '\x1b[1A\x1b[2K' : ''}${line}`);
    this.statusShown = false;
  }

  start(label: string): void {
    this.running.add(label);
    this.status();
  }

  finish(label: string, row: Row): void {
    this.running.delete(label);
    this.done++;
    if (row.error) {
      this.failed++;
      this.print(
        `${this.colour('31', this.ctx.colour ? '✗' : 'FAILED')} ${label}: ${failureLine(row.error)}`,
      );
    } else {
      this.print(
        `${this.colour('32', this.ctx.colour ? '✓' : 'ok')} ${label} → ${row.output} (${row.pages} pages, ${formatSize(row.bytes ?? 0)})`,
      );
    }
    this.status();
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.statusShown) this.ctx.stdout('\x1b[1A\x1b[2K\x1b[1A');
    this.statusShown = false;
  }
}

function summaryTable(rows: Row[], colour: boolean): string {
  const header = ['file', 'tier', 'output', 'pages', 'size', 'status'];
  const cells = rows.map((r) => [
    r.file,
    r.tier,
    r.output ?? '—',
    r.pages === undefined ? '—' : String(r.pages),
    r.bytes === undefined ? '—' : formatSize(r.bytes),
    r.error ? 'FAILED' : r.warnings.length ? `ok, ${r.warnings.length} warning(s)` : 'ok',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const right = new Set([3, 4]);
  const line = (row: string[]) =>
    row
      .map((v, c) => (right.has(c) ? v.padStart(widths[c]) : v.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const paint = (s: string, failed: boolean) =>
    colour ? `\x1b[${failed ? '31' : '32'}m${s}\x1b[0m` : s;
  return [
    colour ? `\x1b[1m${line(header)}\x1b[0m` : line(header),
    ...cells.map((row, i) => {
      const text = line(row);
      if (!colour) return text;
      const status = row[5];
      return text.slice(0, text.length - status.length) + paint(status, Boolean(rows[i].error));
    }),
  ].join('\n');
}

/** Diagnostics listed per failed file; the rest are one `srq validate` away. */
const MAX_DIAGNOSTICS = 10;

/** The one line a failure gets in the progress display: its first located error when it has one. */
function failureLine(e: JobError): string {
  const errors = e.diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return e.message.split('\n')[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${formatDiagnostic(errors[0])}${more}`;
}

function reportFailure(ctx: CliContext, row: Row): void {
  const e = row.error!;
  const shown = e.diagnostics.slice(0, MAX_DIAGNOSTICS);
  for (const d of shown) ctx.stderr(formatDiagnostic(d));
  if (e.diagnostics.length > shown.length) {
    ctx.stderr(`… and ${e.diagnostics.length - shown.length} more (run srq validate ${row.file})`);
  }
  // Messages from the answers reader name the file already.
  const label = e.message.startsWith(`${row.file}:`) ? '' : `${rowLabel(row)}: `;
  if (e.internal) {
    ctx.stderr(
      `srq: ${label}internal error: ${e.message} (run with --debug for details and report it)`,
    );
  } else {
    ctx.stderr(`srq: ${label}${e.message}`);
  }
  if (ctx.debug && e.stack) ctx.stderr(e.stack);
}

/** Runs a batch build. Resolves to the exit code: 0 when every document was written, 1 otherwise. */
export async function runBatch(
  ctx: CliContext,
  batch: { files: string[]; opts: BatchOptions; hooks?: BatchHooks },
): Promise<number> {
  const { files, opts, hooks = {} } = batch;
  const jobs = parseJobs(opts.jobs);
  // A file name given to -o with several answers files is refused before anything is read.
  if (opts.output !== undefined && files.length > 1) {
    batchOutput(opts.output, { cwd: ctx.cwd, count: files.length });
  }
  // Threads start warming up while the files are read; at least one document per file.
  const workers = startWorkers(Math.min(jobs, files.length * (opts.eachTier ? 2 : 1)));
  try {
    return await planAndBuild(ctx, { files, opts, hooks, pool: { jobs, workers } });
  } finally {
    // Stops workers a usage error left unused; those the pool used are stopped already.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function planAndBuild(
  ctx: CliContext,
  batch: {
    files: string[];
    opts: BatchOptions;
    hooks: BatchHooks;
    pool: { jobs: number; workers: Worker[] };
  },
): Promise<number> {
  const { files, opts, hooks } = batch;
  const { jobs, workers } = batch.pool;
  const { docs, failed: unplanned, diagnostics } = planDocuments(files, { cwd: ctx.cwd, opts });
  const failed: Row[] = unplanned.map((f) => ({ ...f, warnings: [] }));
  if (opts.output !== undefined) {
    const o = batchOutput(opts.output, { cwd: ctx.cwd, count: docs.length + failed.length });
    for (const d of docs) {
      d.output = 'dir' in o ? path.join(o.dir, path.basename(d.output)) : o.file;
      d.outputAbs = path.resolve(ctx.cwd, d.output);
    }
  }

  const rows: Row[] = [...failed];
  const queue: { doc: PlannedDocument; row: Row; job: BuildJob }[] = [];
  const refused: Row[] = [];
  for (const doc of docs) {
    const row: Row = { file: doc.file, tier: tierLabel(doc), warnings: [] };
    rows.push(row);
    try {
      const extra = hooks.prepare?.(doc) ?? {};
      const options: BuildOptions = {
        template: doc.template,
        ...(opts.templates ? { templatesDir: path.resolve(ctx.cwd, opts.templates) } : {}),
        ...(opts.buyer ? { buyer: opts.buyer } : {}),
        ...(opts.reference ? { reference: opts.reference } : {}),
        ...(opts.draft ? { draft: true } : {}),
        ...documentDate(doc.model, ctx.now()),
        ...extra,
      };
      queue.push({ doc, row, job: { model: doc.model, options } });
    } catch (err) {
      row.error = toJobError(err);
      refused.push(row);
    }
  }

  const slots = Math.min(jobs, Math.max(1, queue.length));
  const progress = new Progress(ctx, rows.length, slots);
  for (const r of [...failed, ...refused]) progress.finish(rowLabel(r), r);
  const started = Date.now();
  await buildConcurrently(
    queue.map((q) => q.job),
    {
      concurrency: slots,
      workers,
      onStart: (i) => progress.start(rowLabel(queue[i].row)),
      onDone: async (i, outcome) => {
        const { doc, row } = queue[i];
        if (!outcome.ok) {
          row.error = outcome.error;
        } else {
          try {
            const pdf = hooks.finish ? await hooks.finish(doc, outcome.doc) : outcome.doc.pdf;
            ensureDir(path.dirname(doc.outputAbs));
            // The PDF and its register line are one outcome: no line, no PDF.
            writeFileAtomic(doc.outputAbs, pdf, { beforeRename: () => hooks.written?.(doc, pdf) });
            row.output = doc.output;
            row.pages = outcome.doc.pages;
            row.bytes = pdf.length;
            row.warnings = outcome.doc.warnings;
          } catch (err) {
            row.error = toJobError(err);
          }
        }
        progress.finish(rowLabel(row), row);
      },
    },
  );
  progress.end();

  const bad = rows.filter((r) => r.error);
  const built = rows.length - bad.length;
  ctx.stdout('');
  ctx.stdout(summaryTable(rows, ctx.colour));
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  ctx.stdout(
    `built ${built} of ${rows.length} document(s) in ${secs} s, ${slots} at a time${opts.draft ? ' (DRAFT)' : ''}`,
  );
  for (const d of diagnostics) ctx.stderr(formatDiagnostic(d));
  for (const r of rows)
    for (const w of r.warnings) ctx.stderr(`srq: warning: ${rowLabel(r)}: ${w}`);
  if (bad.length) {
    ctx.stderr(`srq: ${bad.length} of ${rows.length} document(s) failed:`);
    for (const r of bad) reportFailure(ctx, r);
    return EXIT.check;
  }
  return EXIT.ok;
}

export type { BatchOptions, PlannedDocument } from '../batch/plan';
