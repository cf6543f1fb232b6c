import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { ROOT } from '../helpers/cli';

/**
 * No function in src/ takes more than three positional parameters (issue 12): the fourth and
 * later go into an options object. eslint.config.mjs sets the rule for `npm run lint`; this
 * runs the same rule (parsing only, no type information, so it is quick) inside `npm test`.
 * A signature someone else defines (node:fs, node-forge) is exempt line by line, with a reason.
 */

const RULE = '@typescript-eslint/max-params';

function linter(): ESLint {
  return new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { '@typescript-eslint': tseslint.plugin },
        rules: { [RULE]: ['error', { max: 3 }] },
      },
    ],
  });
}

describe('at most three positional parameters', () => {
  it('eslint.config.mjs sets the rule for src/', () => {
    const config = fs.readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8');
    expect(config).toContain(`'${RULE}': ['error', { max: 3 }]`);
  });

  it('no function in src/ has more', async () => {
    // NOTE: lintText, not lintFiles: lintFiles imports modules dynamically, which jest's VM refuses.
    const eslint = linter();
    const files = (fs.readdirSync(path.join(ROOT, 'src'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(ROOT, 'src', f));
    expect(files.length).toBeGreaterThan(100);
    const results = (
      await Promise.all(
        files.map((f) => eslint.lintText(fs.readFileSync(f, 'utf8'), { filePath: f })),
      )
    ).flat();
    const hits = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === RULE || m.fatal)
        .map((m) => `${path.relative(ROOT, r.filePath)}:${m.line}: ${m.message}`),
    );
    expect(hits).toEqual([]);
  }, 60_000);

  it('the check sees functions, methods, arrows and constructors', async () => {
    const [r] = await linter().lintText(
      [
        'export function f(a: number, b: number, c: number, d: number) { return a + b + c + d; }',
        'export const g = (a: number, b: number, c: number, d: number) => a + b + c + d;',
        'export class C { constructor(a: number, b: number, c: number, d: number) {} }',
        'export function ok(a: number, { b, c, d }: { b: number; c: number; d: number }) {',
        '  return a + b + c + d;',
        '}',
      ].join('\n'),
      { filePath: path.join(ROOT, 'src', 'probe.ts') },
    );
    expect(r.messages.filter((m) => m.ruleId === RULE).map((m) => m.line)).toEqual([1, 2, 3]);
  });
});
