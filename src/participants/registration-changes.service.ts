import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import type { AttendanceMode, Event } from '../events/event.entity';
import { modesOf } from '../events/event.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { RegistrationConflictError, RegistrationNotFoundError } from './participants.errors';
import { NOTICE_FOR_STATUS, noticeFor } from './registration-notices';
import { RegistrationSession } from './registration-session.entity';
import { Registration } from './registration.entity';
import { leaveWaitlist, modesWithRoom, SeatsService } from './seats.service';

/** Nothing about a cancelled event changes any more but cancellations. */
function assertEventGoesOn(event: Event): void {
  if (event.status === 'cancelled') {
    throw new RegistrationConflictError('REGISTRATION_CLOSED', 'The event has been cancelled.');
  }
}

export type RegistrationLocator = { manageToken: string } | { id: string; eventId: string };

/**
 * Every change of an existing registration: the participant's own (switch mode, cancel) and
 * staff's (approve, decline, cancel, re-send). Each runs in one transaction under the event's
 * seat lock, frees and hands over seats at once, and queues exactly one email per person told.
 */
@Injectable()
export class RegistrationChangesService {
  constructor(
    private readonly seats: SeatsService,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
  ) {}

  switchMode(locator: RegistrationLocator, mode: AttendanceMode): Promise<Registration> {
    return this.change(locator, async (manager, event, registration) => {
      assertEventGoesOn(event);
      if (!['pending', 'confirmed', 'waitlisted'].includes(registration.status)) {
        throw new RegistrationConflictError(
          'NOT_ACTIVE',
          `The registration is ${registration.status}.`,
        );
      }
      if (!modesOf(event.format).includes(mode)) {
        // As when registering: a mode the format lacks is a bad choice (400), not a full mode.
        throw ValidationFailedError.field(
          'attendanceMode',
          `must be one of ${modesOf(event.format).join(', ')} for this event`,
        );
      }
      if (registration.attendanceMode === mode) {
        throw new RegistrationConflictError('SAME_MODE', `The registration is already ${mode}.`);
      }
      const from = registration.attendanceMode;
      const wasConfirmed = registration.status === 'confirmed';
      if (wasConfirmed) {
        if (!(await this.moveSeat(manager, event, registration, mode, 'refuse'))) {
          throw RegistrationConflictError.modeFull(mode, modesWithRoom(event, mode));
        }
      } else {
        registration.attendanceMode = mode;
        if (registration.status === 'waitlisted') {
          // A waitlisted person who switches joins the other mode, seated if there is room.
          const { seated } = await this.seats.seat(manager, event, registration);
          if (seated) this.markConfirmed(registration);
          else await this.seats.joinWaitlist(manager, registration);
        }
      }
      await manager.save(registration);
      await this.notifications.enqueue(
        manager,
        noticeFor(registration, 'attendance_mode_changed', {
          from,
          to: mode,
          status: registration.status,
        }),
      );
      if (wasConfirmed) await this.promote(manager, event, from);
    });
  }

  /** `alsoTell` queues, in the same transaction, what others must hear (a delegation's head). */
  cancel(
    locator: RegistrationLocator,
    alsoTell?: (manager: EntityManager, registration: Registration) => Promise<void>,
  ): Promise<Registration> {
    return this.change(locator, async (manager, event, registration) => {
      if (registration.status === 'cancelled' || registration.status === 'declined') {
        throw new RegistrationConflictError(
          'ALREADY_CANCELLED',
          `The registration is already ${registration.status}.`,
        );
      }
      const held = registration.status === 'confirmed';
      if (held) await this.seats.unseat(manager, event, registration);
      registration.status = 'cancelled';
      leaveWaitlist(registration);
      registration.cancelledAt = new Date();
      await manager.save(registration);
      await this.notifications.enqueue(
        manager,
        noticeFor(registration, 'registration_cancelled', {}, 'cancelled'),
      );
      // A cancelled event promotes nobody: a seat there is worth nothing.
      if (held && event.status !== 'cancelled') {
        await this.promote(manager, event, registration.attendanceMode);
      }
      await alsoTell?.(manager, registration);
    });
  }

  /** Pending becomes confirmed when a seat is free, waitlisted otherwise. */
  approve(locator: RegistrationLocator): Promise<Registration> {
    return this.change(locator, async (manager, event, registration) => {
      assertEventGoesOn(event);
      if (registration.status !== 'pending') {
        throw new RegistrationConflictError(
          'NOT_PENDING',
          `The registration is ${registration.status}, not pending.`,
        );
      }
      const { seated, droppedSessionIds } = await this.seats.seat(manager, event, registration);
      if (seated) this.markConfirmed(registration);
      else await this.seats.joinWaitlist(manager, registration);
      await manager.save(registration);
      await this.notifications.enqueue(
        manager,
        noticeFor(
          registration,
          NOTICE_FOR_STATUS[registration.status],
          { droppedSessionIds },
          'approved',
        ),
      );
    });
  }

