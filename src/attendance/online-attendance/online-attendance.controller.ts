import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Roles } from '../../common/auth/auth.decorators';
import { AttendanceSummary, AttendanceSummaryService } from '../summary/attendance-summary.service';
import { ImportAnswer, OnlineAttendanceImportService } from './online-attendance-import.service';
import { readReportUpload } from './report-upload';

/** The organiser's side of attendance: meeting-platform reports in, the summary out. */
@ApiTags('attendance')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events/:slug')
export class OnlineAttendanceController {
  constructor(
    private readonly imports: OnlineAttendanceImportService,
    private readonly summaries: AttendanceSummaryService,
  ) {}

  /** Multipart: `file` (a Zoom or Teams participant report), optional `sessionId`. */
  @Post('online-attendance/import')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  async import(@Param('slug') slug: string, @Req() request: FastifyRequest): Promise<ImportAnswer> {
    const upload = await readReportUpload(request);
    return this.imports.import(slug, upload.bytes, upload.sessionId);
  }

  @Get('attendance')
  summary(@Param('slug') slug: string): Promise<AttendanceSummary> {
    return this.summaries.summary(slug);
  }
}
