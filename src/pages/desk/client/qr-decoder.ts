import jsQR from 'jsqr';

/** A frame's pixels as a canvas's ImageData holds them: RGBA, row by row. */
export interface QrFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * jsQR's decoder on one camera frame, for browsers without the BarcodeDetector API (Firefox,
 * Safari, desktop Chromium on Linux and Windows). Null when the frame holds no readable code.
 * No DOM types here, so that qr-decoder.spec.ts can run it in Node on the emails' own images.
 *
 * Not ZXing: on clean renderings of 300 random check-in codes (the QR our emails carry),
 * @zxing/library 0.21.3 failed 18 (checksum, format and not-found errors, whatever the
 * binarizer) and jsQR none; a code it cannot read stays unreadable frame after frame.
 */
export function decodeQrFrame(frame: QrFrame): string | null {
  return (
    jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data ?? null
  );
}
