import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { NotificationsService } from '../notifications/notifications.service';
import { RegistrationConflictError } from './participants.errors';
import { NOTICE_FOR_STATUS, noticeFor } from './registration-notices';
import { ACTIVE_STATUSES, Registration } from './registration.entity';

/** A duplicate registration re-sends the first confirmation at most this often. */
const RESEND_WINDOW_MS = 10 * 60 * 1000;
/** Marks the dedupe key of a confirmation re-sent because of a duplicate registration. */
const DUPLICATE_RESEND = 'duplicate-resend';

/** One active registration per email per event, and what a second try hears. */
@Injectable()
export class DuplicateRegistrations {
  constructor(
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
  ) {}

  findActive(eventId: string, email: string): Promise<Registration | null> {
    return this.registrations
      .createQueryBuilder('r')
      .where('r.eventId = :eventId AND lower(r.email) = lower(:email)', { eventId, email })
      .andWhere('r.status IN (:...active)', { active: ACTIVE_STATUSES })
      .getOne();
  }

  /**
   * One active registration per email per event. The answer says only "already registered";
   * the first registration's confirmation goes again to that address, so nobody learns
   * anything about a registration that is not theirs.
   */
  async refuse(eventId: string, email: string): Promise<void> {
    const existing = await this.findActive(eventId, email);
    if (!existing) return;
    const stillActive = await this.transactions.run(async (manager) => {
      // Locked, so duplicates arriving together decide one after the other: one re-send.
      const locked = await manager.findOne(Registration, {
        where: { id: existing.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!locked || !ACTIVE_STATUSES.includes(locked.status)) return false;
      // A sliding window (not a fixed time slot, whose boundary would let two through at once).
      const recent: unknown[] = await manager.query(
        `SELECT 1 FROM emails WHERE registration_id = $1 AND dedupe_key LIKE $2
           AND created_at > now() - make_interval(secs => $3) LIMIT 1`,
        [locked.id, `%:${locked.id}:${DUPLICATE_RESEND}-%`, RESEND_WINDOW_MS / 1000],
      );
      if (recent.length > 0) return true;
      await this.notifications.enqueue(
        manager,
        noticeFor(
          locked,
          NOTICE_FOR_STATUS[locked.status],
          { resent: true },
          `${DUPLICATE_RESEND}-${randomUUID()}`,
        ),
      );
      return true;
    });
    // Cancelled in the meantime: the address is free again.
    if (!stillActive) return;
    throw new RegistrationConflictError(
      'ALREADY_REGISTERED',
      'This email address is already registered for the event; the confirmation has been sent to it again.',
    );
  }
}
