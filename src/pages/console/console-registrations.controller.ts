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
import { NotFoundError } from '../../common/errors/domain-error';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { EventsService } from '../../events/events.service';
import { ListRegistrationsQueryDto } from '../../participants/dto/list-registrations.dto';
import { StaffRegistrationsService } from '../../participants/staff-registrations.service';
import { validateAs, type FieldErrors } from '../shared/form';
import { field, type FormBody } from '../shared/form-body';
import { StaffPageErrorFilter } from '../staff/staff-page-error.filter';
import { backTo, ConsolePageService, type Query } from './console-page.service';
import { ACTIONS, registrationsPage, type Action } from './console-registrations-view';
import { ConsoleSessionGuard } from './console-session.guard';

/** `/admin/events/{slug}/registrations`: the list with its filters, and the decisions on one. */
@ApiExcludeController()
@Public({ rateLimited: false })
@UseGuards(ConsoleSessionGuard)
@UseFilters(StaffPageErrorFilter)
@Controller('admin/events/:slug')
export class ConsoleRegistrationsController {
  constructor(
    private readonly console: ConsolePageService,
    private readonly events: EventsService,
    private readonly registrations: StaffRegistrationsService,
  ) {}

  @Get('registrations')
  async registrationList(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const query = request.query as Query;
    const plain: Record<string, unknown> = { limit: '50' };
    for (const key of ['status', 'mode', 'q', 'cursor']) if (query[key]) plain[key] = query[key];
    const { dto, errors } = await validateAs(ListRegistrationsQueryDto, plain);
    const fieldErrors: FieldErrors = new Map(errors.map((e) => [e.field, e.message]));
    const page =
      fieldErrors.size === 0
        ? await this.registrations.list(slug, dto)
        : { items: [], nextCursor: null };
    await this.console.render(request, reply, event, (context, m) =>
      registrationsPage(context, m, event, page, query, request.url, fieldErrors),
    );
  }

  @Post('registrations/:id/:action')
  async decide(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
    @Param('action') action: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.console.verifyCsrf(request, form);
    if (!(ACTIONS as readonly string[]).includes(action)) throw new NotFoundError('The action');
    await this.registrations[action as Action](slug, id);
    await this.console.redirect(reply, backTo(slug, field(form, 'back'), '/registrations'));
  }
}
