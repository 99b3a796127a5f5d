import { crc32, deflateSync } from 'node:zlib';
import { create } from 'qrcode';

/** Pixels per module, and the standard quiet zone in modules around the code. */
const SCALE = 8;
const MARGIN = 4;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG QR code holding exactly `content` (the check-in code). Error correction M survives a
 * scratched phone screen or a crumpled print-out; scale 8 with the standard 4-module quiet zone
 * gives about 300 px, sharp when shown at 240 px.
 *
 * The image is the one qrcode's PNG renderer draws (same modules, same pixels, black on white),
 * written as a 1-bit greyscale PNG instead of 32-bit RGBA: the renderer filled, filtered and
 * deflated ~350 KB of pixels per code, most of the rendering time of an email burst; here one
 * module is one byte of a row and each row is deflated as ~40 bytes.
 */
export function qrCodePng(content: string): Promise<Buffer> {
  const { modules } = create(content, { errorCorrectionLevel: 'M' });
  const width = (modules.size + 2 * MARGIN) * SCALE;
  const rowBytes = 1 + Math.ceil(width / 8); // the filter byte (0: none), then 1 bit a pixel
  const raw = Buffer.alloc(rowBytes * width);
  // One pixel row per module row, repeated SCALE times (filter byte 0: none).
  for (let my = -MARGIN; my < modules.size + MARGIN; my++) {
    const row = Buffer.alloc(rowBytes);
    for (let x = 0; x < width; x++) {
      const mx = Math.floor(x / SCALE) - MARGIN;
      const dark =
        my >= 0 && my < modules.size && mx >= 0 && mx < modules.size && modules.get(my, mx);
      // Greyscale 1 bit: 1 is white, 0 black; the first pixel is the byte's high bit.
      if (!dark) row[1 + (x >> 3)] |= 0x80 >> (x & 7);
    }
    const first = (my + MARGIN) * SCALE;
    for (let y = first; y < first + SCALE; y++) row.copy(raw, y * rowBytes);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // colour type: greyscale
  // compression, filter and interlace methods: 0 (deflate, adaptive, none)
  return Promise.resolve(
    Buffer.concat([
      PNG_SIGNATURE,
      chunk('IHDR', header),
      // zlib's default level: level 9 took half as long again for a file no smaller (~290 bytes).
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}
