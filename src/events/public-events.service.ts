import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto } from '../common/http/paging';
import { presentPublicEvent, PublicEventView } from './event.presenter';
import { EventsService } from './events.service';
import { SessionsService } from './sessions/sessions.service';

/** The published catalogue: events with their agenda and seats left, and no secrets. */
@Injectable()
export class PublicEventsService {
  constructor(
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
  ) {}

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

  async get(slug: string): Promise<PublicEventView> {
    const event = await this.events.findVisible(slug);
    return presentPublicEvent(event, await this.sessions.agendaOf(event.id), new Date());
  }
}
