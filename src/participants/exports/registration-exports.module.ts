import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { RegistrationExportsController } from './registration-exports.controller';
import { RegistrationExportsService } from './registration-exports.service';

/** CSV exports of registrations; read-only, so kept apart from the module that changes them. */
@Module({
  imports: [EventsModule],
  controllers: [RegistrationExportsController],
  providers: [RegistrationExportsService],
  exports: [RegistrationExportsService],
})
export class RegistrationExportsModule {}
