import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'srq.js');
export const EXAMPLE = path.join(ROOT, 'answers', 'example-cloud.yaml');
export const EXAMPLE_CUSTOMER = path.join(ROOT, 'answers', 'example-customer.yaml');
/** The third-party Azure fixture (MIT, Microsoft; its notice in the folder's LICENSE): test data only. */
export const AZURE = path.join(ROOT, 'test', 'fixtures', 'azure-ncsc-2016');
/** `test` when the Azure fixture is present, `test.skip` (reported as skipped) otherwise. */
export const withAzure = fs.existsSync(path.join(AZURE, 'answers.yaml')) ? test : test.skip;
/** `describe` when the Azure fixture is present, `describe.skip` otherwise. */
export const describeAzure = fs.existsSync(path.join(AZURE, 'answers.yaml'))
  ? describe
  : describe.skip;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The project's own register: a test must never write there (it is the user's record). */
const PROJECT_REGISTER = path.join(ROOT, 'output', 'register.jsonl');
export const registerState = () =>
  fs.existsSync(PROJECT_REGISTER) ? fs.statSync(PROJECT_REGISTER).size : -1;

/**
 * Runs the real built CLI (`node bin/srq.js`) with a pinned clock and no terminal. Fails the
 * test when the run wrote into the project's output/register.jsonl (run builds in a tempDir).
 */
export function srq(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): CliResult {
  const register = registerState();
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      SRQ_NOW: '2026-11-22T12:00:00Z',
      NO_COLOR: '1',
      ...options.env,
    },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (registerState() !== register) {
    throw new Error(
      `srq ${args.join(' ')} wrote into the project's ${path.relative(ROOT, PROJECT_REGISTER)}; run it with { cwd: tempDir() }`,
    );
  }
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A fresh temporary folder, removed by the caller's afterAll if wanted. */
export function tempDir(prefix = 'srq-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files into a folder: `{ 'a.yaml': '...' }`. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}
