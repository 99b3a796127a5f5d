import { Injectable } from '@nestjs/common';

/** Flipped when the process is asked to stop, so the load balancer stops sending traffic. */
@Injectable()
export class ShutdownState {
  private draining = false;

  beginDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
