import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomToken } from '../common/auth/token-secrets';
import type { Event } from '../events/event.entity';
import { EventSession } from '../events/sessions/event-session.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { RegistrationConflictError } from './participants.errors';
import { newReference } from './reference';
import { NOTICE_FOR_STATUS, noticeFor } from './registration-notices';
import { assertRegistrationOpen } from './registration-rules';
import { RegistrationSession } from './registration-session.entity';
import { Registration } from './registration.entity';
import type { PersonDetails } from './person-details';
import { modesWithRoom, SeatsService } from './seats.service';

/**
 * Admission through the ORM, a few statements inside the caller's transaction: for a person
 * with session choices, and for every member of a delegation (one transaction for all).
 * People with no session choices are admitted in one statement instead (single-admission.sql.ts,
 * AdmissionBatcher); both follow the same rules.
 */
@Injectable()
export class AdmissionsService {
  constructor(
    private readonly seats: SeatsService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Inside the caller's transaction: locks the event, decides the status by its seats, stores
   * the registration with its session choices and queues the email that tells the person.
   * Shared by single registrations and delegations.
   */
  async admit(
    manager: EntityManager,
    eventId: string,
    details: PersonDetails,
    sessions: EventSession[],
  ): Promise<Registration> {
    const event = await this.seats.lockEvent(manager, eventId);
    assertRegistrationOpen(event, new Date());
    const registration = manager.create(Registration, {
      ...details,
      eventId,
      reference: newReference(),
      manageToken: randomToken(24),
      joinToken: randomToken(24),
      checkinCode: randomToken(24),
      status: 'pending',
      queuedAt: null,
      queuePosition: null,
      confirmedAt: null,
      cancelledAt: null,
    });
    if (!event.requiresApproval) await this.decideBySeats(manager, event, registration, sessions);
    await manager.save(registration);
    if (sessions.length > 0) {
      await manager.insert(
        RegistrationSession,
        sessions.map((session) => ({ registrationId: registration.id, sessionId: session.id })),
      );
    }
    await this.notifications.enqueue(
      manager,
      noticeFor(registration, NOTICE_FOR_STATUS[registration.status], {}, 'registered'),
    );
    return registration;
  }

  private async decideBySeats(
    manager: EntityManager,
    event: Event,
    registration: Registration,
    sessions: EventSession[],
  ): Promise<void> {
    const mode = registration.attendanceMode;
    if (await this.seats.tryTake(manager, event, mode)) {
      if (mode === 'in_person') {
        const full = await this.seats.takeSessionSeats(
          manager,
          sessions.map((s) => s.id),
        );
        if (full.length > 0) {
          throw new RegistrationConflictError('SESSION_FULL', 'Some chosen sessions are full.', {
            sessions: sessions
              .filter((s) => full.includes(s.id))
              .map((s) => ({ id: s.id, title: s.title })),
          });
        }
      }
      registration.status = 'confirmed';
      registration.confirmedAt = new Date();
    } else if (event.waitlist) {
      await this.seats.joinWaitlist(manager, registration);
    } else {
      throw RegistrationConflictError.modeFull(mode, modesWithRoom(event, mode));
    }
  }
}
