import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto } from '../common/http/paging';
import type { Event } from './event.entity';
import { EventHooks } from './event-hooks';
import { presentPublicEvent, PublicEventView } from './event.presenter';
import { EventsService } from './events.service';
import type { EventSession } from './sessions/event-session.entity';
import { SessionsService } from './sessions/sessions.service';

/**
 * How long this instance answers the public view of an event from memory. Every change made
 * through this instance drops the entry at once (EventHooks.write); changes made by other
 * instances show after at most this long.
 */
export const PUBLIC_EVENT_CACHE_MS = 2000;
/** Only published events are kept, so this only bounds memory against a huge catalogue. */
const MAX_CACHED_EVENTS = 1000;

interface Cached {
  eventId: string | null;
  expiresAt: number;
  loaded: Promise<{ event: Event; agenda: EventSession[] }>;
}

/** The published catalogue: events with their agenda and seats left, and no secrets. */
@Injectable()
export class PublicEventsService {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
    hooks: EventHooks,
  ) {
    hooks.onWritten((eventId) => {
      // Loads still in flight (eventId not known yet) may have read the old row: drop them too.
      for (const [slug, entry] of this.cache) {
        if (entry.eventId === eventId || entry.eventId === null) this.cache.delete(slug);
      }
    });
  }

  async list(query: PageQueryDto): Promise<Page<PublicEventView>> {
    const page = await this.events.list(query, 'published');
    const now = new Date();
    const items = await Promise.all(
      page.items.map(async (event) =>
        presentPublicEvent(event, await this.sessions.agendaOf(event.id), now),
      ),
    );
    return { items, nextCursor: page.nextCursor };
  }

  /**
   * The most read page of the service (everyone opens it when registration opens): answered
   * from a short per-instance cache, with concurrent misses sharing one load. `open` is worked
   * out per request, so it turns exactly at the registration window's edges.
   */
  async get(slug: string): Promise<PublicEventView> {
    const now = Date.now();
    let entry = this.cache.get(slug);
    if (!entry || entry.expiresAt <= now) {
      entry = this.load(slug, now);
    }
    const { event, agenda } = await entry.loaded;
    return presentPublicEvent(event, agenda, new Date());
  }

  private load(slug: string, now: number): Cached {
    const entry: Cached = {
      eventId: null,
      expiresAt: now + PUBLIC_EVENT_CACHE_MS,
      loaded: (async () => {
        const event = await this.events.findVisible(slug);
        const agenda = await this.sessions.agendaOf(event.id);
        return { event, agenda };
      })(),
    };
    if (this.cache.size >= MAX_CACHED_EVENTS) this.cache.clear();
    this.cache.set(slug, entry);
    entry.loaded.then(
      ({ event }) => {
        entry.eventId = event.id;
      },
      () => {
        // Unknown or draft: never cached, so publishing shows at once.
        if (this.cache.get(slug) === entry) this.cache.delete(slug);
      },
    );
    return entry;
  }
}
