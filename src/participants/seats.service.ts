import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { EventHooks } from '../events/event-hooks';
import { Event, modesOf, type AttendanceMode } from '../events/event.entity';
import { EventSession } from '../events/sessions/event-session.entity';
import { RegistrationSession } from './registration-session.entity';
import { Registration } from './registration.entity';

const SEATS_COLUMN: Record<AttendanceMode, string> = {
  in_person: 'seats_taken_in_person',
  online: 'seats_taken_online',
};
const CAPACITY_COLUMN: Record<AttendanceMode, string> = {
  in_person: 'capacity_in_person',
  online: 'capacity_online',
};

export function seatsLeft(event: Event, mode: AttendanceMode): number {
  const [capacity, taken] =
    mode === 'in_person'
      ? [event.capacityInPerson, event.seatsTakenInPerson]
      : [event.capacityOnline, event.seatsTakenOnline];
  return capacity === null ? 0 : Math.max(0, capacity - taken);
}

/** Takes the registration out of the waitlist (promoted, cancelled, declined). */
export function leaveWaitlist(registration: Registration): void {
  registration.queuedAt = null;
  registration.queuePosition = null;
}

/** The modes of the event that still have a seat, for a "full" answer to offer instead. */
export function modesWithRoom(event: Event, except?: AttendanceMode): AttendanceMode[] {
  return modesOf(event.format).filter((mode) => mode !== except && seatsLeft(event, mode) > 0);
}

/**
 * Seats per mode and per session. Capacity holds because of three things together:
 * - every transaction that takes, frees or hands over a seat of an event first locks the
 *   event's row (FOR NO KEY UPDATE), so seat decisions of one event happen one at a time,
 *   across any number of service instances, while registrations of other events go on;
 * - a seat is taken by a conditional UPDATE (`taken < capacity`) on a counter row, never by
 *   counting registrations and then inserting;
 * - CHECK constraints on the counters turn any bug into an error rather than an overbooking.
 * The lock is held only for the short transaction of one change.
 */
@Injectable()
export class SeatsService {
  constructor(private readonly hooks: EventHooks) {}

  /** The first statement of any transaction that changes seats or the waitlist of an event. */
  async lockEvent(manager: EntityManager, eventId: string): Promise<Event> {
    const event = await manager.findOneOrFail(Event, {
      where: { id: eventId },
      lock: { mode: 'for_no_key_update' },
    });
    // Seats left are about to change: the cached public view of this event is dropped.
    this.hooks.write(eventId);
    return event;
  }

  /** Takes a seat of `mode` if one is free; keeps `event` in step with the row. */
  async tryTake(manager: EntityManager, event: Event, mode: AttendanceMode): Promise<boolean> {
    const seats = SEATS_COLUMN[mode];
    const result = await manager
      .createQueryBuilder()
      .update(Event)
      .set({
        [mode === 'in_person' ? 'seatsTakenInPerson' : 'seatsTakenOnline']: () => `${seats} + 1`,
      })
      .where(`id = :id AND ${seats} < COALESCE(${CAPACITY_COLUMN[mode]}, 0)`, { id: event.id })
      .execute();
    if (!result.affected) return false;
    if (mode === 'in_person') event.seatsTakenInPerson += 1;
    else event.seatsTakenOnline += 1;
    return true;
  }

  async release(manager: EntityManager, event: Event, mode: AttendanceMode): Promise<void> {
    const seats = SEATS_COLUMN[mode];
    await manager
      .createQueryBuilder()
      .update(Event)
      .set({
        [mode === 'in_person' ? 'seatsTakenInPerson' : 'seatsTakenOnline']: () => `${seats} - 1`,
      })
      .where('id = :id', { id: event.id })
      .execute();
    if (mode === 'in_person') event.seatsTakenInPerson -= 1;
    else event.seatsTakenOnline -= 1;
  }

  /**
   * Takes a seat in each chosen session that has room (sessions without a capacity always do).
   * Returns the ids of the sessions that were full; their seats were not taken.
   */
  async takeSessionSeats(manager: EntityManager, sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const taken: { id: string }[] = await manager
      .query(
        `UPDATE event_sessions SET seats_taken = seats_taken + 1
        WHERE id = ANY($1) AND (capacity_in_person IS NULL OR seats_taken < capacity_in_person)
        RETURNING id`,
        [sessionIds],
      )
      .then((result: [{ id: string }[], number]) => result[0]);
    const takenIds = new Set(taken.map((row) => row.id));
    return sessionIds.filter((id) => !takenIds.has(id));
  }

