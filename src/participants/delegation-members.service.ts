import type { Registration } from './registration.entity';
import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { modesOf } from '../events/event.entity';
import { EventsService } from '../events/events.service';
import { NotificationsService } from '../notifications/notifications.service';
import { AddDelegationMemberDto } from './dto/create-delegation.dto';
import { Admission, DelegationAdmissionsService } from './delegation-admissions.service';
import { delegationSummary } from './delegation-notices';
import { DelegationView, presentDelegation } from './delegation.presenter';
import { emailKey } from './delegation-rules';
import { DelegationsQueryService } from './delegations-query.service';
import { DelegationConflictError, RegistrationNotFoundError } from './participants.errors';
import { RegistrationChangesService } from './registration-changes.service';
import { assertRegistrationOpen } from './registration-rules';
import { ACTIVE_STATUSES } from './registration.entity';
import { SeatsService } from './seats.service';

/** What the head of a delegation changes through the private link: add or cancel a member. */
@Injectable()
export class DelegationMembersService {
  constructor(
    private readonly query: DelegationsQueryService,
    private readonly admissions: DelegationAdmissionsService,
    private readonly changes: RegistrationChangesService,
    private readonly seats: SeatsService,
    private readonly events: EventsService,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * One more member, by the rules of the whole: a mode the event offers, room in the delegation
   * (active members, the head included when attending), nobody registered twice, and a status
   * by capacity. The member gets their confirmation and the head a new summary.
   */
  async add(manageToken: string, dto: AddDelegationMemberDto): Promise<DelegationView> {
    const delegation = await this.query.findByManageToken(manageToken);
    const event = await this.events.findById(delegation.eventId);
    assertRegistrationOpen(event, new Date());
    if (!modesOf(event.format).includes(dto.attendanceMode)) {
      throw ValidationFailedError.field(
        'attendanceMode',
        `must be one of ${modesOf(event.format).join(', ')} for this event`,
      );
    }
    const person: Admission = {
      path: '',
      person: dto,
      attendanceMode: dto.attendanceMode,
      // A head who did not attend at first and joins now is still the head.
      isHead: emailKey(dto.email) === emailKey(delegation.headEmail),
      consent: dto.consent,
    };
    return this.admissions.inTransaction(event.id, [person], async (manager) => {
      // Under the event's lock, so two additions at once cannot both take the last place.
      const locked = await this.seats.lockEvent(manager, event.id);
      const members = await this.query.membersOf(delegation.id, manager);
      const active = members.filter((m) => ACTIVE_STATUSES.includes(m.status)).length;
      if (active >= locked.maxDelegationSize) {
        throw new DelegationConflictError(
          'DELEGATION_FULL',
          `The delegation already has ${active} of at most ${locked.maxDelegationSize} people.`,
          { maxDelegationSize: locked.maxDelegationSize },
        );
      }
      if ((await this.query.activeEmails(event.id, [emailKey(dto.email)], manager)).size > 0) {
        throw DelegationConflictError.alreadyRegistered(['email']);
      }
      const registration = await this.admissions.admit(manager, delegation, person);
      members.push(registration);
      await this.notifications.enqueue(
        manager,
        delegationSummary(delegation, members, 'member_added', registration.id),
      );
      return presentDelegation(delegation, locked, members);
    });
  }

  /**
   * Cancels one member as if they had cancelled themselves (the seat is freed, the waitlist
   * promoted, the member told), then sends the head an updated summary.
   */
  async cancel(manageToken: string, registrationId: string): Promise<DelegationView> {
    const delegation = await this.query.findByManageToken(manageToken);
    const member = await this.query.memberOf(delegation.id, registrationId);
    if (!member) throw new RegistrationNotFoundError();
    // The head's new summary is queued in the cancellation's own transaction: both or neither.
    let members: Registration[] = [];
    await this.changes.cancel({ id: member.id, eventId: member.eventId }, async (manager) => {
      members = await this.query.membersOf(delegation.id, manager);
      await this.notifications.enqueue(
        manager,
        delegationSummary(delegation, members, 'member_cancelled', member.id),
      );
    });
    const event = await this.events.findById(delegation.eventId);
    return presentDelegation(delegation, event, members);
  }
}
