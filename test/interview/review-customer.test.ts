import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { YamlEditor } from '../../src/answers/edit';
import { runReview, defaultSummary } from '../../src/interview/review';
import { runCustomerInterview } from '../../src/interview/customer';
import { acquireLock, lockPath } from '../../src/lock';
import { customerItemIds } from '../../src/answers/parse';
import { isCancel } from '../../src/interview/prompts';
import {
  CTRL_C,
  ENTER,
  EXAMPLE,
  NOW,
  parsedAnswers,
  parsedCustomer,
  scripted,
  tempDir,
  type Step,
} from '../helpers/interview';

function copyExample(dir: string): string {
  const file = path.join(dir, 'example-cloud.yaml');
  fs.copyFileSync(EXAMPLE, file);
  return file;
}

describe('YamlEditor: edits in place', () => {
  test('changing one answer leaves every other byte of the file as it was', () => {
    const original = fs.readFileSync(EXAMPLE, 'utf8');
    const ed = new YamlEditor(original);
    ed.set(['answers', '3', 'summary'], 'A new summary.');
    ed.set(['answers', '3', 'provider'], 'Line one.\n\nLine two.\n');
    const text = ed.text;
    expect(
      (parse(text) as { answers: Record<string, { provider: string }> }).answers['3'].provider,
    ).toBe('Line one.\n\nLine two.\n');
    // Only lines of answer 3 differ: the folded blocks and comments elsewhere are untouched.
    const start = original.indexOf('  "3":');
    const end = original.indexOf('\n  "4":');
    expect(text.slice(0, start)).toBe(original.slice(0, start));
    expect(text.slice(text.indexOf('\n  "4":'))).toBe(original.slice(end));
  });

  test('new keys go in order, blank-line spacing is kept, deletes leave no gap, the mark is a comment', () => {
    const ed = new YamlEditor(
      '# top\nanswers:\n  "1":\n    customer: One.\n\n  "3":\n    customer: Three.\n# tail\n',
    );
    ed.set(['answers', '2'], { customer: 'Two.' }, { before: ['3'] });
    expect(ed.text).toBe(
      '# top\nanswers:\n  "1":\n    customer: One.\n\n  "2":\n    customer: Two.\n\n  "3":\n    customer: Three.\n# tail\n',
    );
    ed.setMark(['answers', '2'], true);
    expect(ed.text).toContain('\n  # srq: revisit\n  "2":');
    expect(ed.hasMark(['answers', '2'])).toBe(true);
    ed.setMark(['answers', '2'], false);
    ed.delete(['answers', '2']);
    expect(ed.text).toBe(
      '# top\nanswers:\n  "1":\n    customer: One.\n\n  "3":\n    customer: Three.\n# tail\n',
    );
    ed.prepend(['history'], { version: '1.0' });
    expect((parse(ed.text) as { history: unknown }).history).toEqual([{ version: '1.0' }]);
  });

  test('an empty flow map is replaced by a block map', () => {
    const ed = new YamlEditor('framework: ncsc-2023 # which\nanswers: {}\n');
    ed.set(['answers', '1'], { provider: 'a\nb\n', tiers: { m: 'provider' } });
    expect(ed.text).toBe(
      'framework: ncsc-2023 # which\nanswers:\n  "1":\n    provider: |\n      a\n      b\n    tiers:\n      m: provider\n',
    );
  });
});

