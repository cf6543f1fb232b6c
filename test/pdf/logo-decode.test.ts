import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * A PNG logo is inflated once, by srq's check (src/pdf/image.ts), and pdfkit is handed those
 * pixels instead of decoding the file again. The pixels are checked against png-js (the decoder
 * pdfkit itself uses) as the oracle, and the embedded transparency against the generator's own.
 */

// NOTE: spied before pdfkit (and png-js, which keeps zlib.inflate when it loads) is required.
const inflate = jest.spyOn(zlib, 'inflate');
const inflateSync = jest.spyOn(zlib, 'inflateSync');

/* eslint-disable @typescript-eslint/no-require-imports */
const { unfilterPng, checkImage } =
  require('../../src/pdf/image') as typeof import('../../src/pdf/image');
const { buildDocument } =
  require('../../src/build-document') as typeof import('../../src/build-document');
const { testModel } = require('../helpers/model') as typeof import('../helpers/model');
const { tempDir } = require('../helpers/cli') as typeof import('../helpers/cli');
const { PdfObjects, PdfRef, nameOf } =
  require('../helpers/pdf-objects') as typeof import('../helpers/pdf-objects');
// png-js is pdfkit's own PNG decoder (a dependency of pdfkit).
const PNG = require('png-js') as new (data: Buffer) => {
  decodePixels: (fn: (p: Uint8Array) => void) => void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/**
 * An encoder written for the test: `pixels` (bytes per pixel as in the file, 8 or 16 bits per
 * channel) filtered row by row with random filter types, optionally Adam7-interlaced.
 */
function encodePng(
  o: { width: number; height: number; colour: number; depth: number; interlaced: boolean },
  pixels: Uint8Array,
  rand: () => number,
  extra: Buffer[] = [],
): Buffer {
  const bpp = (CHANNELS[o.colour] * o.depth) / 8;
  const rows: Buffer[] = [];
  const passes = o.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((o.width - x0) / dx);
    const h = Math.ceil((o.height - y0) / dy);
    if (!w || !h) continue;
    let prev = Buffer.alloc(w * bpp);
    for (let r = 0; r < h; r++) {
      const line = Buffer.alloc(w * bpp);
      for (let i = 0; i < w; i++) {
        const at = ((y0 + r * dy) * o.width + x0 + i * dx) * bpp;
        for (let k = 0; k < bpp; k++) line[i * bpp + k] = pixels[at + k];
      }
      const f = Math.floor(rand() * 5);
      const out = Buffer.alloc(1 + line.length);
      out[0] = f;
      for (let i = 0; i < line.length; i++) {
        const a = i >= bpp ? line[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
        out[1 + i] = (line[i] - pred) & 0xff;
      }
      rows.push(out);
      prev = line;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr[8] = o.depth;
  ihdr[9] = o.colour;
  ihdr[12] = o.interlaced ? 1 : 0;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pngJsPixels = (data: Buffer) =>
  new Promise<Uint8Array>((resolve) => new PNG(data).decodePixels(resolve));

describe('PNG logos are decoded once', () => {
  test('srq decodes the pixels exactly as pdfkit’s decoder does (seeded images, every filter)', async () => {
    const seed = 1402;
    const rand = prng(seed);
    let n = 0;
    for (const colour of [0, 2, 3, 4, 6]) {
      for (const depth of colour === 3 ? [8] : [8, 16]) {
        for (const interlaced of [false, true]) {
          for (let k = 0; k < 3; k++) {
            // NOTE: png-js misreads an interlaced image with an empty Adam7 pass (under 5×5 px):
            // 8 px and up here, while srq skips empty passes as the PNG specification says.
            const min = interlaced ? 8 : 1;
            const o = {
              width: min + Math.floor(rand() * 19),
              height: min + Math.floor(rand() * 19),
              colour,
              depth,
              interlaced,
            };
            const bpp = (CHANNELS[colour] * depth) / 8;
            const px = Uint8Array.from({ length: o.width * o.height * bpp }, () =>
              Math.floor(rand() * 256),
            );
            const extra =
              colour === 3
                ? [chunk('PLTE', Buffer.from(Array.from({ length: 768 }, (_, i) => i % 256)))]
                : [];
            const file = encodePng(o, px, rand, extra);
            const checked = checkImage(file);
            if ('error' in checked) throw new Error(`seed ${seed}: ${checked.error}`);
            const ours = checked.pixels!();
            expect({
              seed,
              o,
              same: Buffer.from(ours).equals(Buffer.from(await pngJsPixels(file))),
            }).toEqual({
              seed,
              o,
              same: true,
            });
            // And both are the pixels the encoder started from.
            expect(Buffer.from(ours).equals(Buffer.from(px))).toBe(true);
            n++;
          }
        }
      }
    }
    expect(n).toBe(54);
  });

  test('a tiny interlaced image (empty Adam7 passes) decodes to its pixels', () => {
    const rand = prng(3);
    for (const [width, height] of [
      [1, 1],
      [3, 2],
      [2, 5],
      [4, 4],
    ]) {
      const o = { width, height, colour: 6, depth: 8, interlaced: true };
      const px = Uint8Array.from({ length: width * height * 4 }, () => Math.floor(rand() * 256));
      const checked = checkImage(encodePng(o, px, rand));
      if ('error' in checked) throw new Error(checked.error);
      expect(Array.from(checked.pixels!())).toEqual(Array.from(px));
    }
  });

  test('palette images under 8 bits per pixel: one index per byte, high bits first', () => {
    // 2 bits per pixel, 5 pixels: indices 0 1 2 3 1 → 00 01 10 11 | 01 00 00 00
    const raw = Uint8Array.from([0, 0b00011011, 0b01000000]);
    expect(
      Array.from(unfilterPng(raw, { width: 5, height: 1, bitsPerPixel: 2, interlaced: false })),
    ).toEqual([0, 1, 2, 3, 1]);
  });

  test('a build with an RGBA logo inflates its data once and embeds the transparency srq decoded', async () => {
    const rand = prng(7);
    const o = { width: 24, height: 16, colour: 6, depth: 8, interlaced: false };
    const px = Uint8Array.from({ length: 24 * 16 * 4 }, () => Math.floor(rand() * 256));
    const file = encodePng(o, px, rand);
    const dir = tempDir();
    const logo = path.join(dir, 'logo.png');
    fs.writeFileSync(logo, file);
    // The compressed image data (IDAT) as the file holds it.
    const compressed = file.subarray(8 + 25 + 8, file.length - 12 - 4);
    inflate.mockClear();
    inflateSync.mockClear();
    const { pdf } = await buildDocument(testModel({ logo }));
    const ofLogo = (calls: unknown[][]) =>
      calls.filter((c) => Buffer.from(c[0] as Uint8Array).equals(compressed)).length;
    expect({ async: ofLogo(inflate.mock.calls), sync: ofLogo(inflateSync.mock.calls) }).toEqual({
      async: 0,
      sync: 1,
    });
    // The soft mask holds the alpha bytes of the generated pixels.
    const objects = new PdfObjects(pdf);
    const images = objects
      .numbers()
      .map((n) => objects.dict(new PdfRef(n, 0)))
      .filter((d) => d && nameOf(d.Subtype) === 'Image' && d.SMask);
    expect(images).toHaveLength(1);
    const alpha = objects.stream(images[0]!.SMask);
    expect(Array.from(alpha)).toEqual(Array.from(px.filter((_, i) => i % 4 === 3)));
  });
});
