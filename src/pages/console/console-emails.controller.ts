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
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth/auth.decorators';
import { NotFoundError } from '../../common/errors/domain-error';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { EventsService } from '../../events/events.service';
import { EMAIL_STATUSES } from '../../notifications/email-request';
import { NotificationsService } from '../../notifications/notifications.service';
import { field, type FormBody } from '../shared/form-body';
import { StaffPageErrorFilter } from '../staff/staff-page-error.filter';
import { emailsPage } from './console-emails-view';
import { backTo, ConsolePageService, type Query } from './console-page.service';
import { ConsoleSessionGuard } from './console-session.guard';

/** `/admin/events/{slug}/emails`: the event's email log, and retrying a failed email. */
@ApiExcludeController()
@Public({ rateLimited: false })
@UseGuards(ConsoleSessionGuard)
@UseFilters(StaffPageErrorFilter)
@Controller('admin/events/:slug')
export class ConsoleEmailsController {
  constructor(
    private readonly console: ConsolePageService,
    private readonly events: EventsService,
    private readonly notifications: NotificationsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('emails')
  async emailLog(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const query = request.query as Query;
    const status = EMAIL_STATUSES.find((s) => s === query.status);
    const page = await this.notifications.list(slug, { status }, { limit: 100 });
    await this.console.render(request, reply, event, (context, m) =>
      emailsPage(context, m, event, page, status, query, request.url),
    );
  }

  @Post('emails/:id/retry')
  async retry(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.console.verifyCsrf(request, form);
    await this.requireEmailOf(slug, id);
    await this.notifications.retry(id);
    await this.console.redirect(reply, backTo(slug, field(form, 'back'), '/emails'));
  }

  /** The API's retry is addressed by email id alone; here it must be this event's email. */
  private async requireEmailOf(slug: string, id: string): Promise<void> {
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM emails m JOIN events e ON e.id = m.event_id WHERE m.id = $1 AND e.slug = $2',
      [id, slug],
    );
    if (rows.length === 0) throw new NotFoundError(`The email ${id}`, 'EMAIL_NOT_FOUND');
  }
}
