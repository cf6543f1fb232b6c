import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir, writeFiles } from '../helpers/cli';
import { pdfText, squash } from '../helpers/pdf';

/** Batch builds (issue 7): several files, or one document per tier, built concurrently. */

const TIER_NAMES: Record<string, string> = {
  unmanaged: 'Unmanaged virtual servers',
  managed: 'Managed hosting',
  'fully-managed': 'Fully managed application',
};

function copyExamples(dir: string): void {
  writeFiles(dir, {
    'example-cloud.yaml': fs.readFileSync(EXAMPLE),
    // The customer file names its provider relatively: keep the pair side by side.
    'example-customer.yaml': fs.readFileSync(EXAMPLE_CUSTOMER),
  });
}

describe('srq build: batches', () => {
  test('--each-tier builds one statement per tier, each holding only its own tier', () => {
    const dir = tempDir();
    copyExamples(dir);
    const r = srq(['build', 'example-cloud.yaml', '--each-tier', '-o', 'out/', '-j', '2'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(dir, 'out')).sort();
    expect(files).toEqual(
      ['fully-managed', 'managed', 'unmanaged'].map(
        (t) => `harbourline-cloud-ltd-harbourline-hosting-platform-${t}-statement-v3-0.pdf`,
      ),
    );
    // Piped: plain progress lines, then a summary table with one row per document.
    for (const tier of Object.keys(TIER_NAMES)) {
      expect(r.stdout).toMatch(new RegExp(`^ok example-cloud\\.yaml \\(${tier}\\) → out/`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^example-cloud\\.yaml +${tier} +out/.* ok$`, 'm'));
    }
    expect(r.stdout).toMatch(/^built 3 of 3 document\(s\) in [\d.]+ s, 2 at a time$/m);
    expect(r.stdout).not.toContain('\u001b[');
    for (const [tier, name] of Object.entries(TIER_NAMES)) {
      const file = `harbourline-cloud-ltd-harbourline-hosting-platform-${tier}-statement-v3-0.pdf`;
      const text = squash(pdfText(fs.readFileSync(path.join(dir, 'out', file))).text);
      expect(text).toContain(name);
      for (const [other, otherName] of Object.entries(TIER_NAMES)) {
        if (other !== tier) expect(text).not.toContain(otherName);
      }
    }
  });

  test('one broken file is reported and the others are still built; exit 1', () => {
    const dir = tempDir();
    copyExamples(dir);
    writeFiles(dir, { 'broken.yaml': 'framework: ncsc-2023\nprovider: {name: X}\nbogus: 1\n' });
    const r = srq(
      ['build', 'example-cloud.yaml', 'broken.yaml', 'example-customer.yaml', '-o', 'out/'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAILED broken\.yaml: broken\.yaml:1:1: .* \(and 5 more\)$/m);
    expect(r.stdout).toMatch(/^broken\.yaml +all +— +— +— +FAILED$/m);
    expect(r.stdout).toMatch(/^built 2 of 3 document\(s\)/m);
    expect(r.stderr).toMatch(/^srq: 1 of 3 document\(s\) failed:$/m);
    expect(r.stderr).toMatch(/^broken\.yaml:3:1: bogus: unknown key 'bogus'/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual([
      'harbourline-cloud-ltd-harbourline-hosting-platform-statement-v3-0.pdf',
      'kelvinside-borough-council-harbourline-cloud-ltd-managed-customer-v3-0.pdf',
    ]);
  });

  test('a batch needs -o to name a folder; a single file in -o is a usage error', () => {
    const dir = tempDir();
    copyExamples(dir);
    const r = srq(['build', 'example-cloud.yaml', '--each-tier', '-o', 'one.pdf'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /-o one\.pdf: this batch writes 3 documents, so -o must name a folder/,
    );
    expect(fs.existsSync(path.join(dir, 'one.pdf'))).toBe(false);
  });

  test('batch output is the same bytes as building each document alone', () => {
    const dir = tempDir();
    copyExamples(dir);
    expect(
      srq(['build', 'example-cloud.yaml', '--each-tier', '-o', 'out/'], { cwd: dir }).code,
    ).toBe(0);
    const single = srq(['build', 'example-cloud.yaml', '--tier', 'managed', '-o', 'managed.pdf'], {
      cwd: dir,
    });
    expect(single.code).toBe(0);
    const batch = fs.readFileSync(
      path.join(
        dir,
        'out',
        'harbourline-cloud-ltd-harbourline-hosting-platform-managed-statement-v3-0.pdf',
      ),
    );
    expect(batch.equals(fs.readFileSync(path.join(dir, 'managed.pdf')))).toBe(true);
  });

  test('--sign in a batch signs every document, and each verifies', () => {
    const dir = tempDir();
    copyExamples(dir);
    const env = { SRQ_KEY_PASSPHRASE: 'batch-test-passphrase' };
    expect(srq(['keygen', '--name', 'Batch TEST', '-o', 'k.p12'], { cwd: dir, env }).code).toBe(0);
    const r = srq(
      ['build', 'example-cloud.yaml', '--each-tier', '--sign', '--key', 'k.p12', '-o', 's/'],
      { cwd: dir, env },
    );
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(dir, 's'));
    expect(files).toHaveLength(3);
    for (const f of files) {
      const v = srq(['verify', path.join('s', f), '--trust', 'k-cert.pem'], { cwd: dir });
      expect({ f, code: v.code }).toEqual({ f, code: 0 });
      expect(v.stdout).toMatch(/CN=Batch TEST: valid/);
    }
  });
});
