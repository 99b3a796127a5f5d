import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { CheckInsService } from '../../attendance/check-ins/check-ins.service';
import {
  DeskSearchService,
  type DeskSearchItem,
} from '../../attendance/check-ins/desk-search.service';
import { CheckInDto, DeskSearchQueryDto } from '../../attendance/dto/check-in.dto';
import { CsrfService } from '../shared/csrf.service';
import { StaffSessionService } from '../staff/staff-session.service';
import { DeskCounts, DeskCountsService } from './desk-counts.service';

export const DESK_CSRF_HEADER = 'x-csrf-token';

/** Runs before validation, so a request without a session learns nothing from a 400. */
@Injectable()
export class DeskSessionGuard implements CanActivate {
  constructor(
    private readonly staff: StaffSessionService,
    private readonly csrf: CsrfService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const slug = (request.params as Record<string, string>).slug;
    await this.staff.require(request, 'checkin', slug);
    this.csrf.verify(request, request.headers[DESK_CSRF_HEADER]);
    return true;
  }
}

/**
 * The few JSON routes the desk's script calls, under /desk/{slug}/ and authenticated by the
 * staff session cookie. Chosen over letting the API's bearer guard accept the cookie: /api/v1
 * keeps exactly one way in (Authorization: Bearer), so no API route can ever be reached with an
 * ambient browser credential, and these three routes are all the cookie opens. Each also
 * demands the page's CSRF token in the X-CSRF-Token header (a custom header a cross-site page
 * cannot send without a CORS preflight we never grant), on top of the SameSite=Strict cookie.
 * They call the same services with the same DTOs as the API, so answers and errors agree
 * (the check-in answer is the API's, byte for byte, replayed for a repeated nonce).
 */
@ApiExcludeController()
@Public({ rateLimited: false })
@UseGuards(DeskSessionGuard)
@Controller('desk/:slug')
export class DeskApiController {
  constructor(
    private readonly checkIns: CheckInsService,
    private readonly search: DeskSearchService,
    private readonly counts: DeskCountsService,
  ) {}

  @Post('check-ins')
  async checkIn(
    @Param('slug') slug: string,
    @Body() dto: CheckInDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const answer = await this.checkIns.checkIn(slug, dto);
    void reply.status(answer.status).header('Cache-Control', 'no-store');
    if (answer.status >= 400) {
      void reply.header('Content-Type', 'application/problem+json; charset=utf-8');
    }
    return answer.body;
  }

  @Get('search')
  async find(
    @Param('slug') slug: string,
    @Query() query: DeskSearchQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ items: DeskSearchItem[]; more: boolean }> {
    void reply.header('Cache-Control', 'no-store');
    return this.search.search(slug, query.q);
  }

  @Get('counts')
  async count(
    @Param('slug') slug: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeskCounts> {
    void reply.header('Cache-Control', 'no-store');
    return this.counts.counts(slug);
  }
}
