import zlib from 'node:zlib';

/** Size and kind of a PNG or JPEG, read from its header; anything else is refused. */
export interface ImageInfo {
  kind: 'png' | 'jpeg';
  width: number;
  height: number;
}

/**
 * An image checked the whole way (src/pdf/render.ts hands it to pdfkit). For a PNG, `pixels`
 * gives the decoded pixels from the data the check already inflated — what pdfkit's PNG decoder
 * would otherwise inflate a second time, asynchronously, for transparency or interlacing.
 */
export interface CheckedImage {
  info: ImageInfo;
  pixels?: () => Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Largest logo in pixels: 16 megapixels (4000 × 4000) is far above what a cover logo needs,
 * and keeps the decoded image (pdfkit decodes a PNG with transparency) under ~128 MB.
 */
export const MAX_LOGO_PIXELS = 16_000_000;

/** Channels per PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
/** Deflate cannot compress better than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;

function tooManyPixels(width: number, height: number): { error: string; hint: string } | undefined {
  const px = width * height;
  if (px <= MAX_LOGO_PIXELS) return undefined;
  return {
    error: `a ${width}×${height} px image (${Math.round(px / 1e6)} megapixels), over srq's ${MAX_LOGO_PIXELS / 1e6} megapixel limit for a logo`,
    hint: 'scale it down, e.g. to 1000 px wide',
  };
}

/** Adam7: seven passes over sub-grids of the image (x0, y0, dx, dy). */
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Bytes of the filtered scanlines of a PNG image: a filter byte per row, then the pixels. */
function pngRawBytes({
  width,
  height,
  bitsPerPixel,
  interlaced,
}: {
  width: number;
  height: number;
  bitsPerPixel: number;
  interlaced: boolean;
}): number {
  const rows = (w: number, h: number) => (w && h ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7)
    total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/**
 * Checks a PNG the whole way: chunk structure and checksums, a valid IHDR, the pixel count, and
 * that its image data inflates to exactly the size the header claims (so a truncated or padded
 * file is refused here, not by pdfkit's asynchronous decoder, where it would be uncaught).
 */
function checkPng(buf: Buffer): CheckedImage | { error: string; hint?: string } {
  let at = 8;
  let header:
    { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (at < buf.length) {
    if (at + 12 > buf.length) return { error: 'a truncated PNG (corrupt file?)' };
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (at + 12 + len > buf.length) return { error: 'a truncated PNG (corrupt file?)' };
    const data = buf.subarray(at + 8, at + 8 + len);
    const crc = buf.readUInt32BE(at + 8 + len);
    if (zlib.crc32(buf.subarray(at + 4, at + 8 + len)) !== crc)
      return {
        error: `a PNG with a damaged ${type.replace(/[^\x20-\x7e]/g, '?')} chunk (checksum mismatch; corrupt file?)`,
      };
    at += 12 + len;
    if (!header) {
      if (type !== 'IHDR' || len !== 13)
        return { error: 'a PNG without an IHDR header (corrupt file?)' };
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8],
        colour: data[9],
        interlace: data[12],
      };
      if (!header.width || !header.height) return { error: 'a PNG with zero size (corrupt file?)' };
      if (
        !PNG_DEPTHS[header.colour]?.includes(header.depth) ||
        data[10] !== 0 ||
        data[11] !== 0 ||
        header.interlace > 1
      )
        return { error: 'a PNG with an invalid header (corrupt file?)' };
      const big = tooManyPixels(header.width, header.height);
      if (big) return big;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!header) return { error: 'a PNG without an IHDR header (corrupt file?)' };
  if (!idat.length || !ended)
    return { error: 'a truncated PNG (no image data or no end; corrupt file?)' };
  const raw = pngRawBytes({
    width: header.width,
    height: header.height,
    bitsPerPixel: PNG_CHANNELS[header.colour] * header.depth,
    interlaced: header.interlace === 1,
  });
  const compressed = idat.reduce((n, d) => n + d.length, 0);
  if (compressed * MAX_DEFLATE_RATIO + 1024 < raw)
    return {
      error: `a PNG claiming ${header.width}×${header.height} px with far too little image data (corrupt file?)`,
    };
  let inflated: Buffer;
  try {
    inflated = zlib.inflateSync(Buffer.concat(idat, compressed), { maxOutputLength: raw + 1 });
  } catch {
    return { error: 'a PNG whose image data is damaged or truncated (corrupt file?)' };
  }
  if (inflated.length !== raw)
    return { error: 'a PNG whose image data does not match its size (truncated or corrupt file?)' };
  const { width, height, depth, colour, interlace } = header;
  const bits = PNG_CHANNELS[colour] * depth;
  if (interlace === 1 && bits < 8)
    return {
      error: `an interlaced PNG with ${bits} bit(s) per pixel, which srq cannot embed`,
      hint: 'save it without interlacing, or with 8 bits per channel',
    };
  const geometry = { width, height, bitsPerPixel: bits, interlaced: interlace === 1 };
  if (!filtersValid(inflated, geometry))
    return { error: 'a PNG with an unknown row filter (corrupt file?)' };
  const filtered = inflated;
  let pixels: Uint8Array | undefined;
  return {
    info: { kind: 'png', width, height },
    pixels: () => (pixels ??= unfilterPng(filtered, geometry)),
  };
}

/** What undoing a PNG's filters needs to know of the image. */
interface PngGeometry {
  width: number;
  height: number;
  bitsPerPixel: number;
  interlaced: boolean;
}

/** Whether every scanline of a PNG's inflated image data starts with a known filter type (0-4). */
function filtersValid(raw: Uint8Array, png: PngGeometry): boolean {
  const { width, height, bitsPerPixel, interlaced } = png;
  let pos = 0;
  for (const [x0, y0, dx, dy] of interlaced ? ADAM7 : [[0, 0, 1, 1]]) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (!w || !h) continue;
    const rowBytes = Math.ceil((w * bitsPerPixel) / 8);
    for (let r = 0; r < h; r++, pos += 1 + rowBytes) if (raw[pos] > 4) return false;
  }
  return true;
}

/**
 * The pixels of a PNG's inflated image data: each scanline's filter undone and, for an
 * interlaced image, the seven passes put together; one byte per pixel for fewer than 8 bits
 * (palette indices or grey levels, non-interlaced only), else the pixel's bytes in order.
 */
export function unfilterPng(raw: Uint8Array, png: PngGeometry): Uint8Array {
  const { width, height, bitsPerPixel, interlaced } = png;
  const pixelBytes = Math.max(1, bitsPerPixel >> 3);
  const out = new Uint8Array(width * height * pixelBytes);
  let pos = 0;
  const pass = ([x0, y0, dx, dy]: readonly [number, number, number, number]) => {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (!w || !h) return;
    const rowBytes = Math.ceil((w * bitsPerPixel) / 8);
    let prev = new Uint8Array(rowBytes);
    let cur = new Uint8Array(rowBytes);
    for (let r = 0; r < h; r++) {
      const filter = raw[pos++];
      for (let i = 0; i < rowBytes; i++) {
        const x = raw[pos++];
        const a = i >= pixelBytes ? cur[i - pixelBytes] : 0;
        const b = prev[i];
        const c = i >= pixelBytes ? prev[i - pixelBytes] : 0;
        let v: number;
        if (filter === 0) v = x;
        else if (filter === 1) v = x + a;
        else if (filter === 2) v = x + b;
        else if (filter === 3) v = x + ((a + b) >> 1);
        else if (filter === 4) {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        } else throw new Error(`a PNG row with an unknown filter type ${filter} (corrupt file?)`);
        cur[i] = v & 0xff;
      }
      const y = y0 + r * dy;
      if (bitsPerPixel < 8) {
        const perByte = 8 / bitsPerPixel;
        const mask = (1 << bitsPerPixel) - 1;
        for (let i = 0; i < w; i++) {
          const byte = cur[Math.floor(i / perByte)];
          const shift = 8 - bitsPerPixel * ((i % perByte) + 1);
          out[y * width + x0 + i * dx] = (byte >> shift) & mask;
        }
      } else if (dx === 1) {
        out.set(cur, y * width * pixelBytes);
      } else {
        for (let i = 0; i < w; i++) {
          const at = (y * width + x0 + i * dx) * pixelBytes;
          for (let k = 0; k < pixelBytes; k++) out[at + k] = cur[i * pixelBytes + k];
        }
      }
      [prev, cur] = [cur, prev];
    }
  };
  if (!interlaced) pass([0, 0, 1, 1]);
  else for (const p of ADAM7) pass(p);
  return out;
}

/** Returns the image's size, or a reason it cannot be used. Pure. */
export function imageInfo(data: Uint8Array): ImageInfo | { error: string; hint?: string } {
  const res = checkImage(data);
  return 'error' in res ? res : res.info;
}

/** Checks an image the whole way (a PNG's data is inflated once, here); or says why not. Pure. */
export function checkImage(data: Uint8Array): CheckedImage | { error: string; hint?: string } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return checkPng(buf);
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff)
        return { error: 'a JPEG with a broken marker structure (corrupt file?)' };
      const marker = buf[i + 1];
      const len = buf.readUInt16BE(i + 2);
      // SOF0-SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
      if (
        marker >= 0xc0 &&
        marker <= 0xcf &&
        marker !== 0xc4 &&
        marker !== 0xc8 &&
        marker !== 0xcc
      ) {
        const height = buf.readUInt16BE(i + 5);
        const width = buf.readUInt16BE(i + 7);
        if (!width || !height) return { error: 'a JPEG with zero size (corrupt file?)' };
        // NOTE: a 4-component JPEG is CMYK (or YCCK); embedded as /DeviceCMYK under the sRGB
        // output intent it breaks PDF/A-2 (6.2.4.3), and srq never claims what the file isn't.
        if (buf[i + 9] === 4)
          return {
            error: 'a CMYK JPEG, which a PDF/A document with an sRGB colour profile cannot show',
            hint: 'save it as an RGB JPEG or a PNG',
          };
        const big = tooManyPixels(width, height);
        if (big) return big;
        return { info: { kind: 'jpeg', width, height } };
      }
      i += 2 + len;
    }
    return { error: 'a JPEG without a frame header (truncated or corrupt file?)' };
  }
  return { error: 'not a PNG or JPEG image' };
}
