import fs from 'node:fs';
import path from 'node:path';
import { YamlEditor } from '../../src/answers/edit';
import { runInterview } from '../../src/interview/provider';
import { runReview } from '../../src/interview/review';
import { today } from '../../src/today';
import { srq } from '../helpers/cli';
import {
  ENTER,
  EXAMPLE,
  NOW,
  parsedAnswers,
  scripted,
  tempDir,
  type Step,
} from '../helpers/interview';

// Issue 18: the interview and `srq review` ask who reviewed an answer and offer to approve it,
// writing the same fields `srq approve` writes, so `srq validate`/`status` accept the approvals.

const DAY = today(NOW);

function copyExample(edit?: (ed: YamlEditor) => void): string {
  const dir = tempDir();
  const file = path.join(dir, 'answers.yaml');
  const ed = new YamlEditor(fs.readFileSync(EXAMPLE, 'utf8'), 'answers.yaml');
  edit?.(ed);
  fs.writeFileSync(file, ed.text);
  return file;
}

/** `srq approve` of the same ids on a copy: the digests the CLI itself would write. */
function digestsByApproveCommand(file: string, ids: string[]): Record<string, string> {
  const dir = tempDir();
  const copy = path.join(dir, 'copy.yaml');
  fs.copyFileSync(file, copy);
  const r = srq(['approve', 'copy.yaml', ...ids, '--by', 'Someone', '--all'], { cwd: dir });
  expect(r.code).toBe(0);
  const a = parsedAnswers(copy).value!.answers;
  return Object.fromEntries(ids.map((id) => [id, a.answers[id].approved!.digest!]));
}

function validateWarnings(file: string): string {
  const r = srq(['validate', path.basename(file)], { cwd: path.dirname(file) });
  expect(r.code).toBe(0);
  return r.stderr;
}

describe('srq review asks who reviewed and offers to approve', () => {
  test('keep records the reviewer; keep-and-approve and an approved edit seal the answer', async () => {
    const file = copyExample((ed) => ed.delete(['answers', '1', 'approved']));
    const a0 = parsedAnswers(file).value!.answers;
    const ids = parsedAnswers(file)
      .value!.catalogue.items.map((i) => i.id)
      .filter((id) => a0.answers[id]);
    const steps: Step[] = [['Your name', 'Dana Okafor']];
    for (const id of ids) {
      if (id === '1') steps.push(['Keep, edit or remove', 'approve']);
      else if (id === '2.1') {
        steps.push(
          ['Keep, edit or remove', 'edit'],
          ['Which part', 'summary'],
          ['One-sentence summary', 'Customer data never leaves our two UK sites.'],
          ['Which part', 'done'],
          ['Approve this answer now, as Dana Okafor?', true],
        );
      } else if (id === '2.3') {
        steps.push(
          ['Keep, edit or remove', 'edit'],
          ['Which part', 'summary'],
          ['One-sentence summary', 'Stored data is encrypted with AES-256.'],
          ['Which part', 'done'],
          ['Approve this answer now', false],
        );
      } else steps.push(['Keep, edit or remove', 'keep']);
    }
    steps.push(['New version', 'minor']);
    for (const e of a0.evidence!.filter((x) => x.expires && x.expires < '2028-10-30'))
      steps.push([`(${e.id}) expires on`, ENTER]);
    steps.push(['Summary of the changes in 3.1', ENTER]);
    const prompts = scripted(steps);
    await runReview({ file, shown: 'answers.yaml', deps: { prompts, now: () => NOW } });
    expect(prompts.left()).toEqual([]);
    // The name offered is the last reviewer's in the file.
    expect(prompts.asked[0].default).toBe('Catriona Baird');
    expect(prompts.said.join('\n')).toContain('needs every answer approved before the statement');

    const a = parsedAnswers(file).value!.answers;
    for (const id of ids) expect(a.answers[id].reviewed).toEqual({ by: 'Dana Okafor', on: DAY });
    const cli = digestsByApproveCommand(file, ['1', '2.1']);
    expect(a.answers['1'].approved).toEqual({ by: 'Dana Okafor', on: DAY, digest: cli['1'] });
    expect(a.answers['2.1'].approved).toEqual({ by: 'Dana Okafor', on: DAY, digest: cli['2.1'] });
    // Kept answers keep their earlier approval; the edit not approved is void, and says so.
    expect(a.answers['2.2'].approved!.by).toBe('Catriona Baird');
    const warnings = validateWarnings(file);
    expect(warnings).toMatch(/answers\."2\.3"\.approved: the approval .* is void/);
    expect(warnings).not.toMatch(/answers\."(1|2\.1|2\.2)"\.approved/);
  });

  test('--by names the reviewer without asking', async () => {
    const file = copyExample();
    const a0 = parsedAnswers(file).value!.answers;
    const prompts = scripted([
      ...Object.keys(a0.answers).map((): Step => ['Keep, edit or remove', 'keep']),
      ['New version', 'minor'],
      ...a0
        .evidence!.filter((x) => x.expires && x.expires < '2028-10-30')
        .map((e): Step => [`(${e.id}) expires on`, ENTER]),
      ['Summary of the changes in 3.1', ENTER],
    ]);
    await runReview({
      file,
      shown: 'answers.yaml',
      reviewer: 'Sam Lee',
      deps: { prompts, now: () => NOW },
    });
    expect(prompts.left()).toEqual([]);
    expect(prompts.asked.some((q) => q.message.startsWith('Your name'))).toBe(false);
    expect(parsedAnswers(file).value!.answers.answers['1'].reviewed!.by).toBe('Sam Lee');
  });
});

describe('the interview approves answers', () => {
  test('on a complete file: "Approve answers…" lists the unapproved and changed ones', async () => {
    const file = copyExample((ed) => {
      ed.delete(['answers', '4', 'approved']);
      ed.set(['answers', '3', 'summary'], 'Customers are kept apart by hardware virtualisation.');
    });
    const prompts = scripted([
      ['What would you like to do?', 'approve'],
      ['Approve which answers?', ENTER],
      ['Approved by', ENTER],
      ['What would you like to do?', 'finish'],
    ]);
    await runInterview({ file, shown: 'answers.yaml', deps: { prompts, now: () => NOW } });
    expect(prompts.left()).toEqual([]);
    expect(prompts.asked[1].choices).toEqual(['3', '4']);
    expect(prompts.asked[2].default).toBe('Catriona Baird');
    const a = parsedAnswers(file).value!.answers;
    const cli = digestsByApproveCommand(file, ['3', '4']);
    for (const id of ['3', '4']) {
      expect(a.answers[id].approved).toEqual({ by: 'Catriona Baird', on: DAY, digest: cli[id] });
    }
    expect(validateWarnings(file)).not.toMatch(/\.approved: /);
  });

  test('walking the answers: "Approve the answer and go on"', async () => {
    const file = copyExample((ed) => ed.delete(['answers', '1', 'approved']));
    const prompts = scripted([
      ['What would you like to do?', 'walk'],
      ['What now?', 'approve'],
      ['Approved by', 'Dana Okafor'],
      ['What now?', 'stop'],
    ]);
    const res = await runInterview({
      file,
      shown: 'answers.yaml',
      deps: { prompts, now: () => NOW },
    });
    expect(res.stopped).toBe(true);
    const a = parsedAnswers(file).value!.answers;
    expect(a.answers['1'].approved).toEqual({
      by: 'Dana Okafor',
      on: DAY,
      digest: digestsByApproveCommand(file, ['1'])['1'],
    });
    expect(a.answers['1'].reviewed).toEqual({ by: 'Dana Okafor', on: DAY });
  });
});
