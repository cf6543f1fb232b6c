import fs from 'node:fs';
import { EXAMPLE, srq, tempDir, writeFiles } from '../helpers/cli';

// Issue 17: a user fixes a file in one round. Reference errors (an unknown evidence id, tier or
// principle) are listed together with the schema errors elsewhere in the same file, sorted by line,
// and a reference to a tier or evidence item whose own entry is malformed is not a second error.

const example = fs.readFileSync(EXAMPLE, 'utf8');

function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}

function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

describe('validate lists every problem at once', () => {
  // Two shape errors: a misspelt key and a value outside its list. Two reference errors in answers
  // whose own shape is right: an unknown evidence id and an unknown tier key.
  let text = edit(example, '  role: Head of Compliance', '  rol: Head of Compliance');
  text = edit(text, 'assurance: independent-validation', 'assurance: independant');
  text = edit(text, /( {2}"2\.1":\n(?:.*\n)*? {4}evidence: )\[iso27001\]/, '$1[iso27000]');
  text = edit(text, /( {2}"2\.2":\n(?:.*\n)*? {4}tiers:\n {6})unmanaged:/, '$1unmanagd:');

  test('schema and reference errors together, sorted by line, with paths that quote ids', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.yaml': text });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const at21 = text.indexOf('  "2.1":');
    const at22 = text.indexOf('  "2.2":');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `a.yaml:${lineOf(text, '  rol:')}:3: signatory.rol: unknown key 'rol' (did you mean 'role'?)`,
      `a.yaml:${lineOf(text, 'assurance: independant')}:16: answers."1".assurance: 'independant' is not allowed (allowed: provider-assertion, contractual-commitment, independent-validation, independent-testing, assured-design, assured-components)`,
      `a.yaml:${lineOf(text, '[iso27000]', at21)}:16: answers."2.1".evidence.0: evidence 'iso27000' is not defined (did you mean 'iso27001'?)`,
      `a.yaml:${lineOf(text, 'unmanagd:', at22)}:7: answers."2.2".tiers.unmanagd: tier 'unmanagd' is not defined (did you mean 'unmanaged'? tiers are: unmanaged, managed, fully-managed)`,
      `a.yaml: 4 error(s), 0 warning(s)`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a reference to a malformed tier or evidence entry is not reported again', () => {
    // The tier "managed" loses its name (a shape error), the evidence iso27017 gets a bad date:
    // answers naming them are still right, so the only errors are the two shape errors.
    let t = edit(example, /( {2}- id: managed\n) {4}name: Managed hosting\n/, '$1');
    t = edit(t, /( {2}- id: iso27017\n(?:.*\n)*? {4}expires: )[0-9-]+/, '$12027-02-30');
    const dir = tempDir();
    writeFiles(dir, { 'a.yaml': t });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tiers\.1\.name: 'name' is required/);
    expect(r.stderr).toMatch(/evidence\.1\.expires: /);
    expect(r.stderr).not.toMatch(/is not defined/);
    expect(r.stderr).toMatch(/: 2 error\(s\), 0 warning\(s\)\n$/);
  });

  test('an unknown principle key is reported even when its answer is malformed', () => {
    const t = edit(example, /^ {2}"2\.3":$/m, '  "2.33":');
    const broken = edit(t, 'assurance: independent-validation', 'assurance: independant');
    const dir = tempDir();
    writeFiles(dir, { 'a.yaml': broken });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/answers\."2\.33": unknown principle '2\.33' in ncsc-2023/);
    expect(r.stderr).toMatch(/answers\."1"\.assurance: 'independant' is not allowed/);
  });
});

describe('hints quote YAML as YAML reads it', () => {
  test.each([
    ['version: "3.0"', 'version: 3.10', 'document.version', 'put it in quotes: version: "3.10"'],
    ['  name: Catriona Baird', '  name: true', 'signatory.name', 'put it in quotes: name: "true"'],
  ])('%s → %s', (from, to, where, hint) => {
    const dir = tempDir();
    writeFiles(dir, { 'a.yaml': edit(example, from, to) });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${where}: expected text`);
    expect(r.stderr).toContain(`(${hint})`);
  });

  test('a missing tier answer hints the YAML line with the key spelt correctly', () => {
    const t = edit(example, /( {2}"2\.2":\n(?:.*\n)*? {4}tiers:\n) {6}unmanaged: provider\n/, '$1');
    const dir = tempDir();
    writeFiles(dir, { 'a.yaml': t });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `answers."2.2".tiers: no answer for tier 'unmanaged' (add \`unmanaged: provider\``,
    );
  });
});
