import fs from 'node:fs';
import path from 'node:path';
import {
  AZURE,
  withAzure,
  EXAMPLE,
  EXAMPLE_CUSTOMER,
  ROOT,
  srq,
  tempDir,
  writeFiles,
} from '../helpers/cli';

const example = fs.readFileSync(EXAMPLE, 'utf8');

/** The example with one textual edit; fails loudly if the edit did not apply. */
function edit(from: string | RegExp, to: string, text = example): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`edit did not apply: ${String(from)}`);
  return out;
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

describe('srq validate: valid files', () => {
  test('the provider example is valid, with counts and the expiring-evidence warning', () => {
    const r = srq(['validate', 'answers/example-cloud.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /answers\/example-cloud\.yaml: valid: 9 principle\(s\) and 15 sub-principle\(s\) answered, 3 tier\(s\), 5 evidence item\(s\), 1 warning\(s\)/,
    );
    expect(r.stderr).toMatch(
      /warning: evidence\.\d\.expires: .* expires on 2027-05-20, before the review date/,
    );
  });

  test('the customer example is valid', () => {
    const r = srq(['validate', path.relative(ROOT, EXAMPLE_CUSTOMER)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid customer file: 17 answer\(s\)/);
  });

  test('--strict turns warnings into errors', () => {
    const r = srq(['validate', '--strict', 'answers/example-cloud.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 error\(s\)/);
  });

  test('--json prints the result as data', () => {
    const r = srq(['validate', '--json', 'answers/example-cloud.yaml']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      counts: Record<string, number>;
      warnings: unknown[];
    };
    expect(out.valid).toBe(true);
    expect(out.counts).toEqual({ principles: 9, subPrinciples: 15, tiers: 3, evidence: 5 });
    expect(out.warnings).toHaveLength(1);
  });

  withAzure('the third-party Azure fixture (2016 numbering) is valid', () => {
    const r = srq(['validate', path.join(AZURE, 'answers.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/11 principle\(s\) and 12 sub-principle\(s\)/);
  });

  test('an unanswered principle is a warning, and an error with --strict', () => {
    const dir = tempDir();
    const text = edit(/\n {2}"12":\n(?: {4}.*\n|\n)+?(?= {2}"13\.1":)/, '\n');
    writeFiles(dir, { 'a.yaml': text });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: answers: principle 12 \(Secure service administration\) is not answered/,
    );
    expect(srq(['validate', '--strict', 'a.yaml'], { cwd: dir }).code).toBe(1);
  });
});

interface BadCase {
  name: string;
  file: string | Buffer | null;
  extra?: Record<string, string>;
  code: number;
  /** Expected `file:line:col: path:` prefix pieces and message/hint fragments. */
  expect: RegExp[];
}

const bad: BadCase[] = [
  {
    name: 'bad YAML syntax',
    file: 'framework: ncsc-2023\nprovider: [unclosed\n',
    code: 1,
    expect: [/^a\.yaml:\d+:\d+: YAML syntax: .+\(.+\)$/m],
  },
  {
    name: 'tabs for indentation',
    file: 'framework: ncsc-2023\nprovider:\n\tname: X\n',
    code: 1,
    expect: [
      /^a\.yaml:3:1: YAML syntax: a tab is used for indentation \(indent with spaces, never tabs\)$/m,
    ],
  },
  {
    name: 'wrong type (version as a number)',
    file: edit('version: "3.0"', 'version: 3.0'),
    code: 1,
    expect: [
      new RegExp(
        `^a\\.yaml:${lineOf(example, 'version: "3.0"')}:12: document\\.version: expected text, got number '3\\.0' \\(put it in quotes: version: "3\\.0"\\)$`,
        'm',
      ),
    ],
  },
  {
    name: 'unknown key with suggestion',
    file: edit('signatory:\n  name:', 'signatory:\n  nmae:'),
    code: 1,
    expect: [/^a\.yaml:\d+:3: signatory\.nmae: unknown key 'nmae' \(did you mean 'name'\?\)$/m],
  },
  {
    name: 'unknown principle with suggestion',
    file: edit('  "2.3":', '  "2.33":'),
    code: 1,
    expect: [
      new RegExp(
        `^a\\.yaml:${lineOf(example, '  "2.3":')}:3: answers\\."2\\.33": unknown principle '2\\.33' in ncsc-2023 \\(did you mean 2\\.3\\?\\)$`,
        'm',
      ),
    ],
  },
  {
    name: 'a principle answered as a whole and per sub-principle',
    file: edit(
      '  "2.1":',
      '  "2":\n    provider: As a whole.\n    tiers: {unmanaged: provider, managed: provider, fully-managed: provider}\n  "2.1":',
    ),
    code: 1,
    expect: [
      /^a\.yaml:\d+:3: answers\."2\.1": principle 2 is answered as a whole and also per sub-principle \(2\.1\) \(keep either "2" or its sub-principles 2\.1, 2\.2, 2\.3, 2\.4, 2\.5\)$/m,
    ],
  },
  {
    name: 'unknown tier',
    file: edit(/( {6})managed: provider/, '$1manged: provider'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:7: answers\."[\d.]+"\.tiers\.manged: tier 'manged' is not defined \(did you mean 'managed'\? tiers are: unmanaged, managed, fully-managed\)$/m,
    ],
  },
  {
    name: 'missing customer text',
    file: edit(/(responsibility: shared)\n\s+customer: .*(?:\n {10,}.*)*/, '$1'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:\d+: answers\."[\d.]+"\.tiers\.[a-z-]+: responsibility is 'shared' but there is no customer text \(write what the customer must do: .+\)$/m,
    ],
  },
  {
    name: 'bad date',
    file: edit('issued: 2026-11-02', 'issued: 2026-02-30'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:11: document\.issued: not a real calendar date \(got '2026-02-30'; write e\.g\. 2026-11-22\)$/m,
    ],
  },
  {
    name: 'date in the wrong format',
    file: edit('issued: 2026-11-02', 'issued: 02/11/2026'),
    code: 1,
    expect: [/document\.issued: expected an ISO date YYYY-MM-DD/],
  },
  {
    name: 'review before issued',
    file: edit('review: 2027-11-02', 'review: 2026-01-01'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:11: document\.review: review date 2026-01-01 is not after the issue date 2026-11-02 \(set review to a later date, usually one year after issued\)$/m,
    ],
  },
  {
    name: 'unknown evidence id',
    file: edit(/evidence: \[iso27001/, 'evidence: [iso2700l'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:\d+: answers\."[\d.]+"\.evidence\.0: evidence 'iso2700l' is not defined \(did you mean 'iso27001'\?\)$/m,
    ],
  },
  {
    name: 'duplicate tier id',
    file: edit('  - id: managed', '  - id: unmanaged'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:9: tiers\.1\.id: duplicate tier id 'unmanaged' \(give every tier its own id\)$/m,
    ],
  },
  {
    name: 'empty file',
    file: '',
    code: 1,
    expect: [
      /^a\.yaml:1:1: the file is empty \(start from answers\/example-cloud\.yaml or run `srq interview`\)$/m,
    ],
  },
  {
    name: 'binary / non-UTF-8 file',
    file: Buffer.from([0x66, 0x72, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x00, 0x01]),
    code: 1,
    expect: [
      /^srq: a\.yaml:1:8: not UTF-8 text \(binary file, or another encoding; save it as UTF-8\)$/m,
    ],
  },
  {
    name: 'missing file',
    file: null,
    code: 3,
    expect: [
      /^srq: a\.yaml: no such file \(check the path; paths are relative to the current directory\)$/m,
    ],
  },
  {
    name: 'missing catalogue file',
    file: edit('framework: ncsc-2023', 'framework: catalogues/gcloud.yaml'),
    code: 1,
    expect: [
      /^a\.yaml:\d+:12: framework: catalogue file 'catalogues\/gcloud\.yaml' not found \(did you mean|^a\.yaml:\d+:12: framework: catalogue file 'catalogues\/gcloud\.yaml' not found \(use ncsc-2023 or ncsc-2016, or a path to a catalogue file relative to this file\)$/m,
    ],
  },
  {
    name: 'unknown built-in framework with suggestion',
    file: edit('framework: ncsc-2023', 'framework: ncsc-2032'),
    code: 1,
    expect: [/framework: unknown framework 'ncsc-2032' \(did you mean ncsc-2023\?\)/],
  },
  {
    name: 'responsibility misspelt',
    file: edit('responsibility: shared', 'responsibility: sharde'),
    code: 1,
    expect: [
      /tiers\.[a-z-]+\.responsibility: 'sharde' is not allowed \(did you mean 'shared'\? allowed: provider, customer, shared, not-applicable\)/,
    ],
  },
  {
    name: 'required key missing',
    file: edit(/signatory:\n {2}name: .*\n {2}role: .*\n/, ''),
    code: 1,
    expect: [
      /^a\.yaml:\d+:\d+: signatory: 'signatory' is required \(add 'signatory:' with a mapping/m,
    ],
  },
  {
    name: '__proto__ key',
    file: edit('provider:\n', 'provider:\n  __proto__: {polluted: true}\n'),
    code: 1,
    expect: [/provider\.__proto__: the key '__proto__' is not allowed/],
  },
  {
    name: 'YAML alias bomb',
    file: 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    code: 1,
    expect: [/alias/i],
  },
  {
    name: 'duplicate key',
    file: edit('signatory:\n', 'signatory:\n  role: X\n'),
    code: 1,
    expect: [
      /YAML syntax: a key appears twice in the same mapping \(remove or merge the second one\)/,
    ],
  },
];

describe('srq validate: malformed files', () => {
  const dir = tempDir();
  test.each(bad)('$name', ({ file, code, expect: patterns }) => {
    const target = path.join(dir, 'a.yaml');
    fs.rmSync(target, { force: true });
    if (file !== null) fs.writeFileSync(target, file);
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code,
      stderr: expect.any(String) as string,
    });
    for (const p of patterns) expect(r.stderr).toMatch(p);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
    expect(r.stdout).toBe('');
  });

  test('every error is reported, not just the first', () => {
    let text = edit('signatory:\n  name:', 'signatory:\n  nmae:');
    text = edit('issued: 2026-11-02', 'issued: 2026-02-30', text);
    writeFiles(dir, { 'many.yaml': text });
    const r = srq(['validate', 'many.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nmae/);
    expect(r.stderr).toMatch(/2026-02-30/);
    expect(r.stderr).toMatch(/many\.yaml: \d+ error\(s\)/);
  });

  test('--debug adds the stack trace of an I/O error', () => {
    const r = srq(['--debug', 'validate', 'nope.yaml'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('srq validate: customer files', () => {
  const dir = tempDir();
  const customer = fs.readFileSync(EXAMPLE_CUSTOMER, 'utf8');
  beforeAll(() => fs.copyFileSync(EXAMPLE, path.join(dir, 'example-cloud.yaml')));

  test('provider file missing', () => {
    writeFiles(dir, {
      'c.yaml': customer.replace('provider: example-cloud.yaml', 'provider: nowhere.yaml'),
    });
    const r = srq(['validate', 'c.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^c\.yaml:\d+:11: provider: provider file 'nowhere\.yaml' not found \(the path is relative to c\.yaml; check it\)$/m,
    );
  });

  test("tier not one of the provider's", () => {
    writeFiles(dir, { 'c.yaml': customer.replace('tier: managed', 'tier: manged') });
    const r = srq(['validate', 'c.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^c\.yaml:\d+:7: tier: tier 'manged' is not one of the provider's tiers \(did you mean 'managed'\? tiers are: unmanaged, managed, fully-managed\)$/m,
    );
  });
});

test('srq validate without an argument is a usage error (exit 2)', () => {
  const r = srq(['validate']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/missing required argument 'answers'/);
});

test('an unknown command is a usage error (exit 2)', () => {
  const r = srq(['frobnicate']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
});

test('srq --help lists every command', () => {
  const r = srq(['--help']);
  expect(r.code).toBe(0);
  for (const c of [
    'validate',
    'interview',
    'review',
    'customer',
    'build',
    'sign',
    'verify',
    'keygen',
    'diff',
    'export',
    'status',
    'register',
  ]) {
    expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  }
});

test('validate does not load the PDF stack', () => {
  const r = srq(['validate', 'answers/example-cloud.yaml'], {
    env: { NODE_OPTIONS: `--require ${path.join(ROOT, 'test', 'helpers', 'trace-requires.js')}` },
  });
  expect(r.code).toBe(0);
  const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
  expect(loaded.length).toBeGreaterThan(0);
  expect(
    loaded.filter((l) =>
      /node_modules\/(pdfkit|fontkit|node-forge|@signpdf|handlebars|marked|exceljs|docx)\//.test(l),
    ),
  ).toEqual([]);
});
