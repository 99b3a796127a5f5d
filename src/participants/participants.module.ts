import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { EventHooks } from '../events/event-hooks';
import { EventsModule } from '../events/events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DelegationAdmissionsService } from './delegation-admissions.service';
import { Delegation } from './delegation.entity';
import { DelegationMembersService } from './delegation-members.service';
import { DelegationsController } from './delegations.controller';
import { DelegationsQueryService } from './delegations-query.service';
import { DelegationsService } from './delegations.service';
import { EventNoticesService } from './event-notices.service';
import { ManageRegistrationService } from './manage-registration.service';
import { PublicDelegationsController } from './public-delegations.controller';
import { PublicRegistrationsController } from './public-registrations.controller';
import { RegistrationChangesService } from './registration-changes.service';
import { RegistrationSession } from './registration-session.entity';
import { Registration } from './registration.entity';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsQueryService } from './registrations-query.service';
import { AdmissionBatcher } from './admission-batcher';
import { AdmissionsService } from './admissions.service';
import { DuplicateRegistrations } from './duplicate-registrations';
import { RegistrationsService } from './registrations.service';
import { SeatsService } from './seats.service';
import { StaffRegistrationsService } from './staff-registrations.service';

/** Participants, their registrations and delegations, with seats and waitlists per mode. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Registration, RegistrationSession, Delegation]),
    IdempotencyModule,
    EventsModule,
    NotificationsModule,
  ],
  controllers: [
    PublicRegistrationsController,
    RegistrationsController,
    PublicDelegationsController,
    DelegationsController,
  ],
  providers: [
    AdmissionBatcher,
    AdmissionsService,
    DuplicateRegistrations,
    SeatsService,
    RegistrationsService,
    RegistrationChangesService,
    RegistrationsQueryService,
    ManageRegistrationService,
    StaffRegistrationsService,
    DelegationsService,
    DelegationMembersService,
    DelegationAdmissionsService,
    DelegationsQueryService,
    EventNoticesService,
  ],
  exports: [
    RegistrationsService,
    ManageRegistrationService,
    DelegationsService,
    DelegationMembersService,
    RegistrationsQueryService,
    SeatsService,
    RegistrationChangesService,
    StaffRegistrationsService,
  ],
})
export class ParticipantsModule implements OnModuleInit {
  constructor(
    private readonly hooks: EventHooks,
    private readonly changes: RegistrationChangesService,
    private readonly eventNotices: EventNoticesService,
  ) {}

  /**
   * In the transaction of the event's change: a raised capacity hands its new seats to the
   * waitlist; a mode still in use cannot be removed; a moved or cancelled event is told to its
   * registrants.
   */
  onModuleInit(): void {
    this.hooks.onCapacityRaised((manager, event, mode) =>
      this.changes.promote(manager, event, mode),
    );
    this.hooks.onChanged((manager, event, changes) =>
      this.eventNotices.tellRegistrants(manager, event, 'event_updated', { changes }),
    );
    this.hooks.onModesRemoved((manager, event, modes) =>
      this.changes.assertModesUnused(manager, event, modes),
    );
    this.hooks.onCancelled((manager, event) =>
      this.eventNotices.tellRegistrants(manager, event, 'event_cancelled'),
    );
  }
}
