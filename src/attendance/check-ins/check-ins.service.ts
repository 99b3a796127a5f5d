import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { TransactionRunner } from '../../database/transaction-runner';
import type { Event } from '../../events/event.entity';
import { EventsService } from '../../events/events.service';
import type { EventSession } from '../../events/sessions/event-session.entity';
import { SessionsService } from '../../events/sessions/sessions.service';
import { normaliseReference } from '../../participants/reference';
import { Registration } from '../../participants/registration.entity';
import type { CheckInDto } from '../dto/check-in.dto';
import { sessionKeyOf } from '../session-key';
import {
  alreadyCheckedIn,
  checkedIn,
  CheckInAnswer,
  DeskPerson,
  notAdmitted,
  unknownCode,
} from './check-in-answers';
import { recordAttempt, ScanInput, storedAnswer } from './check-in-attempts';
import { DIRECT_CHECK_IN_SQL } from './direct-check-in.sql';
import { AdmissionRefused, OnlineAdmissionService } from './online-admission.service';

const REFERENCE_SHAPE = /^[2-9A-HJ-KM-NP-Z]{8}$/;

/** The nonce was taken by a concurrent twin of the request: roll back and give its answer. */
class NonceTaken extends Error {}

/** A refusal after the switch to in person changed seats: roll back, then keep the attempt. */
class RefusedAfterSwitch extends Error {
  constructor(readonly answer: CheckInAnswer) {
    super(answer.reason ?? 'refused');
  }
}

/**
 * The door: one scan in, one answer out, and one attempt row for it. The check-in itself is a
 * unique row (registration, session key) inserted with ON CONFLICT DO NOTHING, so concurrent
 * scans of one code make one check-in and every other scan reads the first one's time.
 */