  async releaseSessionSeats(manager: EntityManager, registrationId: string): Promise<void> {
    await manager.query(
      `UPDATE event_sessions SET seats_taken = seats_taken - 1
        WHERE id IN (SELECT session_id FROM registration_sessions WHERE registration_id = $1)`,
      [registrationId],
    );
  }

  /**
   * Confirms a registration that holds no seat yet (new, pending, waitlisted): takes the mode's
   * seat, then its sessions' seats; a session that is full is dropped from its choices.
   * Returns false (and changes nothing) when the mode is full.
   */
  async seat(
    manager: EntityManager,
    event: Event,
    registration: Registration,
  ): Promise<{ seated: boolean; droppedSessionIds: string[] }> {
    if (!(await this.tryTake(manager, event, registration.attendanceMode))) {
      return { seated: false, droppedSessionIds: [] };
    }
    if (registration.attendanceMode !== 'in_person') return { seated: true, droppedSessionIds: [] };
    const chosen = await this.chosenSessionIds(manager, registration.id);
    const full = await this.takeSessionSeats(manager, chosen);
    if (full.length > 0) {
      await manager.delete(RegistrationSession, {
        registrationId: registration.id,
        sessionId: In(full),
      });
    }
    return { seated: true, droppedSessionIds: full };
  }

  /** Gives back the seats a confirmed registration holds (its mode's and its sessions'). */
  async unseat(manager: EntityManager, event: Event, registration: Registration): Promise<void> {
    await this.release(manager, event, registration.attendanceMode);
    if (registration.attendanceMode === 'in_person') {
      await this.releaseSessionSeats(manager, registration.id);
    }
  }

  /**
   * Hands free seats of `mode` to the waitlist, oldest first, until seats or waitlist run out.
   * Runs under the event lock, so no concurrent change can skip or double-promote anyone.
   */
  async promoteWaitlist(
    manager: EntityManager,
    event: Event,
    mode: AttendanceMode,
  ): Promise<{ registration: Registration; droppedSessionIds: string[] }[]> {
    const promoted: { registration: Registration; droppedSessionIds: string[] }[] = [];
    while (seatsLeft(event, mode) > 0) {
      const next = await manager
        .createQueryBuilder(Registration, 'r')
        .where("r.eventId = :eventId AND r.attendanceMode = :mode AND r.status = 'waitlisted'", {
          eventId: event.id,
          mode,
        })
        .orderBy('r.queuePosition', 'ASC')
        .limit(1)
        .setLock('pessimistic_write')
        .getOne();
      if (!next) break;
      const { seated, droppedSessionIds } = await this.seat(manager, event, next);
      if (!seated) break;
      leaveWaitlist(next);
      next.status = 'confirmed';
      next.confirmedAt = new Date();
      await manager.save(next);
      promoted.push({ registration: next, droppedSessionIds });
    }
    return promoted;
  }

  /** Puts the registration at the back of its mode's waitlist (under the event's lock). */
  async joinWaitlist(manager: EntityManager, registration: Registration): Promise<void> {
    const [{ position }] = await manager.query<{ position: string }[]>(
      `SELECT nextval('registration_queue_positions')::text AS position`,
    );
    registration.status = 'waitlisted';
    registration.queuedAt = new Date();
    registration.queuePosition = position;
  }

  async chosenSessionIds(manager: EntityManager, registrationId: string): Promise<string[]> {
    const rows = await manager.find(RegistrationSession, { where: { registrationId } });
    return rows.map((row) => row.sessionId);
  }

  /** The sessions of `event` among `ids`, for checking what a participant chose. */
  async sessionsOf(
    manager: EntityManager,
    eventId: string,
    ids: string[],
  ): Promise<EventSession[]> {
    if (ids.length === 0) return [];
    return manager.find(EventSession, {
      where: { eventId, id: In(ids) },
      // In agenda order, as every other view of a registration's sessions.
      order: { startsAt: 'ASC', id: 'ASC' },
    });
  }
}
