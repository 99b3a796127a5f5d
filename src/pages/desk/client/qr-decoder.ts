import jsQR from 'jsqr';

/**
 * jsQR's decoder on a canvas frame, for browsers without the BarcodeDetector API (Firefox,
 * Safari, desktop Chromium on Linux and Windows). Null when the frame holds no readable code.
 *
 * Not ZXing: on clean renderings of 300 random check-in codes (the QR our emails carry),
 * @zxing/library 0.21.3 failed 18 (checksum, format and not-found errors, whatever the
 * binarizer) and jsQR none; a code it cannot read stays unreadable frame after frame.
 */
export function decodeQrFromCanvas(canvas: HTMLCanvasElement): string | null {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  const frame = context.getImageData(0, 0, canvas.width, canvas.height);
  return (
    jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data ?? null
  );
}
