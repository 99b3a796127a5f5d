import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { qrCodePng } from '../../notifications/rendering/qr-code';
import { decodeQrFrame, type QrFrame } from './client/qr-decoder';

/**
 * The desk's fallback decoder against the QR images the confirmation emails carry. A decoder
 * that cannot read a code fails on it frame after frame, so a share of participants would be
 * stuck at the door: @zxing/library, the desk's decoder before jsQR, failed 18 of 300 clean
 * renderings of random codes (6 %; of 100, it would miss none with odds of about 1 in 500).
 * The codes here are fixed (derived from their index) and shaped as the service makes them,
 * 24 random bytes in base64url, so a failure is the same every run.
 */
const CODES = Array.from({ length: 100 }, (_, i) =>
  createHash('sha256').update(`check-in code ${i}`).digest().subarray(0, 24).toString('base64url'),
);

async function emailImage(code: string): Promise<QrFrame> {
  const png = PNG.sync.read(await qrCodePng(code));
  return { data: new Uint8ClampedArray(png.data), width: png.width, height: png.height };
}

/** The frame at half size, each pixel the mean of four: a code seen smaller, with grey edges. */
function halved(frame: QrFrame): QrFrame {
  const width = Math.floor(frame.width / 2);
  const height = Math.floor(frame.height / 2);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dx: number, dy: number) =>
          frame.data[((2 * y + dy) * frame.width + 2 * x + dx) * 4 + c];
        data[(y * width + x) * 4 + c] = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4;
      }
    }
  }
  return { data, width, height };
}

describe('the desk QR decoder', () => {
  const images = new Map<string, QrFrame>();
  beforeAll(async () => {
    for (const code of CODES) images.set(code, await emailImage(code));
  });

  it('reads every one of 100 check-in codes from the email image', () => {
    expect(CODES.filter((code) => decodeQrFrame(images.get(code)!) !== code)).toEqual([]);
  });

  it('reads them at half size too, as a camera sees a phone screen held back', () => {
    expect(CODES.filter((code) => decodeQrFrame(halved(images.get(code)!)) !== code)).toEqual([]);
  });

  it('answers null for a frame without a code', () => {
    const blank = new Uint8ClampedArray(200 * 200 * 4).fill(255);
    expect(decodeQrFrame({ data: blank, width: 200, height: 200 })).toBeNull();
  });
});
