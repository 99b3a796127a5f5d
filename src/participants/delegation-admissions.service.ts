import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/postgres-errors';
import { TransactionRunner } from '../database/transaction-runner';
import type { AttendanceMode } from '../events/event.entity';
import type { ConsentDto, PersonDto } from './dto/create-registration.dto';
import type { CreateDelegationDto } from './dto/create-delegation.dto';
import type { Delegation } from './delegation.entity';
import { emailKey } from './delegation-rules';
import { DelegationsQueryService } from './delegations-query.service';
import { DelegationConflictError, RegistrationConflictError } from './participants.errors';
import type { Registration } from './registration.entity';
import { AdmissionsService } from './admissions.service';
import type { PersonDetails } from './person-details';

/** A reference clash is retried with new references; five clashes in a row would mean a bug. */
const REFERENCE_ATTEMPTS = 5;

/** One person to register for a delegation, and where their fields were in the request. */
export interface Admission {
  /** `head`, `members[2]`, or '' when the request is the person (adding one member). */
  path: string;
  person: PersonDto;
  attendanceMode: AttendanceMode;
  isHead: boolean;
  consent: ConsentDto;
}

export const fieldOf = (admission: Admission, field: string) =>
  admission.path ? `${admission.path}.${field}` : field;

/** The attending people of a valid request: the head first when attending, then the members. */
export function admissionsOf(dto: CreateDelegationDto): Admission[] {
  const { head, members, consent } = dto;
  const attendingHead: Admission[] = head.attends
    ? [
        {
          path: 'head',
          person: head,
          // checkDelegation refused an attending head without a mode.
          attendanceMode: head.attendanceMode as AttendanceMode,
          isHead: true,
          consent,
        },
      ]
    : [];
  return [
    ...attendingHead,
    ...members.map((member, i) => ({
      path: `members[${i}]`,
      person: member,
      attendanceMode: member.attendanceMode,
      isHead: false,
      consent,
    })),
  ];
}

/**
 * Registering the people of a delegation: each through AdmissionsService.admit, so seats,
 * waitlists, references and confirmations follow exactly the rules of single registrations.
 */
@Injectable()
export class DelegationAdmissionsService {
  constructor(
    private readonly admissions: AdmissionsService,
    private readonly query: DelegationsQueryService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Runs `work` in one transaction, again when a new reference clashes with one of the event's
   * (rare). A person of `admissions` registering elsewhere at the same moment (the unique index
   * on active emails) becomes a 409 naming them, never a 500; nothing of `work` is kept.
   */
  async inTransaction<T>(
    eventId: string,
    admissions: Admission[],
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactions.run(work);
      } catch (error) {
        if (
          isUniqueViolation(error, 'uq_registrations_event_reference') &&
          attempt < REFERENCE_ATTEMPTS
        ) {
          continue;
        }
        if (isUniqueViolation(error, 'uq_registrations_active_email')) {
          const registered = await this.query.activeEmails(
            eventId,
            admissions.map((a) => emailKey(a.person.email)),
          );
          throw DelegationConflictError.alreadyRegistered(
            admissions
              .filter((a) => registered.has(emailKey(a.person.email)))
              .map((a) => fieldOf(a, 'email')),
          );
        }
        throw error;
      }
    }
  }

  /** Registers one person of the delegation in the caller's transaction. */
  async admit(
    manager: EntityManager,
    delegation: Delegation,
    admission: Admission,
  ): Promise<Registration> {
    const { person, attendanceMode, isHead, consent } = admission;
    const details: PersonDetails = {
      email: person.email,
      givenName: person.givenName,
      familyName: person.familyName,
      position: person.position ?? null,
      organisation: delegation.organisation,
      country: delegation.country,
      stakeholderType: delegation.stakeholderType,
      attendanceMode,
      language: delegation.language,
      consentDataProcessing: consent.dataProcessing,
      consentListOfParticipants: consent.listOfParticipants,
      consentPhotography: consent.photography ?? false,
      delegationId: delegation.id,
      isDelegationHead: isHead,
    };
    try {
      return await this.admissions.admit(manager, delegation.eventId, details, []);
    } catch (error) {
      if (error instanceof RegistrationConflictError && error.code === 'MODE_FULL') {
        // Name the person whose mode is full: the whole request is refused because of them.
        const field = fieldOf(admission, 'attendanceMode');
        throw new RegistrationConflictError(
          'MODE_FULL',
          `${error.message} (${field}) Nothing was registered.`,
          { ...error.extensions, field },
        );
      }
      throw error;
    }
  }
}
