import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { REPORT_MAX_BYTES } from './attendance/online-attendance/report-upload';
import { problem } from './common/errors/problem-details.filter';
import type { AppConfig } from './config/app-config';
import { createLogger, PinoLoggerService, requestIdOf } from './logging/pino-logger';
import { MetricsService } from './metrics/metrics.service';
import { registerFormBodyParser } from './pages/shared/form-body';
import type { Logger } from 'pino';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Builds the whole service: the same for `npm start`, the tests and the benchmarks, so what is
 * tested is what runs. The caller decides where to listen.
 */
export async function createApp(
  config: AppConfig,
  logger: Logger = createLogger(config.logLevel),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // The router answers a malformed URL (400) or an over-long path parameter (414) before any
    // hook, guard or filter runs: answer those as problem documents too, with the request id.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const body =
        status === 414
          ? problem(414, 'URI_TOO_LONG', 'A part of the URL is longer than allowed.')
          : problem(status, 'BAD_URL', 'The URL is not valid (a malformed percent-encoding?).');
      void reply
        .status(status)
        .header('X-Request-Id', request.id)
        .header('Content-Type', 'application/problem+json; charset=utf-8')
        .send({ ...body, requestId: request.id });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoLoggerService(logger),
    abortOnError: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  // The API speaks JSON: a text/plain body is a 415, not a string that fails every field.
  fastify.removeContentTypeParser('text/plain');
  // The pages' forms post application/x-www-form-urlencoded (they work without JavaScript).
  registerFormBodyParser(app, config.bodyLimitBytes);
  // multipart/form-data is parsed only by the routes that read it (the report import, through
  // request.parts()); JSON routes keep their parser and body limit. One file, a few fields.
  await app.register(multipart, {
    limits: { fileSize: REPORT_MAX_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
  });
  // A request still in flight when the app closes is answered with Connection: close, so its
  // keep-alive connection ends with it instead of holding close() for keepAliveTimeout (72 s).
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (closing) reply.header('Connection', 'close');
  });
  app.get(MetricsService).instrument(fastify);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Convene API')
      .setDescription(
        'Hybrid event registration and attendance. Staff routes need `Authorization: Bearer <token>`; errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  return app;
}
