import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, srq, tempDir } from '../helpers/cli';
import { pdfText, squash } from '../helpers/pdf';
import { loadModel } from '../../src/model/resolve';

test('the overview template: a 1–2 page security overview with measures, certifications, policies and contact', () => {
  const dir = tempDir();
  // In its own folder: a build records itself in <cwd>/output/register.jsonl.
  const r = srq(['build', EXAMPLE, '--template', 'overview', '-o', 'o.pdf'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/\((1|2) pages?, \d+ KB\)/);
  const text = squash(pdfText(fs.readFileSync(path.join(dir, 'o.pdf'))).text);
  expect(text).toMatch(/Harbourline Cloud Ltd Security Overview/);
  const { model } = loadModel(EXAMPLE);
  for (const item of model.items) expect(text).toContain(squash(item.summary!));
  for (const e of model.evidence) expect(text).toContain(e.name);
  for (const p of model.policies) expect(text).toContain(p.name);
  expect(text).toContain('compliance@harbourline.example');
  expect(text).toMatch(/Page 1 of 2/);
  // A penetration test is a report, not a certification: the list and the table say both.
  expect(model.evidence.some((e) => /penetration test/i.test(e.name))).toBe(true);
  expect(text).toContain('independent certifications and reports back our controls:');
  expect(text).toContain('Certifications and reports Certification or report Issuer');
  expect(text).not.toMatch(/certifications (held|we hold)|certified .{0,40}penetration/i);
});
