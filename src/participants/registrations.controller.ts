import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Page } from '../common/http/paging';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { ListRegistrationsQueryDto } from './dto/list-registrations.dto';
import { StaffRegistrationView } from './registration.presenter';
import { StaffRegistrationsService } from './staff-registrations.service';

@ApiTags('registrations')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events/:slug/registrations')
export class RegistrationsController {
  constructor(private readonly registrations: StaffRegistrationsService) {}

  @Get()
  list(
    @Param('slug') slug: string,
    @Query() query: ListRegistrationsQueryDto,
  ): Promise<Page<StaffRegistrationView>> {
    return this.registrations.list(slug, query);
  }

  @Get(':id')
  get(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<StaffRegistrationView> {
    return this.registrations.get(slug, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<StaffRegistrationView> {
    return this.registrations.approve(slug, id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  decline(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<StaffRegistrationView> {
    return this.registrations.decline(slug, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<StaffRegistrationView> {
    return this.registrations.cancel(slug, id);
  }

  @Post(':id/resend-confirmation')
  @HttpCode(202)
  resend(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<StaffRegistrationView> {
    return this.registrations.resend(slug, id);
  }
}
