import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { readReportUpload } from '../../attendance/online-attendance/report-upload';
import {
  OnlineAttendanceImportService,
  type ImportAnswer,
} from '../../attendance/online-attendance/online-attendance-import.service';
import { AttendanceSummaryService } from '../../attendance/summary/attendance-summary.service';
import { EventsService } from '../../events/events.service';
import { SessionsService } from '../../events/sessions/sessions.service';
import { RegistrationExportsService } from '../../participants/exports/registration-exports.service';
import { CSRF_FIELD } from '../shared/csrf.service';
import { StaffPageErrorFilter } from '../staff/staff-page-error.filter';
import { attendancePage } from './console-attendance-view';
import { ConsolePageService, sendCsv } from './console-page.service';
import { ConsoleSessionGuard } from './console-session.guard';

/**
 * `/admin/events/{slug}/attendance` and the CSV exports: the dashboard, the import of Zoom and
 * Teams reports, the registrations and the list of participants.
 */
@ApiExcludeController()
@Public({ rateLimited: false })
@UseGuards(ConsoleSessionGuard)
@UseFilters(StaffPageErrorFilter)
@Controller('admin/events/:slug')
export class ConsoleAttendanceController {
  constructor(
    private readonly console: ConsolePageService,
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
    private readonly summaries: AttendanceSummaryService,
    private readonly imports: OnlineAttendanceImportService,
    private readonly exports: RegistrationExportsService,
  ) {}

  @Get('attendance')
  async attendance(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.attendancePage(slug, request, reply, null);
  }

  /** Multipart: the CSRF token is a field of the form, beside `file` and `sessionId`. */
  @Post('attendance/import')
  async importReport(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const upload = await readReportUpload(request, [CSRF_FIELD]);
    this.console.verifyCsrf(request, upload.extra);
    const answer = await this.imports.import(slug, upload.bytes, upload.sessionId);
    await this.attendancePage(slug, request, reply, answer);
  }

  @Get('registrations.csv')
  async registrationsCsv(@Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    await sendCsv(reply, await this.exports.registrations(slug));
  }

  @Get('list-of-participants.csv')
  async participantsCsv(@Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    await sendCsv(reply, await this.exports.listOfParticipants(slug));
  }

  private async attendancePage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    imported: ImportAnswer | null,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const agenda = await this.sessions.agendaOf(event.id);
    const summary = await this.summaries.summary(slug);
    await this.console.render(request, reply, event, (context, m) =>
      attendancePage(context, m, event, agenda, summary, imported),
    );
  }
}