describe('srq review', () => {
  test('--yes keeps every answer, bumps the version and dates, adds history, flags expiring evidence', async () => {
    const file = copyExample(tempDir());
    const before = fs.readFileSync(file, 'utf8');
    const res = await runReview({
      file,
      shown: 'example-cloud.yaml',
      yes: true,
      deps: { prompts: scripted([]), now: () => NOW },
    });
    expect(res).toMatchObject({
      from: '3.0',
      to: '3.1',
      issued: '2027-10-30',
      review: '2028-10-30',
      edited: [],
      removed: [],
    });
    expect(res.expiring.map((e) => e.id)).toEqual([
      'iso27001',
      'iso27017',
      'cyber-essentials-plus',
      'pen-test-2026',
      'iso22301',
    ]);
    const a = parsedAnswers(file).value!.answers;
    expect(a.document.version).toBe('3.1');
    // Each summary on its own version's row: 3.0 had none in the file; 3.1's is the review's.
    expect(a.document.history![0]).toEqual({ version: '3.0', issued: '2026-11-02' });
    expect(a.document.changes).toBe('Yearly review for 3.1: answers reviewed, no changes.');
    expect(a.document.history![1].version).toBe('2.0');
    // Everything but the document block is byte-identical, comments included.
    const after = fs.readFileSync(file, 'utf8');
    expect(after.slice(after.indexOf('signatory:'))).toBe(
      before.slice(before.indexOf('signatory:')),
    );
    expect(after.slice(0, after.indexOf('document:'))).toBe(
      before.slice(0, before.indexOf('document:')),
    );
  });

  test('keep / edit / remove, edits start from the current text, major bump, summary from the changes', async () => {
    const file = copyExample(tempDir());
    const a0 = parsedAnswers(file).value!.answers;
    const ids = parsedAnswers(file)
      .value!.catalogue.items.map((i) => i.id)
      .filter((id) => a0.answers[id]);
    const steps: Step[] = [['Your name', 'Dana Okafor']];
    for (const id of ids) {
      if (id === '1') {
        steps.push(
          ['Keep, edit or remove', 'edit'],
          ['Which part', 'statement'],
          ['How does Harbourline Cloud Ltd meet 1', 'All traffic uses TLS 1.3.'],
          ['Which part', 'done'],
          ['Approve this answer now', false],
        );
      } else if (id === '7') {
        steps.push(['Keep, edit or remove', 'remove'], ['Remove the answer to 7?', true]);
      } else steps.push(['Keep, edit or remove', ENTER]);
    }
    steps.push(['New version', 'major']);
    for (const e of a0.evidence!.filter((x) => x.expires && x.expires < '2028-10-30'))
      steps.push([`${e.name} (${e.id}) expires on`, ENTER]);
    steps.push(['Summary of the changes in 4.0', ENTER]);
    const prompts = scripted(steps);
    const res = await runReview({ file, shown: 'x.yaml', deps: { prompts, now: () => NOW } });
    expect(prompts.left()).toEqual([]);
    expect(prompts.asked.find((q) => q.kind === 'text')!.default).toBe(
      `${a0.answers['1'].provider}\n`,
    );
    expect(res).toMatchObject({ from: '3.0', to: '4.0', edited: ['1'], removed: ['7'] });
    expect(res.summary).toBe(defaultSummary('4.0', { edited: ['1'], removed: ['7'] }));
    expect(res.summary).toBe('Yearly review for 4.0: edited principle 1; removed the answer to 7.');
    const { value, warnings } = parsedAnswers(file);
    expect(value!.answers.answers['1'].provider).toBe('All traffic uses TLS 1.3.');
    expect(value!.answers.answers['1'].summary).toBe(a0.answers['1'].summary);
    expect(value!.answers.answers['7']).toBeUndefined();
    expect(warnings.some((w) => w.message.includes('principle 7'))).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server/);
  });

  test('a file with errors is refused before any question', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(EXAMPLE, 'utf8').replace('framework: ncsc-2023', 'framework: ncsc-2032'),
    );
    await expect(
      runReview({
        file,
        shown: 'bad.yaml',
        yes: true,
        deps: { prompts: scripted([]), now: () => NOW },
      }),
    ).rejects.toThrow(/bad.yaml: 1 error/);
  });
});

