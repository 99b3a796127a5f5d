import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { IdempotencyKeyHeader } from '../common/idempotency/idempotency-key.decorator';
import { ChangeAttendanceModeDto, CreateRegistrationDto } from './dto/create-registration.dto';
import { OwnRegistrationView, RegistrationView } from './registration.presenter';
import { ManageRegistrationService } from './manage-registration.service';
import { RegistrationsService } from './registrations.service';

@ApiTags('public')
@Public()
@Controller('api/v1/public')
export class PublicRegistrationsController {
  constructor(
    private readonly registrations: RegistrationsService,
    private readonly manage: ManageRegistrationService,
  ) {}

  @Post('events/:slug/registrations')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key get the first answer.',
  })
  async register(
    @Param('slug') slug: string,
    @Body() dto: CreateRegistrationDto,
    @IdempotencyKeyHeader() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegistrationView> {
    const answer = await this.registrations.register(slug, dto, idempotencyKey);
    void reply.status(answer.status);
    return answer.body as RegistrationView;
  }

  @Get('registrations/:manageToken')
  view(@Param('manageToken') manageToken: string): Promise<OwnRegistrationView> {
    return this.manage.view(manageToken);
  }

  @Patch('registrations/:manageToken')
  switchMode(
    @Param('manageToken') manageToken: string,
    @Body() dto: ChangeAttendanceModeDto,
  ): Promise<OwnRegistrationView> {
    return this.manage.switchMode(manageToken, dto.attendanceMode);
  }

  @Post('registrations/:manageToken/cancel')
  @HttpCode(200)
  cancel(@Param('manageToken') manageToken: string): Promise<OwnRegistrationView> {
    return this.manage.cancel(manageToken);
  }
}
