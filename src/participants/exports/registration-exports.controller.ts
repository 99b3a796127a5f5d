import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { CsvFile, RegistrationExportsService } from './registration-exports.service';

const asFile = ({ filename, stream }: CsvFile) =>
  new StreamableFile(stream, {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${filename}"`,
  });

@ApiTags('registrations')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events/:slug')
export class RegistrationExportsController {
  constructor(private readonly exports: RegistrationExportsService) {}

  @Get('registrations.csv')
  @ApiProduces('text/csv')
  async registrations(@Param('slug') slug: string): Promise<StreamableFile> {
    return asFile(await this.exports.registrations(slug));
  }

  @Get('list-of-participants.csv')
  @ApiProduces('text/csv')
  async listOfParticipants(@Param('slug') slug: string): Promise<StreamableFile> {
    return asFile(await this.exports.listOfParticipants(slug));
  }
}
