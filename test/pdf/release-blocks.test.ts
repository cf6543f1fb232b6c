import v8 from 'node:v8';
import vm from 'node:vm';
import { layoutPdf } from '../../src/pdf';

/**
 * Issue 15 (peak memory of a 700-page statement): the normalised blocks are let go before the
 * render stage starts, not held by layoutPdf's frame until the file is written. Observed with a
 * weak reference to the blocks and a full garbage collection while the render is under way.
 */

const mockSeen: { blocks?: WeakRef<object>; alive?: boolean } = {};

jest.mock('../../src/pdf/normalise', () => {
  const actual =
    jest.requireActual<typeof import('../../src/pdf/normalise')>('../../src/pdf/normalise');
  return {
    ...actual,
    normaliseMarkdown: (markdown: string) => {
      const blocks = actual.normaliseMarkdown(markdown);
      mockSeen.blocks = new WeakRef(blocks);
      return blocks;
    },
  };
});

jest.mock('../../src/pdf/render', () => {
  const actual = jest.requireActual<typeof import('../../src/pdf/render')>('../../src/pdf/render');
  return {
    ...actual,
    renderPdf: async (...args: Parameters<typeof actual.renderPdf>) => {
      // Past the synchronous job that made the blocks (a WeakRef keeps its target alive until
      // then), with layoutPdf waiting on this render.
      await new Promise((resolve) => setImmediate(resolve));
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
      mockSeen.alive = mockSeen.blocks?.deref() !== undefined;
      return actual.renderPdf(...args);
    },
  };
});

test('the blocks are garbage while the document is rendered', async () => {
  const markdown = Array.from({ length: 30 }, (_, i) => `# Part ${i}\n\nParagraph ${i}.`);
  const result = await layoutPdf(markdown.join('\n\n'), {
    info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date(0) },
    furniture: { shortTitle: 't', draft: false },
  });
  expect(result.pages).toBeGreaterThan(0);
  expect(mockSeen.blocks).toBeDefined();
  expect(mockSeen.alive).toBe(false);
});
