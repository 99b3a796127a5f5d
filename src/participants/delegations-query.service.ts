import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/paging';
import { EventsService } from '../events/events.service';
import { Delegation } from './delegation.entity';
import {
  type MemberCounts,
  presentDelegationForStaff,
  type StaffDelegationView,
} from './delegation.presenter';
import { DelegationNotFoundError } from './participants.errors';
import { ACTIVE_STATUSES, Registration, REGISTRATION_STATUSES } from './registration.entity';

const noMembers = (): MemberCounts =>
  Object.fromEntries(REGISTRATION_STATUSES.map((status) => [status, 0])) as MemberCounts;

/** Reading delegations: by the head's token, their members, and the organiser's list. */
@Injectable()
export class DelegationsQueryService {
  constructor(
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
    private readonly events: EventsService,
  ) {}

  async findByManageToken(manageToken: string): Promise<Delegation> {
    const delegation = await this.delegations.findOneBy({ manageToken });
    if (!delegation) throw new DelegationNotFoundError();
    return delegation;
  }

  /**
   * Every registration of the delegation (cancelled ones too), oldest first. Those registered
   * together share created_at (the transaction's time), so within one batch the head comes
   * first and the others by name: a stable order, though not the order of the request.
   */
  membersOf(delegationId: string, manager?: EntityManager): Promise<Registration[]> {
    return (manager ?? this.registrations.manager).find(Registration, {
      where: { delegationId },
      order: {
        createdAt: 'ASC',
        isDelegationHead: 'DESC',
        familyName: 'ASC',
        givenName: 'ASC',
        id: 'ASC',
      },
    });
  }

  /** The delegation's registration `registrationId`, or null when it is not one of its members. */
  memberOf(delegationId: string, registrationId: string): Promise<Registration | null> {
    return this.registrations.findOneBy({ id: registrationId, delegationId });
  }

  /** Which of `emails` (lower-cased) already hold an active registration for the event. */
  async activeEmails(
    eventId: string,
    emails: string[],
    manager?: EntityManager,
  ): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const rows = await (manager ?? this.registrations.manager)
      .createQueryBuilder(Registration, 'r')
      .select('lower(r.email)', 'email')
      .where('r.eventId = :eventId AND lower(r.email) IN (:...emails)', { eventId, emails })
      .andWhere('r.status IN (:...active)', { active: ACTIVE_STATUSES })
      .getRawMany<{ email: string }>();
    return new Set(rows.map((row) => row.email));
  }

  /** The organiser's list, oldest first, with each delegation's members counted by status. */
  async list(slug: string, page: PageQueryDto): Promise<Page<StaffDelegationView>> {
    const event = await this.events.findBySlug(slug);
    const qb = this.delegations
      .createQueryBuilder('d')
      .where('d.eventId = :eventId', { eventId: event.id })
      .orderBy('d.createdAt', 'ASC')
      .addOrderBy('d.id', 'ASC');
    if (page.cursor) {
      // created_at has microseconds, a JS Date only milliseconds: compare with the row itself.
      const [id] = decodeCursor(page.cursor, ['uuid']);
      qb.andWhere(
        '(d.created_at, d.id) > (SELECT c.created_at, c.id FROM delegations c WHERE c.id = :cursorId)',
        { cursorId: id },
      );
    }
    const rows = await qb.limit(page.limit + 1).getMany();
    const counts = await this.countsByDelegation(rows.slice(0, page.limit).map((d) => d.id));
    return toPage(
      rows,
      page.limit,
      (d) => [d.id],
      (d) => presentDelegationForStaff(d, counts.get(d.id) ?? noMembers()),
    );
  }

  private async countsByDelegation(ids: string[]): Promise<Map<string, MemberCounts>> {
    const counts = new Map<string, MemberCounts>();
    if (ids.length === 0) return counts;
    const rows = await this.registrations
      .createQueryBuilder('r')
      .select('r.delegationId', 'delegationId')
      .addSelect('r.status', 'status')
      .addSelect('count(*)::int', 'count')
      .where({ delegationId: In(ids) })
      .groupBy('r.delegationId')
      .addGroupBy('r.status')
      .getRawMany<{ delegationId: string; status: Registration['status']; count: number }>();
    for (const row of rows) {
      const of = counts.get(row.delegationId) ?? noMembers();
      of[row.status] = row.count;
      counts.set(row.delegationId, of);
    }
    return counts;
  }
}
