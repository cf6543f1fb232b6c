/** Size and kind of a PNG or JPEG, read from its header; anything else is refused. */
export interface ImageInfo {
  kind: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Returns the image's size, or a reason it cannot be used. Pure. */
export function imageInfo(data: Uint8Array): ImageInfo | { error: string } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (buf.toString('latin1', 12, 16) !== 'IHDR')
      return { error: 'a PNG without an IHDR header (corrupt file?)' };
    const width = buf.readUInt32BE(16);
    const height = buf.readUInt32BE(20);
    if (!width || !height) return { error: 'a PNG with zero size (corrupt file?)' };
    return { kind: 'png', width, height };
  }
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
            error:
              'a CMYK JPEG, which a PDF/A document with an sRGB colour profile cannot show (save it as an RGB JPEG or a PNG)',
          };
        return { kind: 'jpeg', width, height };
      }
      i += 2 + len;
    }
    return { error: 'a JPEG without a frame header (truncated or corrupt file?)' };
  }
  return { error: 'not a PNG or JPEG image' };
}