@Injectable()
export class CheckInsService {
  constructor(
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
    private readonly transactions: TransactionRunner,
    private readonly onlineAdmission: OnlineAdmissionService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async checkIn(slug: string, dto: CheckInDto): Promise<CheckInAnswer> {
    const receivedAt = new Date();
    const scannedAt = dto.scannedAt ? new Date(dto.scannedAt) : null;
    // The common scan (the event as a whole, no switch from online, a nonce not seen before) in
    // one statement and one round trip; anything else, or a race it cannot see, goes the full
    // way below.
    if (!dto.sessionId && !dto.admitOnline) {
      const direct = await this.checkInDirectly(slug, dto, receivedAt, scannedAt);
      if (direct) return direct;
    }
    const event = await this.events.findBySlug(slug);
    const session = dto.sessionId ? await this.sessions.get(slug, dto.sessionId) : null;
    const scan: ScanInput = {
      eventId: event.id,
      code: dto.code,
      sessionId: session?.id ?? null,
      desk: dto.desk ?? null,
      nonce: dto.nonce ?? null,
      scannedAt,
      receivedAt,
    };
    // One read, no transaction of its own: a transaction would add three round trips.
    const replay = scan.nonce
      ? await storedAnswer(this.dataSource.manager, event.id, scan.nonce)
      : null;
    if (replay) return replay;
    try {
      return await this.transactions.run(async (manager) => {
        const answer = await this.decide(manager, event, session, scan, dto.admitOnline === true);
        if (!(await recordAttempt(manager, scan, answer))) throw new NonceTaken();
        return answer;
      });
    } catch (error) {
      if (error instanceof NonceTaken) {
        return (await this.transactions.run((m) =>
          storedAnswer(m, event.id, scan.nonce as string),
        )) as CheckInAnswer;
      }
      if (!(error instanceof RefusedAfterSwitch)) throw error;
      const recorded = await this.transactions.run((m) => recordAttempt(m, scan, error.answer));
      if (!recorded) {
        return (await this.transactions.run((m) =>
          storedAnswer(m, event.id, scan.nonce as string),
        )) as CheckInAnswer;
      }
      return error.answer;
    }
  }

  private async checkInDirectly(
    slug: string,
    dto: CheckInDto,
    receivedAt: Date,
    scannedAt: Date | null,
  ): Promise<CheckInAnswer | null> {
    const reference = normaliseReference(dto.code);
    const rows = await this.dataSource.query<
      {
        id: string;
        event_id: string;
        person: DeskPerson;
        inserted: boolean;
        at: Date;
        recorded: boolean;
      }[]
    >(DIRECT_CHECK_IN_SQL, [
      slug,
      dto.code,
      REFERENCE_SHAPE.test(reference) ? reference : null,
      receivedAt,
      scannedAt,
      dto.desk ?? null,
      dto.nonce ?? null,
    ]);
    if (rows.length === 0) return null;
    const [row] = rows;
    // A twin of this request (same nonce) recorded its answer first: that one is given.
    if (!row.recorded) return storedAnswer(this.dataSource.manager, row.event_id, dto.nonce!);
    return row.inserted
      ? checkedIn(row.id, row.person, row.at)
      : alreadyCheckedIn(row.id, row.person, row.at);
  }

  /** Undoes a check-in (a scan by mistake); 404 when there is none. */
  async undo(slug: string, registrationId: string, sessionId?: string): Promise<void> {
    const event = await this.events.findBySlug(slug);
    // TypeORM's postgres driver answers a DELETE with [rows, affected].
    const [, deleted] = await this.transactions.run((manager) =>
      manager.query<[unknown[], number]>(
        'DELETE FROM check_ins WHERE event_id = $1 AND registration_id = $2 AND session_key = $3',
        [event.id, registrationId, sessionKeyOf(sessionId)],
      ),
    );
    if (deleted === 0) throw new NotFoundError('The check-in', 'CHECK_IN_NOT_FOUND');
  }

  private async decide(
    manager: EntityManager,
    event: Event,
    session: EventSession | null,
    scan: ScanInput,
    admitOnline: boolean,
  ): Promise<CheckInAnswer> {
    let registration = await this.findByCode(manager, event, scan.code);
    if (!registration) return unknownCode();
    if (registration.eventId !== event.id) return notAdmitted('other_event', registration.id);
    const person = await this.personOf(registration, manager);
    if (event.status === 'cancelled') {
      return notAdmitted('event_cancelled', registration.id, person);
    }
    if (registration.status !== 'confirmed') {
      return notAdmitted(registration.status, registration.id, person);
    }
    if (registration.attendanceMode === 'online') {
      if (!admitOnline) return notAdmitted('registered_online', registration.id, person);
      const id = registration.id;
      registration = await this.onlineAdmission
        .switchToInPerson(manager, event.id, id)
        .catch((error: unknown) => {
          if (error instanceof AdmissionRefused) {
            throw new RefusedAfterSwitch(notAdmitted(error.reason, id, person));
          }
          throw error;
        });
    }
    const refusal = await this.sessionRefusal(manager, registration, session);
    if (refusal) {
      const answer = notAdmitted(refusal, registration.id, person);
      // After a switch to in person, the refusal must undo it: roll back, then record.
      if (admitOnline) throw new RefusedAfterSwitch(answer);
      return answer;
    }
    const admitted = { ...person, attendanceMode: registration.attendanceMode };
    const at = await this.insertOnce(manager, registration, session, scan);
    return at.inserted
      ? checkedIn(registration.id, admitted, at.at)
      : alreadyCheckedIn(registration.id, admitted, at.at);
  }

  /** A session with limited seats lets in only those who chose it (and so hold its seat). */
  private async sessionRefusal(
    manager: EntityManager,
    registration: Registration,
    session: EventSession | null,
  ): Promise<'session_not_chosen' | null> {
    if (!session || session.capacityInPerson === null) return null;
    const chosen = await manager.query<unknown[]>(
      'SELECT 1 FROM registration_sessions WHERE registration_id = $1 AND session_id = $2',
      [registration.id, session.id],
    );
    return chosen.length > 0 ? null : 'session_not_chosen';
  }

  /** Inserts the check-in unless there is one; either way, the time of the first. */
  private async insertOnce(
    manager: EntityManager,
    registration: Registration,
    session: EventSession | null,
    scan: ScanInput,
  ): Promise<{ inserted: boolean; at: Date }> {
    const key = sessionKeyOf(session?.id);
    // Twice at most: a conflicting row may be undone between the INSERT and the SELECT.
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await manager.query<{ checked_in_at: Date }[]>(
        `INSERT INTO check_ins
           (event_id, registration_id, session_id, session_key, checked_in_at, scanned_at, desk)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (registration_id, session_key) DO NOTHING
         RETURNING checked_in_at`,
        [
          registration.eventId,
          registration.id,
          session?.id ?? null,
          key,
          scan.receivedAt,
          scan.scannedAt,
          scan.desk,
        ],
      );
      if (inserted.length > 0) return { inserted: true, at: inserted[0].checked_in_at };
      const first = await manager.query<{ checked_in_at: Date }[]>(
        'SELECT checked_in_at FROM check_ins WHERE registration_id = $1 AND session_key = $2',
        [registration.id, key],
      );
      if (first.length > 0) return { inserted: false, at: first[0].checked_in_at };
    }
    throw new Error('A check-in appeared and vanished twice in a row.');
  }

  /** By the QR code's content (unique everywhere), else by reference within this event. */
  private async findByCode(
    manager: EntityManager,
    event: Event,
    code: string,
  ): Promise<Registration | null> {
    const byCode = await manager.findOne(Registration, { where: { checkinCode: code } });
    if (byCode) return byCode;
    const reference = normaliseReference(code);
    if (!REFERENCE_SHAPE.test(reference)) return null;
    return manager.findOne(Registration, { where: { eventId: event.id, reference } });
  }

  private async personOf(registration: Registration, manager: EntityManager): Promise<DeskPerson> {
    let delegation: string | null = null;
    if (registration.delegationId) {
      const rows = await manager.query<{ name: string }[]>(
        'SELECT name FROM delegations WHERE id = $1',
        [registration.delegationId],
      );
      delegation = rows[0]?.name ?? null;
    }
    return {
      reference: registration.reference,
      name: `${registration.givenName} ${registration.familyName}`,
      organisation: registration.organisation,
      attendanceMode: registration.attendanceMode,
      delegation,
    };
  }
}