  /** Declining is for those who hold no seat: pending or waitlisted. */
  decline(locator: RegistrationLocator): Promise<Registration> {
    return this.change(locator, async (manager, _event, registration) => {
      if (registration.status !== 'pending' && registration.status !== 'waitlisted') {
        throw new RegistrationConflictError(
          'NOT_PENDING',
          `A ${registration.status} registration cannot be declined${registration.status === 'confirmed' ? '; cancel it instead' : ''}.`,
        );
      }
      registration.status = 'declined';
      leaveWaitlist(registration);
      await manager.save(registration);
      await this.notifications.enqueue(
        manager,
        noticeFor(registration, 'registration_declined', {}, 'declined'),
      );
    });
  }

  /** Sends the email of the registration's current status again (staff, or a duplicate try). */
  resend(locator: RegistrationLocator): Promise<Registration> {
    return this.change(locator, async (manager, _event, registration) => {
      await this.notifications.enqueue(
        manager,
        noticeFor(registration, NOTICE_FOR_STATUS[registration.status], { resent: true }),
      );
    });
  }

  /** Hands the seats of `mode` that are now free to the waitlist, and tells each person. */
  async promote(manager: EntityManager, event: Event, mode: AttendanceMode): Promise<void> {
    for (const { registration, droppedSessionIds } of await this.seats.promoteWaitlist(
      manager,
      event,
      mode,
    )) {
      await this.notifications.enqueue(
        manager,
        noticeFor(registration, 'waitlist_promoted', { droppedSessionIds }, 'promoted'),
      );
    }
  }

  /** A format change may not strand people registered (even pending or waitlisted) in a mode. */
  async assertModesUnused(
    manager: EntityManager,
    event: Event,
    modes: AttendanceMode[],
  ): Promise<void> {
    const [{ count }] = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM registrations
        WHERE event_id = $1 AND attendance_mode = ANY($2)
          AND status IN ('pending', 'confirmed', 'waitlisted')`,
      [event.id, modes],
    );
    if (count > 0) {
      throw new RegistrationConflictError(
        'MODE_IN_USE',
        `${count} active registrations are ${modes.join(' or ')}; move or cancel them first.`,
        { modes, registrations: count },
      );
    }
  }

  private markConfirmed(registration: Registration): void {
    registration.status = 'confirmed';
    leaveWaitlist(registration);
    registration.confirmedAt = new Date();
  }

  /**
   * Moves a confirmed registration's seat to mode `to`, under the event's seat lock. The new
   * seat is taken before the old one is given up, so a full mode changes nothing (undefined).
   * Going in person takes a room seat in each chosen session; sessions that are full are
   * `refuse`d (the participant's own switch: they choose again) or `drop`ped (at the door: the
   * person comes in without them). Returns the sessions dropped. The caller saves, tells the
   * person and promotes the waitlist of the mode left.
   */
  async moveSeat(
    manager: EntityManager,
    event: Event,
    registration: Registration,
    to: AttendanceMode,
    fullSessions: 'refuse' | 'drop',
  ): Promise<string[] | undefined> {
    if (!(await this.seats.tryTake(manager, event, to))) return undefined;
    await this.seats.unseat(manager, event, registration);
    registration.attendanceMode = to;
    if (to !== 'in_person') return [];
    const chosen = await this.seats.chosenSessionIds(manager, registration.id);
    const full = await this.seats.takeSessionSeats(manager, chosen);
    if (full.length === 0) return [];
    if (fullSessions === 'refuse') {
      throw new RegistrationConflictError(
        'SESSION_FULL',
        'Some of your sessions have no seats left in the room.',
        { sessions: full },
      );
    }
    await manager.delete(RegistrationSession, {
      registrationId: registration.id,
      sessionId: In(full),
    });
    return full;
  }

  /** Locks the event's seats, then the registration, then applies `work` and saves nothing else. */
  private async change(
    locator: RegistrationLocator,
    work: (manager: EntityManager, event: Event, registration: Registration) => Promise<void>,
  ): Promise<Registration> {
    return this.transactions.run(async (manager) => {
      const found = await manager.findOne(Registration, {
        where:
          'manageToken' in locator
            ? { manageToken: locator.manageToken }
            : { id: locator.id, eventId: locator.eventId },
      });
      if (!found) throw new RegistrationNotFoundError();
      const event = await this.seats.lockEvent(manager, found.eventId);
      const registration = await manager.findOneOrFail(Registration, {
        where: { id: found.id },
        lock: { mode: 'pessimistic_write' },
      });
      await work(manager, event, registration);
      return registration;
    });
  }
}
