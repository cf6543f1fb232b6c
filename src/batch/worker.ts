import { parentPort } from 'node:worker_threads';
import { buildDocument } from '../build-document';
import { layoutPdf } from '../pdf';
import { toJobError, type BuildReply, type BuildRequest } from './protocol';

/** A batch worker thread: builds one document per message, replies with the PDF bytes. */
const port = parentPort;
if (!port) throw new Error('src/batch/worker runs only as a worker thread');

// NOTE: a first document costs ~4x a later one (JIT, font tables parsed lazily, shaping caches).
// Laying out a small page while the main thread is still reading the answers files moves most
// of that cost off the critical path. Measured: ~4x on a cold worker without it.
const WARM_UP = [
  '# Warm-up heading',
  'A paragraph with **bold**, *italic* and `code`, long enough to wrap onto a second line of the page.',
  '- a list item',
  '| Principle | Tier |',
  '| --- | --- |',
  '| 1 Data in transit protection | Shared |',
].join('\n\n');

const ready = layoutPdf(WARM_UP, {
  info: { title: 'warm-up', author: 'srq', subject: '', keywords: '', date: new Date(0) },
  furniture: { shortTitle: 'warm-up', draft: false },
}).then(
  () => undefined,
  () => undefined,
);

port.on('message', (req: BuildRequest) => {
  void ready
    .then(() => buildDocument(req.model, req.options))
    .then(
      (r) => {
        const reply: BuildReply = {
          id: req.id,
          ok: true,
          pdf: r.pdf,
          pages: r.pages,
          warnings: r.warnings,
          ...(r.signatureRect ? { signatureRect: r.signatureRect } : {}),
        };
        port.postMessage(reply);
      },
      (err: unknown) => {
        const reply: BuildReply = { id: req.id, ok: false, error: toJobError(err) };
        port.postMessage(reply);
      },
    );
});
