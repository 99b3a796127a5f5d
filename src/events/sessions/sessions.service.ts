import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error';
import { decodeCursor, Page, PageQueryDto, toPage } from '../../common/http/paging';
import { TransactionRunner } from '../../database/transaction-runner';
import { Event } from '../event.entity';
import { checkSessionShape } from '../event-rules';
import { EventConflictError } from '../events.errors';
import { EventsService } from '../events.service';
import { CreateSessionDto, UpdateSessionDto } from './dto/create-session.dto';
import { EventSession } from './event-session.entity';

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(EventSession) private readonly sessions: Repository<EventSession>,
    private readonly events: EventsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The agenda, in time order. */
  async agendaOf(eventId: string): Promise<EventSession[]> {
    return this.sessions.find({ where: { eventId }, order: { startsAt: 'ASC', id: 'ASC' } });
  }

  async list(slug: string, query: PageQueryDto): Promise<Page<EventSession>> {
    const event = await this.events.findBySlug(slug);
    const qb = this.sessions
      .createQueryBuilder('s')
      .where('s.eventId = :eventId', { eventId: event.id })
      .orderBy('s.startsAt', 'ASC')
      .addOrderBy('s.id', 'ASC');
    if (query.cursor) {
      const [startsAt, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      qb.andWhere('(s.startsAt, s.id) > (:startsAt, :id)', { startsAt, id });
    }
    const rows = await qb.limit(query.limit + 1).getMany();
    return toPage(
      rows,
      query.limit,
      (s) => [s.startsAt.toISOString(), s.id],
      (s) => s,
    );
  }

  async get(slug: string, sessionId: string): Promise<EventSession> {
    const event = await this.events.findBySlug(slug);
    return this.findInEvent(event.id, sessionId);
  }

  async create(slug: string, dto: CreateSessionDto): Promise<EventSession> {
    return this.transactions.run(async (manager) => {
      // The event row lock keeps a concurrent change of the event's times from slipping past.
      const event = await this.events.lockBySlug(manager, slug);
      this.assertEditable(event);
      const session = manager.create(EventSession, {
        eventId: event.id,
        title: dto.title,
        description: orNull(dto.description),
        startsAt: new Date(dto.startsAt),
        endsAt: new Date(dto.endsAt),
        room: orNull(dto.room),
        speakers: dto.speakers ?? [],
        capacityInPerson: orNull(dto.capacity?.inPerson),
        onlineJoinUrl: orNull(dto.onlineJoinUrl),
      });
      const problems = checkSessionShape(session, event);
      if (problems.length > 0) throw new ValidationFailedError(problems);
      return manager.save(session);
    });
  }

  async update(slug: string, sessionId: string, dto: UpdateSessionDto): Promise<EventSession> {
    return this.transactions.run(async (manager) => {
      const event = await this.events.lockBySlug(manager, slug);
      this.assertEditable(event);
      const session = await this.findInEvent(
        event.id,
        sessionId,
        manager.getRepository(EventSession),
      );
      if (dto.title !== undefined) session.title = dto.title;
      if (dto.description !== undefined) session.description = orNull(dto.description);
      if (dto.startsAt !== undefined) session.startsAt = new Date(dto.startsAt);
      if (dto.endsAt !== undefined) session.endsAt = new Date(dto.endsAt);
      if (dto.room !== undefined) session.room = orNull(dto.room);
      if (dto.speakers !== undefined) session.speakers = dto.speakers ?? [];
      if (dto.capacity?.inPerson !== undefined) session.capacityInPerson = dto.capacity.inPerson;
      if (session.capacityInPerson !== null && session.capacityInPerson < session.seatsTaken) {
        throw new EventConflictError(
          'CAPACITY_BELOW_CONFIRMED',
          `capacity.inPerson cannot be ${session.capacityInPerson}: ${session.seatsTaken} seats are already confirmed.`,
          { field: 'capacity.inPerson', confirmed: session.seatsTaken },
        );
      }
      if (dto.onlineJoinUrl !== undefined) session.onlineJoinUrl = orNull(dto.onlineJoinUrl);
      const problems = checkSessionShape(session, event);
      if (problems.length > 0) throw new ValidationFailedError(problems);
      return manager.save(session);
    });
  }

  async remove(slug: string, sessionId: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const event = await this.events.lockBySlug(manager, slug);
      this.assertEditable(event);
      const session = await this.findInEvent(
        event.id,
        sessionId,
        manager.getRepository(EventSession),
      );
      await manager.remove(session);
    });
  }

  private assertEditable(event: Event): void {
    if (event.status === 'cancelled') {
      throw new EventConflictError(
        'EVENT_CANCELLED',
        'The agenda of a cancelled event cannot change.',
      );
    }
  }

  private async findInEvent(
    eventId: string,
    sessionId: string,
    repository: Repository<EventSession> = this.sessions,
  ): Promise<EventSession> {
    const session = await repository.findOneBy({ id: sessionId, eventId });
    if (!session) throw new NotFoundError(`The session ${sessionId}`, 'SESSION_NOT_FOUND');
    return session;
  }
}
