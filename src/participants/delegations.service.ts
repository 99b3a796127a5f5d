import { Injectable } from '@nestjs/common';
import { randomToken } from '../common/auth/token-secrets';
import { ValidationFailedError } from '../common/errors/domain-error';
import { EventsService } from '../events/events.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SeatsService } from './seats.service';
import { admissionsOf, DelegationAdmissionsService } from './delegation-admissions.service';
import { Delegation } from './delegation.entity';
import { delegationSummary } from './delegation-notices';
import { DelegationView, presentDelegation } from './delegation.presenter';
import { attendingEmails, checkDelegation, parseDelegation } from './delegation-rules';
import { DelegationsQueryService } from './delegations-query.service';
import { assertRegistrationOpen } from './registration-rules';
import type { Registration } from './registration.entity';

/**
 * Registering a whole delegation, all or nothing, and the head's view of it. What the head
 * changes later (add or cancel a member) is DelegationMembersService.
 */
@Injectable()
export class DelegationsService {
  constructor(
    private readonly query: DelegationsQueryService,
    private readonly admissions: DelegationAdmissionsService,
    private readonly seats: SeatsService,
    private readonly events: EventsService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Checks everything first and refuses with one 400 listing every problem of every person;
   * then, in one transaction, stores the delegation, registers every attending person (each
   * their own status by capacity and their own email) and queues the head's summary.
   * `body` is the raw request: see CreateDelegationDto for why it is validated here.
   */
  async create(slug: string, body: unknown): Promise<DelegationView> {
    const { dto, errors } = await parseDelegation(body);
    const event = await this.events.findVisible(slug);
    const registered = await this.query.activeEmails(event.id, attendingEmails(dto, errors));
    const problems = [...errors, ...checkDelegation(event, dto, errors, registered)];
    if (problems.length > 0) {
      throw new ValidationFailedError(problems, 'The delegation is not valid; nothing was stored.');
    }
    assertRegistrationOpen(event, new Date());
    const people = admissionsOf(dto);
    return this.admissions.inTransaction(event.id, people, async (manager) => {
      const locked = await this.seats.lockEvent(manager, event.id);
      assertRegistrationOpen(locked, new Date());
      const delegation = await manager.save(
        manager.create(Delegation, {
          eventId: event.id,
          name: dto.name,
          organisation: dto.organisation,
          stakeholderType: dto.stakeholderType,
          country: dto.country,
          language: dto.language,
          headEmail: dto.head.email,
          headGivenName: dto.head.givenName,
          headFamilyName: dto.head.familyName,
          headPosition: dto.head.position ?? null,
          manageToken: randomToken(24),
        }),
      );
      const members: Registration[] = [];
      for (const person of people) {
        members.push(await this.admissions.admit(manager, delegation, person));
      }
      await this.notifications.enqueue(manager, delegationSummary(delegation, members, 'created'));
      return presentDelegation(delegation, locked, members);
    });
  }

  /** The head's page: the delegation and every member with mode, status and reference. */
  async view(manageToken: string): Promise<DelegationView> {
    const delegation = await this.query.findByManageToken(manageToken);
    const event = await this.events.findById(delegation.eventId);
    return presentDelegation(delegation, event, await this.query.membersOf(delegation.id));
  }
}
