import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Event } from '../../events/event.entity';
import { NotificationsService } from '../../notifications/notifications.service';
import { RegistrationChangesService } from '../../participants/registration-changes.service';
import { noticeFor } from '../../participants/registration-notices';
import { Registration } from '../../participants/registration.entity';
import { SeatsService } from '../../participants/seats.service';
import type { NotAdmittedReason } from './check-in-answers';

/** A refusal found after something changed in the transaction: thrown so that it rolls back. */
export class AdmissionRefused extends Error {
  constructor(readonly reason: NotAdmittedReason) {
    super(reason);
  }
}

/**
 * Lets an online registrant in at the door: their online seat becomes an in-person one, in the
 * check-in's own transaction and under the event's seat lock (SeatsService.lockEvent), so the
 * switch and the check-in happen together or not at all. The seat move (moveSeat), the waitlist
 * promotion and its emails are RegistrationChangesService's, as for the participant's own
 * switch. Chosen sessions that are full lose the person (as when a waitlisted person is
 * promoted), rather than keeping them out.
 */
@Injectable()
export class OnlineAdmissionService {
  constructor(
    private readonly seats: SeatsService,
    private readonly changes: RegistrationChangesService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Returns the registration as now stored (in person). Throws AdmissionRefused otherwise. */
  async switchToInPerson(
    manager: EntityManager,
    eventId: string,
    registrationId: string,
  ): Promise<Registration> {
    const event: Event = await this.seats.lockEvent(manager, eventId);
    const registration = await manager.findOneOrFail(Registration, {
      where: { id: registrationId },
      lock: { mode: 'pessimistic_write' },
    });
    // Read again under the lock: another desk or the person may have changed it meanwhile.
    if (registration.status !== 'confirmed') throw new AdmissionRefused(registration.status);
    if (registration.attendanceMode === 'in_person') return registration;
    if (event.status === 'cancelled') throw new AdmissionRefused('event_cancelled');

    const dropped = await this.changes.moveSeat(manager, event, registration, 'in_person', 'drop');
    if (!dropped) throw new AdmissionRefused('in_person_full');
    await manager.save(registration);
    await this.notifications.enqueue(
      manager,
      noticeFor(registration, 'attendance_mode_changed', {
        from: 'online',
        to: 'in_person',
        status: registration.status,
        droppedSessionIds: dropped,
      }),
    );
    await this.changes.promote(manager, event, 'online');
    return registration;
  }
}
