import { PassThrough } from 'node:stream';
import { quietOnEpipe } from '../../src/cli/context';

/** The writer srq's stdout and stderr go through (src/cli/context.ts): fd writes, not streams. */

const errno = (code: string) => Object.assign(new Error(code), { code });

/** A write(2) that takes at most `chunk` bytes a call, and fails with `fail` after `limit` bytes. */
function fakeFd(chunk: number, fail?: { after: number; code: string }) {
  const got: Buffer[] = [];
  let total = 0;
  const write = ((fd: number, buf: Buffer, offset: number, length: number) => {
    expect(fd).toBe(1);
    if (fail && total >= fail.after) throw errno(fail.code);
    const n = Math.min(chunk, length, fail ? fail.after - total : length);
    got.push(Buffer.from(buf.subarray(offset, offset + n)));
    total += n;
    return n;
  }) as unknown as typeof import('node:fs').writeSync;
  return { write, text: () => Buffer.concat(got).toString('utf8') };
}

describe('stdout and stderr writer', () => {
  test('every byte is written, in order, when the descriptor takes a few at a time', () => {
    const fd = fakeFd(3);
    const out = quietOnEpipe(1, () => new PassThrough(), fd.write);
    out('Principle 1 — données');
    out('two\n');
    expect(fd.text()).toBe('Principle 1 — données\ntwo\n');
  });

  test('after EPIPE (the reader went away) it writes nothing more and throws nothing', () => {
    const fd = fakeFd(100, { after: 5, code: 'EPIPE' });
    let made = 0;
    const out = quietOnEpipe(
      1,
      () => {
        made++;
        return new PassThrough();
      },
      fd.write,
    );
    expect(() => out('abcdefgh')).not.toThrow();
    expect(() => out('more')).not.toThrow();
    expect(fd.text()).toBe('abcde');
    expect(made).toBe(0);
  });

  test('a full non-blocking pipe (EAGAIN) gets the rest, and all later text, through the stream', () => {
    const fd = fakeFd(4, { after: 6, code: 'EAGAIN' });
    const stream = new PassThrough();
    const out = quietOnEpipe(1, () => stream, fd.write);
    out('héllo world');
    out('next');
    const rest = (stream.read() as Buffer).toString('utf8');
    expect(fd.text() + rest).toBe('héllo world\nnext\n');
    expect(fd.text()).toBe('héllo'); // its first 6 bytes, by the descriptor
  });

  test('any other error is not swallowed', () => {
    const fd = fakeFd(100, { after: 0, code: 'EIO' });
    const out = quietOnEpipe(1, () => new PassThrough(), fd.write);
    expect(() => out('x')).toThrow('EIO');
  });
});
