import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../../src/build-document';
import { imageInfo } from '../../src/pdf/image';
import { tempDir } from '../helpers/cli';
import { testModel } from '../helpers/model';
import { xmpPacket } from '../helpers/pdf';
import { nameOf, PdfObjects, PdfRef } from '../helpers/pdf-objects';

/** The header of a baseline JPEG with `components` colour components (1 grey, 3 RGB, 4 CMYK). */
function jpegHeader(components: number): Buffer {
  const sof = [0xff, 0xc0, 0, 8 + 3 * components, 8, 0, 20, 0, 40, components];
  for (let c = 1; c <= components; c++) sof.push(c, 0x11, 0);
  return Buffer.from([0xff, 0xd8, ...sof, 0xff, 0xd9]);
}

describe('logo colour spaces: PDF/A-2 is claimed only with images it allows', () => {
  test('a CMYK JPEG is refused with a one-line error that says what to do', async () => {
    const info = imageInfo(jpegHeader(4));
    expect('error' in info && info.error).toMatch(/^a CMYK JPEG/);
    const dir = tempDir();
    const file = path.join(dir, 'logo.jpg');
    fs.writeFileSync(file, jpegHeader(4));
    const err = await buildDocument(testModel({ logo: file })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/logo\.jpg: cannot use the logo: it is a CMYK JPEG/);
    expect(message).toMatch(/save it as an RGB JPEG or a PNG\)$/);
    expect(message).not.toMatch(/\n/);
  });

  test('an RGB JPEG is embedded as DeviceRGB in a file claiming PDF/A-2 and PDF/UA-1', async () => {
    expect(imageInfo(jpegHeader(3))).toEqual({ kind: 'jpeg', width: 40, height: 20 });
    const dir = tempDir();
    const file = path.join(dir, 'logo.jpg');
    fs.writeFileSync(file, jpegHeader(3));
    const { pdf } = await buildDocument(testModel({ logo: file }));
    const objects = new PdfObjects(pdf);
    const spaces = objects
      .numbers()
      .map((n) => objects.dict(new PdfRef(n, 0)))
      .filter((d) => d && nameOf(d.Subtype) === 'Image')
      .map((d) => nameOf(d!.ColorSpace));
    expect(spaces).toEqual(['DeviceRGB']);
    const xmp = xmpPacket(pdf);
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
  });
});
