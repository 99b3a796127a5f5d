import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AttendanceMode, Event } from './event.entity';

export type CapacityRaisedHook = (
  manager: EntityManager,
  event: Event,
  mode: AttendanceMode,
) => Promise<void>;

/**
 * Lets modules that build on events react to an event change inside its transaction, without
 * the events module knowing them (registrations promote their waitlist when seats are added).
 */
@Injectable()
export class EventHooks {
  private readonly capacityRaised: CapacityRaisedHook[] = [];

  onCapacityRaised(hook: CapacityRaisedHook): void {
    this.capacityRaised.push(hook);
  }

  async raiseCapacity(manager: EntityManager, event: Event, mode: AttendanceMode): Promise<void> {
    for (const hook of this.capacityRaised) await hook(manager, event, mode);
  }
}
