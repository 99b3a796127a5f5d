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
import { CreateRegistrationDto } from './dto/create-registration.dto';
import { RegistrationConflictError } from './participants.errors';
import { newReference } from './reference';
import { presentRegistration } from './registration.presenter';
import { assertRegistrationOpen, checkChoices } from './registration-rules';
import { Registration } from './registration.entity';
import { modesWithRoom, SeatsService } from './seats.service';
import { AdmissionBatcher } from './admission-batcher';
import { AdmissionsService } from './admissions.service';
import { DuplicateRegistrations } from './duplicate-registrations';
import { detailsFrom } from './person-details';
import type { AdmissionInput } from './batch-admission.sql';
import {
  SINGLE_ADMISSION_SQL,
  singleAdmissionParams,
  type SingleAdmissionRow,
} from './single-admission.sql';

/** A reference clash is retried with a new one; five clashes in a row would mean a bug. */
const REFERENCE_ATTEMPTS = 5;

@Injectable()
export class RegistrationsService {
  constructor(
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
    private readonly events: EventsService,
    private readonly seats: SeatsService,
    private readonly admissions: AdmissionsService,
    private readonly duplicates: DuplicateRegistrations,
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
    if (idempotencyKey && (await this.duplicates.findActive(event.id, dto.email))) {
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
          const registration = await this.admissions.admit(
            manager,
            event.id,
            detailsFrom(dto),
            sessions,
          );
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
          await this.duplicates.refuse(event.id, dto.email);
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
    await this.duplicates.refuse(event.id, dto.email);
    throw RegistrationConflictError.modeFull(
      details.attendanceMode,
      modesWithRoom(locked, details.attendanceMode),
    );
  }
}
