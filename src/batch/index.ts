import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildDocument } from '../build-document';
import type { BuildOptions } from '../build-document';
import type { Model } from '../model/types';
import { toJobError, type BuildReply, type BuiltDocument, type JobError } from './protocol';

export { toJobError, type BuiltDocument, type JobError } from './protocol';

/** One document of a batch: a model and how to build it. */
export interface BuildJob {
  model: Model;
  options: BuildOptions;
}

export type JobOutcome = { ok: true; doc: BuiltDocument } | { ok: false; error: JobError };

export interface PoolOptions {
  /** Documents built at once. 1 builds them one after another in this thread. */
  concurrency: number;
  onStart?: (index: number) => void;
  /** Called as each document finishes, in finishing order; awaited before the slot is reused. */
  onDone?: (index: number, outcome: JobOutcome) => void | Promise<void>;
  /** Workers started earlier with startWorkers (warming up meanwhile); unused ones are stopped. */
  workers?: Worker[];
}

/** Sensible upper bound for -j: every worker holds its own fonts and pdfkit state (~60 MB). */
export const MAX_JOBS = 64;

/** The default for -j: one build per CPU. */
export function defaultConcurrency(): number {
  return Math.max(1, os.availableParallelism());
}

// NOTE: the worker is the compiled dist/batch/worker.js. Under ts-jest/swc there is no .js beside
// this file, so tests run the same jobs in this thread instead.
const WORKER_FILE = path.join(__dirname, 'worker.js');

export function workersAvailable(): boolean {
  return fs.existsSync(WORKER_FILE);
}

/**
 * Starts `n` build workers now, so they load and warm up while the caller is still reading the
 * answers files. Pass them to buildConcurrently. None when threads are unavailable or n < 2.
 */
export function startWorkers(n: number): Worker[] {
  if (n < 2 || !workersAvailable()) return [];
  return Array.from({ length: n }, () => new Worker(WORKER_FILE));
}

/**
 * Builds documents concurrently in worker threads (the layout is CPU-bound, so threads rather
 * than promises), `concurrency` at a time. Never rejects for a failed document: each outcome
 * says whether it built. Resolves once every document has finished and the workers are gone.
 */
export async function buildConcurrently(
  jobs: BuildJob[],
  options: PoolOptions,
): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = new Array<JobOutcome>(jobs.length);
  const slots = Math.min(Math.max(1, options.concurrency), jobs.length);
  const spare = [...(options.workers ?? [])];
  const stopSpare = () => Promise.all(spare.splice(0).map((w) => w.terminate()));
  if (slots <= 1 || !workersAvailable()) {
    await stopSpare();
    for (let i = 0; i < jobs.length; i++) {
      options.onStart?.(i);
      // Let a progress display draw before the event loop is busy with the layout.
      await new Promise((r) => setImmediate(r));
      outcomes[i] = await buildHere(jobs[i]);
      await options.onDone?.(i, outcomes[i]);
    }
    return outcomes;
  }
  let next = 0;
  const runSlot = async (): Promise<void> => {
    let worker: Worker | undefined;
    try {
      while (next < jobs.length) {
        const i = next++;
        options.onStart?.(i);
        worker ??= spare.pop() ?? new Worker(WORKER_FILE);
        const { outcome, broken } = await buildInWorker(worker, i, jobs[i]);
        if (broken) {
          // A crashed worker (out of memory, a native fault) is replaced; the batch goes on.
          void worker.terminate();
          worker = undefined;
        }
        outcomes[i] = outcome;
        await options.onDone?.(i, outcome);
      }
    } finally {
      if (worker) await worker.terminate();
    }
  };
  const running = Array.from({ length: slots }, runSlot);
  // Workers started for documents that turned out not to exist (a file failed to read).
  await stopSpare();
  await Promise.all(running);
  return outcomes;
}

async function buildHere(job: BuildJob): Promise<JobOutcome> {
  try {
    const r = await buildDocument(job.model, job.options);
    return {
      ok: true,
      doc: {
        pdf: r.pdf,
        pages: r.pages,
        warnings: r.warnings,
        ...(r.signatureRect ? { signatureRect: r.signatureRect } : {}),
      },
    };
  } catch (err) {
    return { ok: false, error: toJobError(err) };
  }
}

function buildInWorker(
  worker: Worker,
  id: number,
  job: BuildJob,
): Promise<{ outcome: JobOutcome; broken: boolean }> {
  return new Promise((resolve) => {
    const done = (outcome: JobOutcome, broken: boolean) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve({ outcome, broken });
    };
    const onMessage = (reply: BuildReply) => {
      if (reply.id !== id) return;
      if (!reply.ok) return done({ ok: false, error: reply.error }, false);
      const pdf = Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength);
      done(
        {
          ok: true,
          doc: {
            pdf,
            pages: reply.pages,
            warnings: reply.warnings,
            ...(reply.signatureRect ? { signatureRect: reply.signatureRect } : {}),
          },
        },
        false,
      );
    };
    const onError = (err: Error) => done({ ok: false, error: toJobError(err) }, true);
    const onExit = (code: number) =>
      done(
        { ok: false, error: toJobError(new Error(`the build worker stopped (exit code ${code})`)) },
        true,
      );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, model: job.model, options: job.options });
  });
}
