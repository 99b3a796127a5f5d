import { Injectable } from '@nestjs/common';
import { Page } from '../common/http/paging';
import { EventsService } from '../events/events.service';
import { ListRegistrationsQueryDto } from './dto/list-registrations.dto';
import { RegistrationChangesService, RegistrationLocator } from './registration-changes.service';
import { Registration } from './registration.entity';
import { StaffRegistrationView } from './registration.presenter';
import { RegistrationsQueryService } from './registrations-query.service';

/** The organiser's view and decisions, addressed by event slug and registration id. */
@Injectable()
export class StaffRegistrationsService {
  constructor(
    private readonly query: RegistrationsQueryService,
    private readonly changes: RegistrationChangesService,
    private readonly events: EventsService,
  ) {}

  list(slug: string, query: ListRegistrationsQueryDto): Promise<Page<StaffRegistrationView>> {
    return this.query.list(slug, query);
  }

  get(slug: string, id: string): Promise<StaffRegistrationView> {
    return this.query.get(slug, id);
  }

  approve(slug: string, id: string) {
    return this.apply(slug, id, (locator) => this.changes.approve(locator));
  }

  decline(slug: string, id: string) {
    return this.apply(slug, id, (locator) => this.changes.decline(locator));
  }

  cancel(slug: string, id: string) {
    return this.apply(slug, id, (locator) => this.changes.cancel(locator));
  }

  resend(slug: string, id: string) {
    return this.apply(slug, id, (locator) => this.changes.resend(locator));
  }

  private async apply(
    slug: string,
    id: string,
    change: (locator: RegistrationLocator) => Promise<Registration>,
  ): Promise<StaffRegistrationView> {
    const event = await this.events.findBySlug(slug);
    const registration = await change({ id, eventId: event.id });
    return this.query.get(slug, registration.id);
  }
}
