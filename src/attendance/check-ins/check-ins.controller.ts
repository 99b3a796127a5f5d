import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/auth/auth.decorators';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { CheckInDto, DeskSearchQueryDto, UndoCheckInQueryDto } from '../dto/check-in.dto';
import { CheckInsService } from './check-ins.service';
import { DeskSearchItem, DeskSearchService } from './desk-search.service';

/** The check-in desk. A checkin token limited to one event reaches only that event's :slug. */
@ApiTags('check-in')
@ApiBearerAuth()
@Roles('checkin')
@Controller('api/v1/events/:slug/check-ins')
export class CheckInsController {
  constructor(
    private readonly checkIns: CheckInsService,
    private readonly desk: DeskSearchService,
  ) {}

  /** 201 checked_in, 200 already_checked_in, 404 unknown code, 409 not_admitted. */
  @Post()
  async checkIn(
    @Param('slug') slug: string,
    @Body() dto: CheckInDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const answer = await this.checkIns.checkIn(slug, dto);
    void reply.status(answer.status);
    if (answer.status >= 400) {
      void reply.header('Content-Type', 'application/problem+json; charset=utf-8');
    }
    return answer.body;
  }

  @Get('search')
  search(
    @Param('slug') slug: string,
    @Query() query: DeskSearchQueryDto,
  ): Promise<{ items: DeskSearchItem[] }> {
    return this.desk.search(slug, query.q);
  }

  @Delete(':registrationId')
  @HttpCode(204)
  async undo(
    @Param('slug') slug: string,
    @Param('registrationId', UuidParamPipe) registrationId: string,
    @Query() query: UndoCheckInQueryDto,
  ): Promise<void> {
    await this.checkIns.undo(slug, registrationId, query.sessionId);
  }
}
