import v8 from 'node:v8';

/**
 * Markdown of at least this many characters is a big document: ~180 pages, as bench's
 * generated 350 principles (502,000 characters); the example statement's is ~44,000.
 */
export const BIG_DOCUMENT_CHARS = 500_000;

/** Old space grows by 25% past what a full collection keeps, not V8's default 1.5×–4×. */
export const HEAP_GROWING_PERCENT = 25;

let tightened = false;

/**
 * Before laying out a big document, tells V8 to grow the old space in small steps. NOTE: issue
 * 15: a 700-page statement's peak RSS was mostly heap V8 had grown but not yet collected (live
 * ~80 MB, peak ~310 MiB once render streamed its output); 25% took it to ~264 MiB for ~3% more
 * CPU (10%: ~258 MiB, ~15% more CPU). V8 reads the flag at every collection, so setting it at
 * run time works (unlike the young generation's size, fixed when the isolate starts). Small
 * documents never grow the heap far, and are left alone: they would only pay for more
 * collections. SRQ_HEAP_GROWTH=0 turns it off.
 */
export function tightenHeapFor(markdownChars: number): boolean {
  if (tightened || markdownChars < BIG_DOCUMENT_CHARS) return tightened;
  if (process.env.SRQ_HEAP_GROWTH === '0') return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  tightened = true;
  return true;
}
