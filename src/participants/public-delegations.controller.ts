import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { AddDelegationMemberDto, CreateDelegationDto } from './dto/create-delegation.dto';
import { DelegationMembersService } from './delegation-members.service';
import { DelegationView } from './delegation.presenter';
import { DelegationsService } from './delegations.service';

@ApiTags('public')
@Public()
@Controller('api/v1/public')
export class PublicDelegationsController {
  constructor(
    private readonly delegations: DelegationsService,
    private readonly members: DelegationMembersService,
  ) {}

  /**
   * The body is taken as it came (typed `unknown`, which the global pipe leaves alone) and
   * validated by the service, so field errors and the event's rules make one 400 together.
   */
  @Post('events/:slug/delegations')
  @ApiBody({ type: CreateDelegationDto })
  create(@Param('slug') slug: string, @Body() body: unknown): Promise<DelegationView> {
    return this.delegations.create(slug, body);
  }

  @Get('delegations/:manageToken')
  view(@Param('manageToken') manageToken: string): Promise<DelegationView> {
    return this.delegations.view(manageToken);
  }

  @Post('delegations/:manageToken/members')
  addMember(
    @Param('manageToken') manageToken: string,
    @Body() dto: AddDelegationMemberDto,
  ): Promise<DelegationView> {
    return this.members.add(manageToken, dto);
  }

  @Post('delegations/:manageToken/members/:registrationId/cancel')
  @HttpCode(200)
  cancelMember(
    @Param('manageToken') manageToken: string,
    @Param('registrationId', UuidParamPipe) registrationId: string,
  ): Promise<DelegationView> {
    return this.members.cancel(manageToken, registrationId);
  }
}
