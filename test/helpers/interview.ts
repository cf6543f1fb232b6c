import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAnswers, readCustomer } from '../../src/answers/read';
import { PromptCancelled, type Choice, type Prompts } from '../../src/interview/prompts';

/**
 * Scripted prompts: each question must match the next step's pattern (so a test fails where
 * the flow and the script part ways), and gets the step's answer.
 */

/** Accept the prompt's default (Enter). */
export const ENTER = Symbol('enter');
/** Press Ctrl+C at this prompt. */
export const CTRL_C = Symbol('ctrl-c');

export type Answer = string | boolean | string[] | number | typeof ENTER | typeof CTRL_C;
export type Step = [RegExp | string, Answer];

export interface Asked {
  kind: string;
  message: string;
  default?: unknown;
  choices?: unknown[];
}

export interface Scripted extends Prompts {
  said: string[];
  asked: Asked[];
  /** Steps not used yet. */
  left(): Step[];
}

export function scripted(steps: Step[]): Scripted {
  const queue = [...steps];
  const said: string[] = [];
  const asked: Asked[] = [];
  const take = (
    kind: string,
    message: string,
    extra: Omit<Asked, 'kind' | 'message'> = {},
  ): Answer => {
    asked.push({ kind, message, ...extra });
    const step = queue.shift();
    if (!step) throw new Error(`script ran out at ${kind} "${message}"`);
    const [pattern, answer] = step;
    const ok = typeof pattern === 'string' ? message.includes(pattern) : pattern.test(message);
    if (!ok)
      throw new Error(`script expected ${String(pattern)} but the ${kind} prompt was "${message}"`);
    if (answer === CTRL_C) throw new PromptCancelled('User force closed the prompt with SIGINT');
    return answer;
  };
  const checkChoice = <T>(
    kind: string,
    message: string,
    choices: Choice<T>[],
    value: unknown,
  ): T => {
    if (!choices.some((c) => c.value === value)) {
      throw new Error(
        `${kind} "${message}": ${JSON.stringify(value)} is not a choice (${choices.map((c) => JSON.stringify(c.value)).join(', ')})`,
      );
    }
    return value as T;
  };
  return {
    said,
    asked,
    left: () => queue,
    input(o) {
      const a = take('input', o.message, { default: o.default });
      const v = a === ENTER ? (o.default ?? '') : String(a);
      if (o.required && !v.trim()) throw new Error(`input "${o.message}" is required`);
      const valid = o.validate?.(v) ?? true;
      if (valid !== true)
        throw new Error(`input "${o.message}" refused ${JSON.stringify(v)}: ${valid}`);
      return Promise.resolve(v);
    },
    text(o) {
      const a = take('text', o.message, { default: o.default });
      const v = a === ENTER ? (o.default ?? '') : String(a);
      return Promise.resolve(v.trim() ? `${v.trim()}\n` : '');
    },
    select(o) {
      const a = take('select', o.message, {
        default: o.default,
        choices: o.choices.map((c) => c.value),
      });
      return Promise.resolve(
        checkChoice('select', o.message, o.choices, a === ENTER ? o.default : a),
      );
    },
    checkbox(o) {
      const a = take('checkbox', o.message, { choices: o.choices.map((c) => c.value) });
      const v =
        a === ENTER ? o.choices.filter((c) => c.checked).map((c) => c.value) : (a as unknown[]);
      return Promise.resolve(v.map((x) => checkChoice('checkbox', o.message, o.choices, x)));
    },
    confirm(o) {
      const a = take('confirm', o.message, { default: o.default });
      return Promise.resolve(a === ENTER ? (o.default ?? true) : Boolean(a));
    },
    search(o) {
      const a = take('search', o.message, { choices: o.choices.map((c) => c.value) });
      return Promise.resolve(checkChoice('search', o.message, o.choices, a));
    },
    say(t) {
      said.push(t);
    },
  };
}

export function tempDir(prefix = 'srq-interview-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const REPO = path.resolve(__dirname, '../..');
export const EXAMPLE = path.join(REPO, 'answers/example-cloud.yaml');
export const EXAMPLE_CUSTOMER = path.join(REPO, 'answers/example-customer.yaml');
export const NOW = new Date('2027-10-30T10:00:00Z');

/** Parses a provider file with the real parser; fails the test with every error when invalid. */
export function parsedAnswers(file: string) {
  const res = readAnswers(file);
  if (!res.value)
    throw new Error(
      `${file} does not validate:\n${res.errors.map((e) => `${e.line}:${e.col} ${e.path} ${e.message}`).join('\n')}`,
    );
  return res;
}

export function parsedCustomer(file: string) {
  const res = readCustomer(file);
  if (!res.value)
    throw new Error(
      `${file} does not validate:\n${res.errors.map((e) => `${e.line}:${e.col} ${e.path} ${e.message}`).join('\n')}`,
    );
  return res;
}

/** Steps for the new-file header questions of a one-tier, one-evidence file. */
export function headerSteps(o: { provider?: string; framework?: string | null } = {}): Step[] {
  return [
    ...(o.framework === null ? [] : [['Which framework', o.framework ?? 'ncsc-2023'] as Step]),
    ['Provider (company) name', o.provider ?? 'Acme Cloud Ltd'],
    ['Team responsible', ''],
    ['Contact e-mail', 'security@acme.example'],
    ['Contact phone', ''],
    ['Postal address', ''],
    ['Service name', 'Acme Hosting'],
    ['One-sentence description', 'Virtual servers in the UK.'],
    ['Tier name', 'Managed hosting'],
    ['Tier id', ENTER],
    ['What the tier covers', ''],
    ['Tiers:', 'done'],
    ['Title', ENTER],
    ['Version', ENTER],
    ['Issue date', ENTER],
    ['Next review date', ENTER],
    ['Classification', ENTER],
    ['Signatory name', 'Jo Bloggs'],
    ['Signatory role', 'CISO'],
    ['Add an evidence item', true],
    ['Evidence name', 'ISO/IEC 27001:2022 certification'],
    ['Evidence id', 'iso27001'],
    ['Issued by', ''],
    ['reference', ''],
    ['Expiry date', '2028-01-31'],
    ['Add another evidence item', false],
  ];
}

/** Steps answering one item on a one-tier file. */
export function answerSteps(
  statement: string,
  o: { responsibility?: string; customer?: string; evidence?: string[] } = {},
): Step[] {
  return [
    ['How does', statement],
    ['One-sentence summary', ''],
    ['Assurance', 'provider-assertion'],
    ['Evidence supporting', o.evidence ?? []],
    ['Who is responsible', o.responsibility ?? 'provider'],
    ...(o.customer ? [['What must the customer do', o.customer] as Step] : []),
  ];
}
