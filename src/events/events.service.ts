import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-error';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/paging';
import { isUniqueViolation } from '../database/postgres-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { CreateEventDto } from './dto/create-event.dto';
import { UpdateEventDto } from './dto/update-event.dto';
import { Event, EventStatus, modesOf } from './event.entity';
import { EventHooks } from './event-hooks';
import { checkEventShape, checkReadyToPublish, checkSessionShape, isWithin } from './event-rules';
import { EventConflictError, EventNotFoundError } from './events.errors';
import { EventSession } from './sessions/event-session.entity';

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const dateOrNull = (value: string | null | undefined) => (value ? new Date(value) : null);

@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly transactions: TransactionRunner,
    private readonly hooks: EventHooks,
  ) {}

  async create(dto: CreateEventDto): Promise<Event> {
    const event = this.events.create({
      slug: dto.slug,
      title: dto.title,
      description: dto.description ?? '',
      timezone: dto.timezone,
      startsAt: new Date(dto.startsAt),
      endsAt: new Date(dto.endsAt),
      format: dto.format,
      status: 'draft',
      venueName: orNull(dto.venue?.name),
      venueAddress: orNull(dto.venue?.address),
      onlineJoinUrl: orNull(dto.onlineJoinUrl),
      capacityInPerson: orNull(dto.capacity.inPerson),
      capacityOnline: orNull(dto.capacity.online),
      registrationOpensAt: dateOrNull(dto.registration?.opensAt),
      registrationClosesAt: dateOrNull(dto.registration?.closesAt),
      requiresApproval: dto.registration?.requiresApproval ?? false,
      waitlist: dto.registration?.waitlist ?? true,
      maxDelegationSize: dto.registration?.maxDelegationSize ?? 10,
      languages: dto.languages ?? ['en'],
      onlineAttendanceMinMinutes: dto.onlineAttendanceMinMinutes ?? 15,
    });
    const problems = checkEventShape(event);
    if (problems.length > 0) throw new ValidationFailedError(problems);
    try {
      return await this.events.save(event);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_events_slug')) {
        throw new EventConflictError('SLUG_TAKEN', `An event with the slug ${dto.slug} exists.`);
      }
      throw error;
    }
  }

  async list(query: PageQueryDto, status?: EventStatus): Promise<Page<Event>> {
    const qb = this.events
      .createQueryBuilder('e')
      .orderBy('e.startsAt', 'ASC')
      .addOrderBy('e.id', 'ASC');
    if (status) qb.andWhere('e.status = :status', { status });
    if (query.cursor) {
      const [startsAt, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      qb.andWhere('(e.startsAt, e.id) > (:startsAt, :id)', { startsAt, id });
    }
    const rows = await qb.limit(query.limit + 1).getMany();
    return toPage(
      rows,
      query.limit,
      (e) => [e.startsAt.toISOString(), e.id],
      (e) => e,
    );
  }

  async findById(id: string): Promise<Event> {
    const event = await this.events.findOneBy({ id });
    if (!event) throw new EventNotFoundError(id);
    return event;
  }

  async findBySlug(slug: string): Promise<Event> {
    const event = await this.events.findOneBy({ slug });
    if (!event) throw new EventNotFoundError(slug);
    return event;
  }

  /** The public may see published and cancelled events; a draft does not exist for them. */
  async findVisible(slug: string): Promise<Event> {
    const event = await this.events.findOneBy({ slug });
    if (!event || event.status === 'draft') throw new EventNotFoundError(slug);
    return event;
  }

  /** Locks the event row for the rest of the transaction, so agenda and window stay consistent. */
  async lockBySlug(manager: EntityManager, slug: string): Promise<Event> {
    const event = await manager.findOne(Event, {
      where: { slug },
      lock: { mode: 'pessimistic_write' },
    });
    if (!event) throw new EventNotFoundError(slug);
    this.hooks.write(event.id);
    return event;
  }

  async update(slug: string, dto: UpdateEventDto): Promise<Event> {
    return this.transactions.run(async (manager) => {
      const event = await this.lockBySlug(manager, slug);
      if (event.status === 'cancelled') {
        throw new EventConflictError('EVENT_CANCELLED', 'A cancelled event cannot be changed.');
      }
      const before = { in_person: event.capacityInPerson, online: event.capacityOnline };
      const noticed = noticeableFields(event);
      const modesBefore = modesOf(event.format);
      applyUpdate(event, dto);
      const problems = checkEventShape(event);
      if (problems.length > 0) throw new ValidationFailedError(problems);
      assertSeatsFit(event);
      const removed = modesBefore.filter((mode) => !modesOf(event.format).includes(mode));
      if (removed.length > 0) await this.hooks.removeModes(manager, event, removed);
      await this.assertSessionsFit(manager, event);
      await manager.save(event);
      for (const mode of modesOf(event.format)) {
        const capacity = mode === 'in_person' ? event.capacityInPerson : event.capacityOnline;
        if ((capacity ?? 0) > (before[mode] ?? 0)) {
          await this.hooks.raiseCapacity(manager, event, mode);
        }
      }
      const now = noticeableFields(event);
      const changes = Object.keys(now).filter((field) => now[field] !== noticed[field]);
      if (changes.length > 0 && event.status === 'published') {
        await this.hooks.change(manager, event, changes);
      }
      return event;
    });
  }

  async publish(slug: string): Promise<Event> {
    return this.transactions.run(async (manager) => {
      const event = await this.lockBySlug(manager, slug);
      if (event.status === 'cancelled') {
        throw new EventConflictError('EVENT_CANCELLED', 'A cancelled event cannot be published.');
      }
      if (event.status === 'published') {
        throw new EventConflictError('ALREADY_PUBLISHED', 'The event is already published.');
      }
      const missing = checkReadyToPublish(event);
      if (missing.length > 0) {
        throw new EventConflictError('EVENT_INCOMPLETE', 'The event is not ready to publish.', {
          errors: missing,
        });
      }
      event.status = 'published';
      event.publishedAt = new Date();
      return manager.save(event);
    });
  }

  async cancel(slug: string): Promise<Event> {
    return this.transactions.run(async (manager) => {
      const event = await this.lockBySlug(manager, slug);
      if (event.status === 'cancelled') {
        throw new EventConflictError('EVENT_CANCELLED', 'The event is already cancelled.');
      }
      const wasPublished = event.status === 'published';
      event.status = 'cancelled';
      event.cancelledAt = new Date();
      await manager.save(event);
      if (wasPublished) await this.hooks.cancel(manager, event);
      return event;
    });
  }

  /** A changed window or format must still fit every session of the agenda. */
  private async assertSessionsFit(manager: EntityManager, event: Event): Promise<void> {
    const sessions = await manager.find(EventSession, { where: { eventId: event.id } });
    const misfits = sessions
      .map((session) => ({ session, problems: checkSessionShape(session, event) }))
      .filter(({ problems }) => problems.length > 0);
    if (misfits.length === 0) return;
    const outside = misfits.some(({ session }) => !isWithin(session, event));
    throw new EventConflictError(
      outside ? 'SESSIONS_OUTSIDE_EVENT' : 'SESSIONS_DO_NOT_FIT_FORMAT',
      outside
        ? 'Some sessions would fall outside the event; move them first.'
        : 'Some sessions have fields the new format does not allow; change them first.',
      {
        sessions: misfits.map(({ session, problems }) => ({
          id: session.id,
          title: session.title,
          errors: problems,
        })),
      },
    );
  }
}

