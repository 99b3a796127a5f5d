import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { ValidationFailedError, type FieldError } from '../../common/errors/domain-error';
import { EventsService } from '../../events/events.service';
import { UpdateEventDto } from '../../events/dto/update-event.dto';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { CreateSessionDto, UpdateSessionDto } from '../../events/sessions/dto/create-session.dto';
import type { EventSession } from '../../events/sessions/event-session.entity';
import { SessionsService } from '../../events/sessions/sessions.service';
import { validateAs, type FieldErrors } from '../shared/form';
import { field, type FormBody } from '../shared/form-body';
import { StaffPageErrorFilter } from '../staff/staff-page-error.filter';
import { eventBody, eventFormValues } from './console-event-form';
import { editPage, overviewPage, sessionEditPage } from './console-event-view';
import { ConsolePageService, type Query } from './console-page.service';
import { ConsoleSessionGuard } from './console-session.guard';
import { eventPath } from './console-view';

/**
 * `/admin/events/{slug}`: one event in the organiser console: its overview, edit, sessions
 * (add, edit, remove), publish and cancel. Server-rendered; every change is a form post with the CSRF token that
 * answers 303 back to the page it came from, so the console works without JavaScript. The
 * services are the API's, validated with the API's DTOs.
 */
@ApiExcludeController()
@Public({ rateLimited: false })
@UseGuards(ConsoleSessionGuard)
@UseFilters(StaffPageErrorFilter)
@Controller('admin/events/:slug')
export class ConsoleEventController {
  constructor(
    private readonly console: ConsolePageService,
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  async overview(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.overviewPage(slug, request, reply, {}, new Map());
  }

  @Get('edit')
  async editForm(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    await this.editPage(slug, request, reply, eventFormValues(event), new Map());
  }

  @Post('edit')
  async edit(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.console.verifyCsrf(request, form);
    const { dto, errors } = await validateAs(UpdateEventDto, eventBody(form, false));
    const fieldErrors = await savedOrErrors(errors, () => this.events.update(slug, dto));
    if (!fieldErrors) {
      await this.console.redirect(reply, eventPath(slug, '?done=1'));
      return;
    }
    await this.editPage(slug, request, reply, form, fieldErrors);
  }

  @Post('publish')
  async publish(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    this.console.verifyCsrf(request, form);
    await this.events.publish(slug);
    await this.console.redirect(reply, eventPath(slug, '?done=1'));
  }

  @Post('cancel')
  async cancel(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    this.console.verifyCsrf(request, form);
    await this.events.cancel(slug);
    await this.console.redirect(reply, eventPath(slug, '?done=1'));
  }

  @Post('sessions')
  async addSession(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.console.verifyCsrf(request, form);
    const { dto, errors } = await validateAs(CreateSessionDto, sessionBody(form));
    const fieldErrors = await savedOrErrors(errors, () => this.sessions.create(slug, dto));
    if (!fieldErrors) {
      await this.console.redirect(reply, eventPath(slug, '?done=1'));
      return;
    }
    await this.overviewPage(slug, request, reply, form, fieldErrors);
  }

  @Get('sessions/:sessionId/edit')
  async editSessionForm(
    @Param('slug') slug: string,
    @Param('sessionId', UuidParamPipe) sessionId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = await this.sessions.get(slug, sessionId);
    await this.sessionEditPage(
      slug,
      request,
      reply,
      session,
      sessionFormValues(session),
      new Map(),
    );
  }

  @Post('sessions/:sessionId/edit')
  async editSession(
    @Param('slug') slug: string,
    @Param('sessionId', UuidParamPipe) sessionId: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.console.verifyCsrf(request, form);
    // The room emptied clears it, as null does in the API's PATCH.
    const body = { ...sessionBody(form), room: field(form, 'room') || null };
    const { dto, errors } = await validateAs(UpdateSessionDto, body);
    const fieldErrors = await savedOrErrors(errors, () =>
      this.sessions.update(slug, sessionId, dto),
    );
    if (!fieldErrors) {
      await this.console.redirect(reply, eventPath(slug, '?done=1'));
      return;
    }
    const session = await this.sessions.get(slug, sessionId);
    await this.sessionEditPage(slug, request, reply, session, form, fieldErrors);
  }

  /**
   * Removes the session (its seat choices, check-ins and online attendance go with it, by the
   * schema's cascades). The service's refusals (a cancelled event's agenda, a session already
   * gone) are domain errors the page filter shows as a message page (409, 404), not a 500.
   */
  @Post('sessions/:sessionId/delete')
  async removeSession(
    @Param('slug') slug: string,
    @Param('sessionId', UuidParamPipe) sessionId: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.console.verifyCsrf(request, form);
    await this.sessions.remove(slug, sessionId);
    await this.console.redirect(reply, eventPath(slug, '?done=1'));
  }

  private async sessionEditPage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    session: EventSession,
    form: FormBody,
    fieldErrors: FieldErrors,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    await this.console.render(request, reply, event, (context, m) =>
      sessionEditPage(context, m, event, session, form, fieldErrors),
    );
  }

  private async overviewPage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormBody,
    fieldErrors: FieldErrors,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const agenda = await this.sessions.agendaOf(event.id);
    const query = request.query as Query;
    await this.console.render(request, reply, event, (context, m) =>
      overviewPage(context, m, event, agenda, query, form, fieldErrors),
    );
  }

  private async editPage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormBody,
    fieldErrors: FieldErrors,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    await this.console.render(request, reply, event, (context, m) =>
      editPage(context, m, event, form, fieldErrors),
    );
  }
}

function sessionBody(form: FormBody): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    title: field(form, 'title'),
    startsAt: field(form, 'startsAt'),
    endsAt: field(form, 'endsAt'),
  };
  if (field(form, 'room')) plain.room = field(form, 'room');
  return plain;
}

/** The form's values for an existing session. */
function sessionFormValues(session: EventSession): FormBody {
  const values: FormBody = Object.create(null) as FormBody;
  Object.assign(values, {
    title: session.title,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    room: session.room ?? '',
  });
  return values;
}

/**
 * null once `save` ran; else the DTO's errors, or the service's own field errors (an end
 * before the start…), for the form to show again with them beside their fields.
 */
async function savedOrErrors(
  errors: FieldError[],
  save: () => Promise<unknown>,
): Promise<FieldErrors | null> {
  const fieldErrors: FieldErrors = new Map(errors.map((e) => [e.field, e.message]));
  if (fieldErrors.size > 0) return fieldErrors;
  try {
    await save();
    return null;
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    for (const e of error.fieldErrors ?? []) fieldErrors.set(e.field, e.message);
  }
  return fieldErrors;
}
