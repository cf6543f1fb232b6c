import { renderDocument, mdText } from '../../src/render';
import { normaliseMarkdown } from '../../src/pdf/normalise';
import { testModel } from '../helpers/model';

describe('renderDocument (statement)', () => {
  const md = renderDocument(testModel(), {
    template: 'statement',
    buyer: 'Acme Council',
    reference: 'T-123',
  });

  test('has every section, principle and the matrix', () => {
    for (const h of [
      '# Important information',
      '# Introduction',
      '# Context',
      '# Shared responsibility',
      '# The principles',
      '# Assurance and evidence',
      '# Document control',
      '# Sign-off',
    ]) {
      expect(md).toContain(h);
    }
    expect(md).toContain('## Principle 2 — Asset protection and resilience');
    expect(md).toContain('### 2.1 Physical location and legal jurisdiction');
    expect(md).toContain('<!-- matrix -->');
    expect(md).toContain(
      '| Principle | Unmanaged virtual servers | Managed hosting | Fully managed application |',
    );
    expect(md).toMatch(/\| 1 Data in transit protection \| (Shared|Provider|Customer|N\/A) \|/);
  });

  test('cover carries buyer, reference, month and version', () => {
    expect(md).toContain('prepared-for: Prepared for Acme Council');
    expect(md).toContain('reference: Tender reference: T-123');
    expect(md).toContain('date: November 2026');
    expect(md).toContain('version: Version 3.0');
  });

  test('answer text is data: {{x}} prints literally', () => {
    const m = testModel({ provider: { '1': 'We use {{x}} and {{#each y}}z{{/each}}.' } });
    const out = renderDocument(m, { template: 'statement' });
    expect(out).toContain('We use {{x}} and {{#each y}}z{{/each}}.');
  });

  test('plain values are escaped for Markdown and round-trip through the parser', () => {
    const name = 'Smith & Sons <Ltd> *star* [x] |pipe|';
    const out = renderDocument(testModel({ providerName: name }), { template: 'statement' });
    const blocks = normaliseMarkdown(out);
    const cover = blocks.find((b) => b.kind === 'cover');
    expect(
      cover && cover.kind === 'cover' && cover.fields.provider?.map((r) => r.text).join(''),
    ).toBe(name);
    expect(mdText('1. not a list')).toBe('1\\. not a list');
  });

  test('a customer responsibility appears for each tier that carries one', () => {
    expect(md).toContain('Customer duty for 1 on unmanaged.');
    expect(md).toMatch(
      /\*Unmanaged virtual servers\* \(Shared\): Customer duty for 1 on unmanaged\./,
    );
  });

  test('a user templates folder without the template is a clear error', () => {
    expect(() =>
      renderDocument(testModel(), { template: 'statement', templatesDir: '/nonexistent' }),
    ).toThrow(/templates folder/);
    expect(() => renderDocument(testModel(), { template: '../etc' })).toThrow(/template names/);
  });
});
