import fs from 'node:fs';
import path from 'node:path';
import { loadCatalogue, parseCatalogue } from '../../src/catalogue';
import { jsonSchemas } from '../../src/answers/json-schema';
import { ROOT, srq, tempDir, writeFiles } from '../helpers/cli';

describe('built-in catalogues', () => {
  test('ncsc-2023 has the v2.1 principles and sub-principles in order', () => {
    const cat = loadCatalogue('ncsc-2023');
    expect(cat.meta).toMatchObject({
      id: 'ncsc-2023',
      version: '2.1',
      publisher: 'National Cyber Security Centre',
    });
    expect(cat.meta.source).toMatch(/^https:\/\//);
    expect(cat.meta.attribution).toBeTruthy();
    expect(cat.items.map((i) => i.id)).toEqual([
      '1',
      '2',
      '2.1',
      '2.2',
      '2.3',
      '2.4',
      '2.5',
      '3',
      '4',
      '5',
      '5.1',
      '5.2',
      '5.3',
      '5.4',
      '6',
      '6.1',
      '6.2',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
      '13.1',
      '13.2',
      '14',
      '14.1',
      '14.2',
    ]);
    expect(cat.byId.get('2.3')!.title).toBe('Data encryption');
    expect(cat.byId.get('6.2')!.title).toBe('Technical controls for service administration');
    expect(cat.byId.get('14.2')!.title).toBe('Help customers meet their security responsibilities');
    for (const item of cat.items) {
      const sentences = item.requirement
        .split(/[.!?](\s|$)/)
        .filter((s) => s.trim().length > 3).length;
      expect(sentences).toBeGreaterThanOrEqual(1);
      expect(sentences).toBeLessThanOrEqual(3);
    }
  });

  test('ncsc-2016 has the 2016 numbering', () => {
    const cat = loadCatalogue('ncsc-2016');
    const ids = cat.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['2.6', '9.1', '9.2']));
    expect(ids).not.toContain('6.1');
    expect(ids).not.toContain('14.1');
    expect(cat.byId.get('2.3')!.title).toBe('Data at rest protection');
    expect(cat.byId.get('5.1')!.title).toBe('Configuration and change management');
    expect(cat.byId.get('3')!.title).toBe('Separation between users');
    expect(cat.byId.get('13')!.title).toBe('Audit information for users');
  });
});

describe('catalogue files', () => {
  const good =
    'id: gcloud-14\ntitle: G-Cloud questions\nversion: "14"\nmaxWords: 50\nprinciples:\n  - id: "1"\n    title: One\n    requirement: Do one thing.\n    principles:\n      - id: "1.1"\n        title: Part\n        requirement: Do a part.\n        maxWords: 10\n';

  test('a valid catalogue file parses, with word limits', () => {
    const { value, errors } = parseCatalogue(good, 'c.yaml');
    expect(errors).toEqual([]);
    expect(value!.items.map((i) => [i.id, i.parent, i.maxWords])).toEqual([
      ['1', undefined, undefined],
      ['1.1', '1', 10],
    ]);
  });

  test('duplicate ids and misplaced sub-principles are located errors', () => {
    const bad =
      good.replace('id: "1.1"', 'id: "2.1"') +
      '  - id: "1"\n    title: Again\n    requirement: Again.\n';
    const { errors } = parseCatalogue(bad, 'c.yaml');
    expect(errors.map((e) => `${e.line}:${e.col} ${e.path} ${e.message}`)).toEqual([
      "10:13 principles.0.principles.0.id sub-principle '2.1' is not under its parent '1'",
      "14:9 principles.1.id duplicate id '1'",
    ]);
  });

  test('answers can point at a catalogue file; its word limits give warnings', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'cat.yaml': good,
      'a.yaml': [
        'framework: cat.yaml',
        'provider: {name: P}',
        'service: {name: S}',
        'tiers: [{id: t, name: T}]',
        'document: {title: D, version: "1", issued: 2026-01-01, review: 2027-01-01}',
        'signatory: {name: N, role: R}',
        'answers:',
        '  "1.1":',
        '    provider: one two three four five six seven eight nine ten eleven',
        '    tiers: {t: provider}',
      ].join('\n'),
    });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /a\.yaml:9:15: warning: answers\."1\.1"\.provider: the statement has 11 words, over the limit of 10/,
    );
  });

  test('an invalid catalogue file is reported through the answers file', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'cat.yaml': 'id: x\ntitle: X\nversion: "1"\nprinciples: []\n',
      'a.yaml': 'framework: cat.yaml\n',
    });
    const r = srq(['validate', 'a.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^a\.yaml:1:12: framework: catalogue 'cat\.yaml' is invalid: cat\.yaml:4:13: principles: a catalogue needs at least one principle/m,
    );
  });
});

test('the shipped JSON Schemas are generated from the zod schema (run `npm run schema` after changing it)', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', name), 'utf8')) as unknown;
    expect(shipped).toEqual(schema);
  }
});

test('the example files reference the schema for editors', () => {
  expect(fs.readFileSync(path.join(ROOT, 'answers/example-cloud.yaml'), 'utf8')).toMatch(
    /^# yaml-language-server: \$schema=\.\.\/schema\/answers\.schema\.json/,
  );
  expect(fs.readFileSync(path.join(ROOT, 'answers/example-customer.yaml'), 'utf8')).toMatch(
    /^# yaml-language-server: \$schema=\.\.\/schema\/customer\.schema\.json/,
  );
});
