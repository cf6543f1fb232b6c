/**
 * Bytes appended to one buffer that doubles when full: strings as their characters' low bytes
 * (latin1, pdfkit's `fromBinaryString`), byte arrays as they are. It holds the file pdfkit writes
 * (render.ts) and each page's content stream while it is drawn (draw-text.ts).
 * NOTE: issue 15: pdfkit turns every token and operator into its own small buffer (~150,000
 * tokens for 700 pages, an array of them kept alive until the end), and strings built up and
 * joined to be converted at the end cost a 700-page document ~10%.
 */
export class ByteBuffer {
  buf: Buffer;
  length = 0;

  /** `buf`: a buffer to start in (its contents are written over). */
  constructor(buf: Buffer = Buffer.allocUnsafe(64 * 1024)) {
    this.buf = buf;
  }

  /** Appends the characters of `s` from `from` to `to`. */
  range(s: string, from: number, to: number): void {
    const n = to - from;
    this.room(n);
    const buf = this.buf;
    let at = this.length;
    // NOTE: most strings here are a few characters ("/Type", "0 R", a word's glyph codes): copied
    // here, not by a call into C++ each.
    if (n < 64) for (let i = from; i < to; i++) buf[at++] = s.charCodeAt(i);
    else at += buf.write(from === 0 && to === s.length ? s : s.slice(from, to), at, 'latin1');
    this.length = at;
  }

  /** Appends `s`. */
  text(s: string): void {
    this.range(s, 0, s.length);
  }

  /** Appends `s` and a line feed; returns how many bytes that was. */
  line(s: string): number {
    this.range(s, 0, s.length);
    this.room(1);
    this.buf[this.length++] = 0x0a;
    return s.length + 1;
  }

  /** Appends the bytes; returns how many. */
  bytes(b: Uint8Array): number {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return b.length;
  }

  /** The bytes written so far (a view, not a copy). */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}
