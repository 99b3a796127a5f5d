import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { joinRefusalPage, languageFromHeader } from './join-pages';
import { OnlineJoinsService } from './online-joins.service';

/**
 * `{PUBLIC_URL}/j/{joinToken}`: the link in emails, so outside /api/v1. Public and rate limited.
 * `?session=` is read alone (no query DTO): mail clients append tracking parameters, and those
 * must not turn a person's way in into a 400.
 */
@ApiExcludeController()
@Public()
@Controller('j')
export class OnlineJoinsController {
  constructor(private readonly joins: OnlineJoinsService) {}

  @Get(':joinToken')
  async join(
    @Param('joinToken') joinToken: string,
    @Query('session') session: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.joins.join(joinToken, session);
    void reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
    if (outcome.kind === 'redirect') {
      await reply.redirect(outcome.url, 302);
      return;
    }
    const language = outcome.language ?? languageFromHeader(acceptLanguage);
    await reply
      .status(outcome.status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(joinRefusalPage(outcome.refusal, language, outcome.eventTitle));
  }
}
