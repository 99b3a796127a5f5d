import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/paging';
import { StaffDelegationView } from './delegation.presenter';
import { DelegationsQueryService } from './delegations-query.service';

@ApiTags('delegations')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events/:slug/delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsQueryService) {}

  /** The event's delegations, oldest first, each with its members counted by status. */
  @Get()
  list(
    @Param('slug') slug: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StaffDelegationView>> {
    return this.delegations.list(slug, query);
  }
}
