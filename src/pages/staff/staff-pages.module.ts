import { Module } from '@nestjs/common';
import { AttendanceModule } from '../../attendance/attendance.module';
import { EventsModule } from '../../events/events.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { RegistrationExportsModule } from '../../participants/exports/registration-exports.module';
import { ParticipantsModule } from '../../participants/participants.module';
import { TokensModule } from '../../tokens/tokens.module';
import { ConsoleAttendanceController } from '../console/console-attendance.controller';
import { ConsoleEmailsController } from '../console/console-emails.controller';
import { ConsoleEventController } from '../console/console-event.controller';
import { ConsolePageService } from '../console/console-page.service';
import { ConsoleRegistrationsController } from '../console/console-registrations.controller';
import { ConsoleSessionGuard } from '../console/console-session.guard';
import { ConsoleHomeController } from '../console/console-home.controller';
import { DeskApiController, DeskSessionGuard } from '../desk/desk-api.controller';
import { DeskCountsService } from '../desk/desk-counts.service';
import { DeskPageController } from '../desk/desk-page.controller';
import { PagesModule } from '../pages.module';
import { StaffPageErrorFilter } from './staff-page-error.filter';
import { StaffSessionService } from './staff-session.service';

/**
 * The staff pages: the check-in desk (/desk/:slug) and the organiser console (/admin), with
 * their staff sign-in. Built on the shared page infrastructure (PagesModule) and calling the
 * services directly, as the API's controllers do.
 */
@Module({
  imports: [
    PagesModule,
    TokensModule,
    EventsModule,
    ParticipantsModule,
    RegistrationExportsModule,
    NotificationsModule,
    AttendanceModule,
  ],
  controllers: [
    DeskApiController,
    DeskPageController,
    ConsoleHomeController,
    ConsoleEventController,
    ConsoleRegistrationsController,
    ConsoleEmailsController,
    ConsoleAttendanceController,
  ],
  providers: [
    StaffPageErrorFilter,
    StaffSessionService,
    DeskCountsService,
    DeskSessionGuard,
    ConsoleSessionGuard,
    ConsolePageService,
  ],
})
export class StaffPagesModule {}
