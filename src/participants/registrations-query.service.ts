import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { decodeCursor, Page, toPage } from '../common/http/paging';
import type { Event } from '../events/event.entity';
import { EventsService } from '../events/events.service';
import { EventSession } from '../events/sessions/event-session.entity';
import { ListRegistrationsQueryDto } from './dto/list-registrations.dto';
import { RegistrationNotFoundError } from './participants.errors';
import { presentRegistrationForStaff, StaffRegistrationView } from './registration.presenter';
import { RegistrationSession } from './registration-session.entity';
import { Registration } from './registration.entity';
import { containsFolded, escapeLike } from './search-text';

@Injectable()
export class RegistrationsQueryService {
  constructor(
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
    @InjectRepository(RegistrationSession)
    private readonly choices: Repository<RegistrationSession>,
    private readonly events: EventsService,
  ) {}

  async list(slug: string, query: ListRegistrationsQueryDto): Promise<Page<StaffRegistrationView>> {
    const event = await this.events.findBySlug(slug);
    const qb = this.registrations
      .createQueryBuilder('r')
      .where('r.eventId = :eventId', { eventId: event.id })
      .orderBy('r.createdAt', 'ASC')
      .addOrderBy('r.id', 'ASC');
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.mode) qb.andWhere('r.attendanceMode = :mode', { mode: query.mode });
    if (query.delegationId)
      qb.andWhere('r.delegationId = :delegationId', { delegationId: query.delegationId });
    const q = query.q?.trim();
    if (q) qb.andWhere(`r.search_text LIKE ${containsFolded(':q')}`, { q: escapeLike(q) });
    if (query.cursor) {
      // created_at has microseconds; compare with the row itself, not a rounded copy of its time.
      const [id] = decodeCursor(query.cursor, ['uuid']);
      qb.andWhere(
        '(r.created_at, r.id) > (SELECT c.created_at, c.id FROM registrations c WHERE c.id = :cursorId)',
        {
          cursorId: id,
        },
      );
    }
    const rows = await qb.limit(query.limit + 1).getMany();
    const sessions = await this.sessionsByRegistration(rows.slice(0, query.limit).map((r) => r.id));
    return toPage(
      rows,
      query.limit,
      (r) => [r.id],
      (r) => presentRegistrationForStaff(r, event, sessions.get(r.id) ?? []),
    );
  }

  async get(slug: string, id: string): Promise<StaffRegistrationView> {
    const event = await this.events.findBySlug(slug);
    const registration = await this.findInEvent(event, id);
    const sessions = await this.sessionsByRegistration([registration.id]);
    return presentRegistrationForStaff(registration, event, sessions.get(registration.id) ?? []);
  }

  async findInEvent(event: Event, id: string): Promise<Registration> {
    const registration = await this.registrations.findOneBy({ id, eventId: event.id });
    if (!registration) throw new RegistrationNotFoundError();
    return registration;
  }

  async findByManageToken(manageToken: string): Promise<Registration> {
    const registration = await this.registrations.findOneBy({ manageToken });
    if (!registration) throw new RegistrationNotFoundError();
    return registration;
  }

  async sessionsByRegistration(registrationIds: string[]): Promise<Map<string, EventSession[]>> {
    const byRegistration = new Map<string, EventSession[]>();
    if (registrationIds.length === 0) return byRegistration;
    const choices = await this.choices.find({
      where: { registrationId: In(registrationIds) },
      relations: { session: true },
      order: { session: { startsAt: 'ASC' } },
    });
    for (const choice of choices) {
      if (!choice.session) continue;
      const list = byRegistration.get(choice.registrationId) ?? [];
      list.push(choice.session);
      byRegistration.set(choice.registrationId, list);
    }
    return byRegistration;
  }
}
