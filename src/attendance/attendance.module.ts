import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ParticipantsModule } from '../participants/participants.module';
import { CheckInAttempt } from './check-in-attempt.entity';
import { CheckIn } from './check-in.entity';
import { CheckInsController } from './check-ins/check-ins.controller';
import { CheckInsService } from './check-ins/check-ins.service';
import { DeskSearchService } from './check-ins/desk-search.service';
import { OnlineAdmissionService } from './check-ins/online-admission.service';
import { OnlineAttendanceRow } from './online-attendance-row.entity';
import { OnlineAttendance } from './online-attendance.entity';
import { OnlineAttendanceImportService } from './online-attendance/online-attendance-import.service';
import { OnlineAttendanceController } from './online-attendance/online-attendance.controller';
import { OnlineJoin } from './online-join.entity';
import { OnlineJoinsController } from './online-joins/online-joins.controller';
import { OnlineJoinsService } from './online-joins/online-joins.service';
import { AttendanceSummaryService } from './summary/attendance-summary.service';
import { AttendanceTalliesService } from './summary/attendance-tallies.service';

/**
 * Who came: in-person check-ins (event or session) and online joins through personal links,
 * kept apart (never one "attended" flag for both modes); imported meeting-platform reports and
 * the attendance summary.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      CheckIn,
      CheckInAttempt,
      OnlineJoin,
      OnlineAttendanceRow,
      OnlineAttendance,
    ]),
    EventsModule,
    ParticipantsModule,
    NotificationsModule,
  ],
  controllers: [CheckInsController, OnlineJoinsController, OnlineAttendanceController],
  providers: [
    CheckInsService,
    DeskSearchService,
    OnlineAdmissionService,
    OnlineJoinsService,
    OnlineAttendanceImportService,
    AttendanceSummaryService,
    AttendanceTalliesService,
  ],
  // For the staff pages (desk and console), which call the services directly.
  exports: [
    CheckInsService,
    DeskSearchService,
    AttendanceSummaryService,
    OnlineAttendanceImportService,
  ],
})
export class AttendanceModule {}
