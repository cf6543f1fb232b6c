import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../src/model/resolve';
import { AZURE, EXAMPLE, EXAMPLE_CUSTOMER, withAzure } from '../helpers/cli';

describe('resolveModel', () => {
  test('the example resolves to every ncsc-2023 item in catalogue order, per tier', () => {
    const { model } = loadModel(EXAMPLE);
    expect(model.kind).toBe('statement');
    expect(model.framework.id).toBe('ncsc-2023');
    expect(model.tiers.map((t) => t.id)).toEqual(['unmanaged', 'managed', 'fully-managed']);
    expect(model.unanswered).toEqual([]);
    expect(model.items.map((i) => i.id)).toEqual([
      '1',
      '2.1',
      '2.2',
      '2.3',
      '2.4',
      '2.5',
      '3',
      '4',
      '5.1',
      '5.2',
      '5.3',
      '5.4',
      '6.1',
      '6.2',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13.1',
      '13.2',
      '14.1',
      '14.2',
    ]);
    expect(model.principles).toHaveLength(14);
    expect(model.principles[1]).toMatchObject({ id: '2', answeredAs: 'parts' });
    for (const item of model.items) {
      expect(item.tiers.map((t) => t.tier.id)).toEqual(['unmanaged', 'managed', 'fully-managed']);
      for (const t of item.tiers) {
        if (t.responsibility === 'customer' || t.responsibility === 'shared')
          expect(t.customer).toBeTruthy();
      }
      expect(item.requirement.length).toBeGreaterThan(20);
    }
  });

  test('--tier narrows and orders the tiers', () => {
    const { model } = loadModel(EXAMPLE, { tiers: ['fully-managed', 'unmanaged'] });
    expect(model.tiers.map((t) => t.id)).toEqual(['fully-managed', 'unmanaged']);
    expect(model.items[0].tiers.map((t) => t.tier.id)).toEqual(['fully-managed', 'unmanaged']);
  });

  test('an unknown --tier is a usage error with the tiers listed', () => {
    expect(() => loadModel(EXAMPLE, { tiers: ['manged'] })).toThrow(
      /--tier manged: no such tier \(did you mean managed\? tiers are: unmanaged, managed, fully-managed\)/,
    );
  });

  withAzure('the Azure fixture resolves to its expected responsibilities (2016 numbering)', () => {
    const { model } = loadModel(path.join(AZURE, 'answers.yaml'));
    const rows = fs
      .readFileSync(path.join(AZURE, 'expected.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const words = (s: string | undefined, n: number) =>
      (s ?? '').trim().split(/\s+/).slice(0, n).join(' ');
    for (const [id, responsibility, providerStart, customerStart = ''] of rows) {
      const item = model.items.find((i) => i.id === id);
      expect(item).toBeDefined();
      expect(item!.tiers[0].responsibility).toBe(responsibility);
      expect(words(item!.provider, 8)).toBe(providerStart);
      expect(words(item!.tiers[0].customer, 8)).toBe(customerStart);
    }
  });

  test('the customer example resolves to the managed tier with the customer answers beside', () => {
    const { model } = loadModel(EXAMPLE_CUSTOMER);
    expect(model.kind).toBe('customer');
    expect(model.customer!.tier.id).toBe('managed');
    expect(model.tiers.map((t) => t.id)).toEqual(['managed']);
    const withAnswers = model.items.filter((i) => i.customerAnswer);
    expect(withAnswers.length).toBe(17);
    for (const i of withAnswers)
      expect(['customer', 'shared']).toContain(i.tiers[0].responsibility);
  });
});
