import fs from 'node:fs';
import path from 'node:path';
import { ROOT, srq, tempDir } from '../helpers/cli';

/**
 * The README's `srq fill` walk-through is a real run: its commands, run on the example
 * questionnaire (examples/acme-questionnaire.xlsx) and answers, print exactly what it shows,
 * and the report and mapping file it shows are the ones written.
 */

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf("## Filling a buyer's questionnaire"));

/** The `npx srq …` command of a ```sh block and the `# ` lines printed under it. */
function shBlock(after: string): { args: string[]; shown: string } {
  const start = section.indexOf('```sh\n', section.indexOf(after)) + 6;
  const block = section.slice(start, section.indexOf('```', start)).trimEnd().split('\n');
  const args = block[0]
    .replace(/^npx srq /, '')
    .match(/"[^"]*"|\S+/g)!
    .map((a) => a.replace(/^"|"$/g, ''));
  return {
    args,
    shown: block
      .slice(1)
      .map((l) => l.replace(/^# ?/, ''))
      .join('\n'),
  };
}

function codeAfter(marker: string, fence: string): string {
  const start = section.indexOf(fence, section.indexOf(marker)) + fence.length;
  return section.slice(start, section.indexOf('```', start));
}

test('the first run, its report and its mapping are what the README shows', () => {
  const dir = tempDir('srq-fill-readme-');
  fs.mkdirSync(path.join(dir, 'answers'));
  fs.mkdirSync(path.join(dir, 'examples'));
  fs.copyFileSync(
    path.join(ROOT, 'answers', 'example-cloud.yaml'),
    path.join(dir, 'answers', 'example-cloud.yaml'),
  );
  fs.copyFileSync(
    path.join(ROOT, 'examples', 'acme-questionnaire.xlsx'),
    path.join(dir, 'examples', 'acme-questionnaire.xlsx'),
  );
  const { args, shown } = shBlock('This is a real run:');
  const r = srq(args, { cwd: dir });
  expect(r.code).toBe(1);
  expect(`${r.stdout}${r.stderr}`.trimEnd()).toBe(shown);
  const report = fs
    .readFileSync(path.join(dir, 'output', 'acme-questionnaire-filled.report.csv'), 'utf8')
    .replace(/^\ufeff/, '')
    .replace(/\r\n/g, '\n');
  expect(report).toBe(codeAfter('### The report and the mapping file', '```\n'));
  const mapping = fs.readFileSync(
    path.join(dir, 'output', 'acme-questionnaire-filled.map.yaml'),
    'utf8',
  );
  expect(mapping).toBe(codeAfter('records what srq inferred', '```yaml\n'));
});
