import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { AssetsService } from './assets.service';

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * `/assets/{name}.{hash}.{ext}`: immutable, so browsers keep them a year and never ask again.
 * Not rate limited: a page and its stylesheet should not count as two public requests.
 */
@ApiExcludeController()
@Public({ rateLimited: false })
@Controller('assets')
export class AssetsController {
  constructor(private readonly assets: AssetsService) {}

  @Get(':file')
  async serve(
    @Param('file') file: string,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const asset = this.assets.find(file);
    void reply.header('X-Content-Type-Options', 'nosniff');
    if (!asset) {
      await reply
        .status(404)
        .header('Cache-Control', 'no-store')
        .header('Content-Type', 'text/plain; charset=utf-8')
        .send('Not found');
      return;
    }
    void reply
      .header('Content-Type', asset.type)
      .header('Cache-Control', `public, max-age=${YEAR_SECONDS}, immutable`)
      .header('Vary', 'Accept-Encoding');
    if (asset.gzip && /\bgzip\b/.test(acceptEncoding ?? '')) {
      await reply.header('Content-Encoding', 'gzip').send(asset.gzip);
      return;
    }
    await reply.send(asset.body);
  }
}