/** What registrants must be told about when it changes: when, where, and the way in online. */
function noticeableFields(event: Event): Record<string, string | null> {
  return {
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timezone: event.timezone,
    venueName: event.venueName,
    venueAddress: event.venueAddress,
    onlineJoinUrl: event.onlineJoinUrl,
  };
}

/** A capacity may not drop below the seats already confirmed, nor a mode in use disappear. */
function assertSeatsFit(event: Event): void {
  const modes = [
    {
      field: 'capacity.inPerson',
      capacity: event.capacityInPerson,
      taken: event.seatsTakenInPerson,
    },
    { field: 'capacity.online', capacity: event.capacityOnline, taken: event.seatsTakenOnline },
  ];
  for (const { field, capacity, taken } of modes) {
    if (taken > (capacity ?? 0)) {
      throw new EventConflictError(
        'CAPACITY_BELOW_CONFIRMED',
        `${field} cannot be ${capacity ?? 'removed'}: ${taken} seats are already confirmed.`,
        { field, confirmed: taken },
      );
    }
  }
}

/** Merges a PATCH into the event: absent fields stay, null clears, nested objects merge. */
function applyUpdate(event: Event, dto: UpdateEventDto): void {
  if (dto.title !== undefined) event.title = dto.title;
  if (dto.description !== undefined) event.description = dto.description;
  if (dto.timezone !== undefined) event.timezone = dto.timezone;
  if (dto.startsAt !== undefined) event.startsAt = new Date(dto.startsAt);
  if (dto.endsAt !== undefined) event.endsAt = new Date(dto.endsAt);
  if (dto.format !== undefined) event.format = dto.format;
  if (dto.venue !== undefined) {
    event.venueName = orNull(dto.venue?.name);
    event.venueAddress = orNull(dto.venue?.address);
  }
  if (dto.onlineJoinUrl !== undefined) event.onlineJoinUrl = orNull(dto.onlineJoinUrl);
  if (dto.capacity?.inPerson !== undefined) event.capacityInPerson = dto.capacity.inPerson;
  if (dto.capacity?.online !== undefined) event.capacityOnline = dto.capacity.online;
  const registration = dto.registration;
  if (registration?.opensAt !== undefined)
    event.registrationOpensAt = dateOrNull(registration.opensAt);
  if (registration?.closesAt !== undefined)
    event.registrationClosesAt = dateOrNull(registration.closesAt);
  if (registration?.requiresApproval !== undefined)
    event.requiresApproval = registration.requiresApproval;
  if (registration?.waitlist !== undefined) event.waitlist = registration.waitlist;
  if (registration?.maxDelegationSize !== undefined) {
    event.maxDelegationSize = registration.maxDelegationSize;
  }
  if (dto.languages !== undefined) event.languages = dto.languages;
  if (dto.onlineAttendanceMinMinutes !== undefined) {
    event.onlineAttendanceMinMinutes = dto.onlineAttendanceMinMinutes;
  }
}
