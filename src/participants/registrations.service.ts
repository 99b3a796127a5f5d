import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { randomToken } from '../common/auth/token-secrets';
import { ValidationFailedError } from '../common/errors/domain-error';
import {
  hashRequest,
  IdempotencyService,
  StoredAnswer,
} from '../common/idempotency/idempotency.service';
import { isUniqueViolation } from '../database/postgres-errors';
import { TransactionRunner } from '../database/transaction-runner';
import type { Event } from '../events/event.entity';
import { EventHooks } from '../events/event-hooks';
import { EventNotFoundError } from '../events/events.errors';
import { EventsService } from '../events/events.service';
import { EventSession } from '../events/sessions/event-session.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { CreateRegistrationDto } from './dto/create-registration.dto';
import { RegistrationConflictError } from './participants.errors';
import { newReference } from './reference';
import { NOTICE_FOR_STATUS, noticeFor } from './registration-notices';
import { presentRegistration } from './registration.presenter';
import { assertRegistrationOpen, checkChoices } from './registration-rules';
import { RegistrationSession } from './registration-session.entity';
import { ACTIVE_STATUSES, Registration } from './registration.entity';
import { modesWithRoom, SeatsService } from './seats.service';
import { AdmissionBatcher } from './admission-batcher';
import type { AdmissionInput } from './batch-admission.sql';
import {
  SINGLE_ADMISSION_SQL,
  singleAdmissionParams,
  type SingleAdmissionRow,
} from './single-admission.sql';

/** A reference clash is retried with a new one; five clashes in a row would mean a bug. */
const REFERENCE_ATTEMPTS = 5;
/** A duplicate registration re-sends the first confirmation at most this often. */
const RESEND_WINDOW_MS = 10 * 60 * 1000;
/** Marks the dedupe key of a confirmation re-sent because of a duplicate registration. */
const DUPLICATE_RESEND = 'duplicate-resend';

/** The fields of a new registration that come from the person, not from the process. */
export type PersonDetails = Pick<
  Registration,
  | 'email'
  | 'givenName'
  | 'familyName'
  | 'organisation'
  | 'position'
  | 'country'
  | 'stakeholderType'
  | 'attendanceMode'
  | 'language'
  | 'consentDataProcessing'
  | 'consentListOfParticipants'
  | 'consentPhotography'
  | 'delegationId'
  | 'isDelegationHead'
>;

export function detailsFrom(dto: CreateRegistrationDto): PersonDetails {
  return {
    email: dto.email,
    givenName: dto.givenName,
    familyName: dto.familyName,
    organisation: dto.organisation,
    position: dto.position ?? null,
    country: dto.country,
    stakeholderType: dto.stakeholderType,
    attendanceMode: dto.attendanceMode,
    language: dto.language,
    consentDataProcessing: dto.consent.dataProcessing,
    consentListOfParticipants: dto.consent.listOfParticipants,
    consentPhotography: dto.consent.photography ?? false,
    delegationId: null,
    isDelegationHead: false,
  };
}

@Injectable()
export class RegistrationsService {
  constructor(
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
    private readonly events: EventsService,
    private readonly seats: SeatsService,
    private readonly notifications: NotificationsService,
    private readonly idempotency: IdempotencyService,
    private readonly transactions: TransactionRunner,
    private readonly hooks: EventHooks,
    private readonly batcher: AdmissionBatcher,
  ) {}

  /**
   * Registers one person. The answer is 201 with the registration; a retry with the same
   * Idempotency-Key gets the first answer again instead of a second registration.
   */
  async register(
    slug: string,
    dto: CreateRegistrationDto,
    idempotencyKey?: string,
  ): Promise<StoredAnswer> {
    const scope = `POST /api/v1/public/events/${slug}/registrations`;
    const requestHash = hashRequest(dto);
    const replayed = async () =>
      idempotencyKey ? this.idempotency.recall(scope, idempotencyKey, requestHash) : undefined;
    const replay = await replayed();
    if (replay) return replay;
    const event = await this.events.findVisible(slug);
    assertRegistrationOpen(event, new Date());
    const problems = checkChoices(event, dto);
    const sessionIds = dto.sessionIds ?? [];
    const sessions = await this.seats.sessionsOf(this.registrations.manager, event.id, sessionIds);
    if (sessions.length !== sessionIds.length) {
      problems.push({ field: 'sessionIds', message: 'must be sessions of this event' });
    }
    if (problems.length > 0) throw new ValidationFailedError(problems);
    // A retry whose first try committed meanwhile finds "its" registration: it gets the first
    // answer, not the duplicate's 409 (and no re-sent email).
    if (idempotencyKey && (await this.findActive(event.id, dto.email))) {
      const first = await replayed();
      if (first) return first;
    }
    // No duplicate check here: the unique index on the active email decides, under the lock,
    // and a violation is answered below (409 ALREADY_REGISTERED, the confirmation re-sent).
    const remember = async (manager: EntityManager, answer: StoredAnswer) => {
      if (idempotencyKey) {
        await this.idempotency.remember(manager, scope, idempotencyKey, requestHash, answer);
      }
    };
    for (let attempt = 1; ; attempt++) {
      try {
        if (sessions.length === 0)
          return await this.admitWithoutSessions(event, dto, !!idempotencyKey, remember);
        return await this.transactions.run(async (manager) => {
          const registration = await this.admit(manager, event.id, detailsFrom(dto), sessions);
          const answer = { status: 201, body: presentRegistration(registration, event, sessions) };
          await remember(manager, answer);
          return answer;
        });
      } catch (error) {
        if (
          isUniqueViolation(error, 'uq_registrations_event_reference') &&
          attempt < REFERENCE_ATTEMPTS
        ) {
          continue;
        }
        const duplicate = isUniqueViolation(error, 'uq_registrations_active_email');
        if (duplicate || isUniqueViolation(error, 'pk_idempotency_keys')) {
          // Another try with the same key committed first: its answer is this one's too.
          const first = await replayed();
          if (first) return first;
        }
        if (duplicate) {
          await this.refuseDuplicate(event.id, dto.email);
          // The other registration was cancelled meanwhile: the address is free, try again.
          if (attempt < REFERENCE_ATTEMPTS) continue;
        }
        throw error;
      }
    }
  }