describe('srq customer', () => {
  test('asks only the principles the customer carries in that tier, saves a valid customer file, resumes', async () => {
    const dir = tempDir();
    const providerFile = copyExample(dir);
    fs.mkdirSync(path.join(dir, 'council'));
    const file = path.join(dir, 'council', 'acme.yaml');
    const provider = parsedAnswers(providerFile).value!;
    const needed = customerItemIds(provider.answers, 'managed', provider.catalogue);
    expect(needed.length).toBeGreaterThan(3);
    const opts = (steps: Step[]) => {
      const prompts = scripted(steps);
      return {
        prompts,
        run: runCustomerInterview({
          providerFile,
          providerShown: 'example-cloud.yaml',
          tier: 'managed',
          file,
          shown: 'council/acme.yaml',
          deps: { prompts, now: () => NOW },
        }),
      };
    };
    const first = opts([
      ['Your organisation', 'Acme Council'],
      ['Team responsible', ''],
      ['Signatory name', 'Sam Patel'],
      ['Signatory role', 'SIRO'],
      ['What now?', 'answer'],
      [`How does Acme Council meet its part of ${needed[0]}`, 'We redirect HTTP to HTTPS.'],
      ['What now?', 'skip'],
      ['What now?', 'answer'],
      [`meet its part of ${needed[2]}`, CTRL_C],
    ]);
    expect(isCancel(await first.run.catch((e: unknown) => e))).toBe(true);
    expect(first.prompts.said.join('\n')).toContain('What Harbourline Cloud Ltd expects of you:');
    let c = parsedCustomer(file);
    // The schema line, relative to the new file, so editors check it as it is typed.
    expect(fs.readFileSync(file, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/[^\n]*schema\/customer\.schema\.json\n/,
    );
    expect(c.value!.customer.provider).toBe('../example-cloud.yaml');
    expect(c.value!.customer.tier).toBe('managed');
    expect(Object.keys(c.value!.customer.answers!)).toEqual([needed[0]]);

    // Resume at the skipped one; answer everything left.
    const rest = needed.slice(1);
    const second = opts([
      ...rest.flatMap((id): Step[] => [
        ['What now?', 'answer'],
        [`meet its part of ${id}`, `Our part of ${id}.`],
      ]),
    ]);
    const res = await second.run;
    expect(second.prompts.left()).toEqual([]);
    expect(second.prompts.said.join('\n')).toContain(`Resuming at ${needed[1]}`);
    expect(res.unanswered).toEqual([]);
    c = parsedCustomer(file);
    expect(c.warnings).toEqual([]);
    // In the file's order (Object.keys would put integer-like keys first).
    const keys = [...fs.readFileSync(file, 'utf8').matchAll(/^ {2}"([\d.]+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual(needed);
  });

  test('an unknown tier is a usage error with a suggestion', async () => {
    const dir = tempDir();
    const providerFile = copyExample(dir);
    await expect(
      runCustomerInterview({
        providerFile,
        providerShown: 'p.yaml',
        tier: 'manged',
        file: path.join(dir, 'c.yaml'),
        shown: 'c.yaml',
        deps: { prompts: scripted([]), now: () => NOW },
      }),
    ).rejects.toThrow(
      "tier 'manged' is not one of p.yaml's tiers (did you mean managed? tiers are: unmanaged, managed, fully-managed)",
    );
  });
});

describe('lock', () => {
  test('a second lock on the same file is refused; a stale one is taken over; release removes it', () => {
    const file = path.join(tempDir(), 'a.yaml');
    const lock = acquireLock(file);
    expect(fs.existsSync(lockPath(file))).toBe(true);
    expect(() => acquireLock(file)).toThrow(/a.yaml is being edited by another srq \(process \d+/);
    lock.release();
    expect(fs.existsSync(lockPath(file))).toBe(false);
    // A lock left by a process that no longer runs.
    fs.writeFileSync(
      lockPath(file),
      JSON.stringify({
        pid: 2 ** 22 + 7,
        host: os.hostname(),
        started: '2027-01-01T00:00:00Z',
      }),
    );
    const again = acquireLock(file);
    expect(again.tookOver).toMatch(/took over a stale lock on .*a.yaml \(process 4194311/);
    again.release();
  });
});
