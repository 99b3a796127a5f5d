import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AttendanceMode } from '../events/event.entity';
import { EventsService } from '../events/events.service';
import { RegistrationChangesService } from './registration-changes.service';
import { OwnRegistrationView, presentOwnRegistration } from './registration.presenter';
import { Registration } from './registration.entity';
import { RegistrationsQueryService } from './registrations-query.service';

/** The participant's own view and changes, through the private manage link. */
@Injectable()
export class ManageRegistrationService {
  constructor(
    private readonly query: RegistrationsQueryService,
    private readonly changes: RegistrationChangesService,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async view(manageToken: string): Promise<OwnRegistrationView> {
    return this.present(await this.query.findByManageToken(manageToken));
  }

  async switchMode(manageToken: string, mode: AttendanceMode): Promise<OwnRegistrationView> {
    return this.present(await this.changes.switchMode({ manageToken }, mode));
  }

  async cancel(manageToken: string): Promise<OwnRegistrationView> {
    return this.present(await this.changes.cancel({ manageToken }));
  }

  private async present(registration: Registration): Promise<OwnRegistrationView> {
    const event = await this.events.findById(registration.eventId);
    const sessions = await this.query.sessionsByRegistration([registration.id]);
    return presentOwnRegistration(
      registration,
      event,
      sessions.get(registration.id) ?? [],
      this.config.publicUrl,
    );
  }
}
