import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AttendanceMode, Event } from './event.entity';

export type CapacityRaisedHook = (
  manager: EntityManager,
  event: Event,
  mode: AttendanceMode,
) => Promise<void>;
/** `changes` names what registrants must hear about: startsAt, endsAt, timezone, venue, onlineJoinUrl. */
export type EventChangedHook = (
  manager: EntityManager,
  event: Event,
  changes: string[],
) => Promise<void>;
export type EventCancelledHook = (manager: EntityManager, event: Event) => Promise<void>;
/** Throws (a domain error) when a mode the event is about to lose is still in use. */
export type ModesRemovedGuard = (
  manager: EntityManager,
  event: Event,
  modes: AttendanceMode[],
) => Promise<void>;

/**
 * Lets modules that build on events react to an event change inside its transaction, without
 * the events module knowing them (registrations promote their waitlist when seats are added,
 * and tell registrants when the event moves or is cancelled).
 */
@Injectable()
export class EventHooks {
  private readonly written: ((eventId: string) => void)[] = [];
  private readonly capacityRaised: CapacityRaisedHook[] = [];
  private readonly changed: EventChangedHook[] = [];
  private readonly cancelled: EventCancelledHook[] = [];
  private readonly modesRemoved: ModesRemovedGuard[] = [];

  /**
   * Called (synchronously) whenever a transaction locks an event to change it, its agenda or
   * its seats, so per-instance caches of what anyone may read drop the event at once.
   */
  onWritten(listener: (eventId: string) => void): void {
    this.written.push(listener);
  }

  write(eventId: string): void {
    for (const listener of this.written) listener(eventId);
  }

  onModesRemoved(guard: ModesRemovedGuard): void {
    this.modesRemoved.push(guard);
  }

  async removeModes(manager: EntityManager, event: Event, modes: AttendanceMode[]): Promise<void> {
    for (const guard of this.modesRemoved) await guard(manager, event, modes);
  }

  onCapacityRaised(hook: CapacityRaisedHook): void {
    this.capacityRaised.push(hook);
  }

  onChanged(hook: EventChangedHook): void {
    this.changed.push(hook);
  }

  onCancelled(hook: EventCancelledHook): void {
    this.cancelled.push(hook);
  }

  async raiseCapacity(manager: EntityManager, event: Event, mode: AttendanceMode): Promise<void> {
    for (const hook of this.capacityRaised) await hook(manager, event, mode);
  }

  async change(manager: EntityManager, event: Event, changes: string[]): Promise<void> {
    for (const hook of this.changed) await hook(manager, event, changes);
  }

  async cancel(manager: EntityManager, event: Event): Promise<void> {
    for (const hook of this.cancelled) await hook(manager, event);
  }
}
