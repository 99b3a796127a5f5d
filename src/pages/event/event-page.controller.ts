import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { EventsService } from '../../events/events.service';
import { SessionsService } from '../../events/sessions/sessions.service';
import { html } from '../shared/html';
import { PageErrorFilter } from '../shared/page-error.filter';
import { PageResponder } from '../shared/page-responder';
import { agendaList, eventFacts } from './event-view';

/** `/e/{slug}`: the public event page. Public and rate limited like the public API. */
@ApiExcludeController()
@Public({ rateLimited: true })
@UseFilters(PageErrorFilter)
@Controller('e')
export class EventPageController {
  constructor(
    private readonly pages: PageResponder,
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
  ) {}

  @Get(':slug')
  async show(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findVisible(slug);
    const agenda = await this.sessions.agendaOf(event.id);
    const context = this.pages.context(request, reply, event.languages);
    const { t } = context;
    await this.pages.send(reply, context, {
      title: event.title,
      body: html`<h1>${event.title}</h1>
        ${
          event.status === 'cancelled' &&
          html`<div class="banner bad"><p>${t.event.cancelled}</p></div>`
        }
        ${event.description && html`<p>${event.description}</p>`} ${eventFacts(context, event)}
        ${agendaList(context, event, agenda)}`,
    });
  }
}
