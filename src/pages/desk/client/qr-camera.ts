import type { DeskClientMessages } from './desk-client-messages';
import { decodeQrFrame } from './qr-decoder';

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

export interface CameraView {
  video: HTMLVideoElement;
  status: HTMLElement;
  toggle: HTMLElement;
  messages: Pick<
    DeskClientMessages,
    'cameraUnsupported' | 'cameraError' | 'cameraStop' | 'cameraStart'
  >;
  /** A QR code read from the camera; the same code held in view counts once per 5 s. */
  onCode(code: string): void;
}

/**
 * The desk's camera: the browser's BarcodeDetector where there is one, else the bundled jsQR
 * QR reader on a downscaled canvas frame, about 6 frames a second.
 */
export class QrCamera {
  private stream: MediaStream | null = null;
  private lastCode = '';
  private lastAt = 0;

  constructor(private readonly view: CameraView) {}

  get running(): boolean {
    return this.stream !== null;
  }

  async start(): Promise<void> {
    const video = this.view.video;
    const status = this.view.status;
    const m = this.view.messages;
    if (!navigator.mediaDevices?.getUserMedia) {
      status.textContent = m.cameraUnsupported;
      return;
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
    } catch {
      status.textContent = m.cameraError;
      return;
    }
    video.srcObject = this.stream;
    video.hidden = false;
    // Not awaited: play() settles only once frames flow, and the reading loop below waits for
    // them itself (readyState), so a camera slow to start never leaves the loop unstarted.
    void video.play().catch(() => undefined);
    this.view.toggle.textContent = m.cameraStop;
    status.textContent = '';
    const Native = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
    const detector = Native ? new Native({ formats: ['qr_code'] }) : null;
    const canvas = document.createElement('canvas');
    const tick = async () => {
      if (!this.stream) return;
      let code: string | null = null;
      if (video.readyState >= 2 && video.videoWidth > 0) {
        if (detector) {
          code = (await detector.detect(video).catch(() => []))[0]?.rawValue ?? null;
        } else {
          const scale = Math.min(1, 640 / video.videoWidth);
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          const context = canvas.getContext('2d', { willReadFrequently: true });
          if (context) {
            context.drawImage(video, 0, 0, canvas.width, canvas.height);
            code = decodeQrFrame(context.getImageData(0, 0, canvas.width, canvas.height));
          }
        }
      }
      // The same code held in front of the camera is one scan, not one per frame.
      if (code && (code !== this.lastCode || Date.now() - this.lastAt > 5000)) {
        this.lastCode = code;
        this.lastAt = Date.now();
        this.view.onCode(code);
      }
      setTimeout(() => void tick(), 150);
    };
    void tick();
  }

  stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.view.video.hidden = true;
    this.view.video.srcObject = null;
    this.view.toggle.textContent = this.view.messages.cameraStart;
  }
}
