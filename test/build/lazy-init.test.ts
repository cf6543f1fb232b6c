import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/index';
import type { CliContext } from '../../src/cli/context';
import { EXAMPLE, tempDir } from '../helpers/cli';

/**
 * One-time set-up a cold build does not pay unless the text needs it (issue 15): bidi-js (its
 * Unicode tables) and ICU grapheme segmenters are made on first use by right-to-left text or a
 * word too long for its line, not when src/pdf/bidi.ts and measure.ts load. Counted here: the
 * bidi-js factory through a mock wrapping the real one, segmenters through a counting subclass.
 */

const factoryCalls = { n: 0 };
jest.mock('bidi-js', () => {
  const real = jest.requireActual<() => unknown>('bidi-js');
  return () => {
    factoryCalls.n++;
    return real();
  };
});

const segmenters = { n: 0 };
const RealSegmenter = Intl.Segmenter;
const intl = Intl as { Segmenter: typeof Intl.Segmenter };
beforeAll(() => {
  intl.Segmenter = class extends RealSegmenter {
    constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
      super(...args);
      segmenters.n++;
    }
  };
});
afterAll(() => {
  intl.Segmenter = RealSegmenter;
});

const dir = tempDir('srq-lazy-init-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function context(): CliContext {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    cwd: dir,
    env: {},
    isTTY: false,
    colour: false,
    debug: false,
    now: () => new Date('2026-11-22T12:00:00Z'),
  };
}

test('building the example (left-to-right, no over-long word) makes neither', async () => {
  const example = path.join(dir, 'example.yaml');
  fs.copyFileSync(EXAMPLE, example);
  const code = await runCli(['build', example, '-o', path.join(dir, 'a.pdf')], context());
  expect(code).toBe(0);
  expect(fs.statSync(path.join(dir, 'a.pdf')).size).toBeGreaterThan(10000);
  expect(factoryCalls.n).toBe(0);
  expect(segmenters.n).toBe(0);
});

test('right-to-left text and an over-long word make each once, however often used', () => {
  // Loaded here, after the build above, so that test saw the modules loaded and unused.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadFonts } = require('../../src/pdf/fonts') as typeof import('../../src/pdf/fonts');
  const { breakLines } = require('../../src/pdf/measure') as typeof import('../../src/pdf/measure');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const fonts = loadFonts();
  const lines = (text: string, width: number) =>
    breakLines([{ text, font: 'regular' }], { fonts, size: 10 }, width)
      .map((l) => l.fragments.map((f) => f.text).join(''))
      .join('|');
  for (let i = 0; i < 3; i++) {
    expect(lines('שלום (עולם) and more', 300)).toContain('and more');
    expect(lines('x'.repeat(80), 100).split('|').length).toBeGreaterThan(1);
  }
  expect(factoryCalls.n).toBe(1);
  // One for long words (measure.ts), one for right-to-left words (bidi.ts), at most.
  expect(segmenters.n).toBeGreaterThanOrEqual(1);
  expect(segmenters.n).toBeLessThanOrEqual(2);
});