  /**
   * A person with no session choices (nearly everyone): the admission is one statement
   * (single-admission.sql.ts), so the event's lock is held only inside PostgreSQL; people who
   * register for the event at the same moment share one (AdmissionBatcher). With an
   * Idempotency-Key the answer is stored in the same transaction, one statement later.
   */
  private async admitWithoutSessions(
    event: Event,
    dto: CreateRegistrationDto,
    idempotent: boolean,
    remember: (manager: EntityManager, answer: StoredAnswer) => Promise<void>,
  ): Promise<StoredAnswer> {
    const details = detailsFrom(dto);
    const registration = this.registrations.create({
      ...details,
      id: randomUUID(),
      eventId: event.id,
      reference: newReference(),
      manageToken: randomToken(24),
      joinToken: randomToken(24),
      checkinCode: randomToken(24),
      cancelledAt: null,
    });
    const now = new Date();
    const person: AdmissionInput = {
      n: 0,
      id: registration.id,
      reference: registration.reference,
      attendance_mode: details.attendanceMode,
      email: details.email,
      given_name: details.givenName,
      family_name: details.familyName,
      organisation: details.organisation,
      position: details.position,
      country: details.country,
      stakeholder_type: details.stakeholderType,
      language: details.language,
      consent_data_processing: details.consentDataProcessing,
      consent_list_of_participants: details.consentListOfParticipants,
      consent_photography: details.consentPhotography,
      manage_token: registration.manageToken,
      join_token: registration.joinToken,
      checkin_code: registration.checkinCode,
    };
    const admitted = (row: SingleAdmissionRow | undefined) => {
      if (!row) throw new EventNotFoundError(event.slug);
      if (row.id === null || row.status === null || row.created_at === null) {
        return { row, answer: undefined };
      }
      Object.assign(registration, {
        status: row.status,
        queuedAt: row.queued_at,
        queuePosition: row.queue_position,
        confirmedAt: row.confirmed_at,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
      return { row, answer: { status: 201, body: presentRegistration(registration, event, []) } };
    };
    // With a key the answer is stored in the same transaction; without one the statement runs
    // alone (autocommit), batched with whoever registers for the event at the same moment.
    const { row, answer } = idempotent
      ? await this.transactions.run(async (manager) => {
          const [first] = await manager.query<SingleAdmissionRow[]>(
            SINGLE_ADMISSION_SQL[details.attendanceMode],
            singleAdmissionParams(event.id, person, now),
          );
          const result = admitted(first);
          if (result.answer) await remember(manager, result.answer);
          return result;
        })
      : admitted(await this.batcher.admit(event.id, person, now));
    this.hooks.write(event.id);
    if (answer) return answer;
    // Nothing was inserted: say why, from the event as it was under the lock.
    const locked: Event = {
      ...event,
      status: row.event_status as Event['status'],
      registrationOpensAt: row.registration_opens_at,
      registrationClosesAt: row.registration_closes_at,
      requiresApproval: row.requires_approval,
      waitlist: row.waitlist,
      capacityInPerson: row.capacity_in_person,
      capacityOnline: row.capacity_online,
      seatsTakenInPerson: row.seats_taken_in_person,
      seatsTakenOnline: row.seats_taken_online,
    };
    assertRegistrationOpen(locked, now);
    // A full mode without a waitlist: a duplicate still hears "already registered".
    await this.refuseDuplicate(event.id, dto.email);
    throw RegistrationConflictError.modeFull(
      details.attendanceMode,
      modesWithRoom(locked, details.attendanceMode),
    );
  }

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

  private findActive(eventId: string, email: string): Promise<Registration | null> {
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
  private async refuseDuplicate(eventId: string, email: string): Promise<void> {
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
