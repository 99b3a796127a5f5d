import { EventNoticesService } from '../src/participants/event-notices.service';
import {
  emailsOf,
  publishedEvent,
  register,
  registrationBody,
  secretsOf,
} from './helpers/registrations';
import { startTestApp, TestApp } from './helpers/test-app';

const kindsOf = async (registrationId: string) =>
  (await emailsOf(registrationId)).map((e) => e.kind);

describe('emails about the event itself', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A confirmed, a waitlisted and a cancelled registration of a fresh published event. */
  async function eventWithRegistrants(overrides: Record<string, unknown> = {}) {
    const event = await publishedEvent(t.http, {
      capacity: { inPerson: 1, online: 10 },
      ...overrides,
    });
    const confirmed = (await register(t.http, event.slug, registrationBody())).body;
    const waitlisted = (await register(t.http, event.slug, registrationBody())).body;
    const cancelled = (
      await register(t.http, event.slug, registrationBody({ attendanceMode: 'online' }))
    ).body;
    const { manageToken } = await secretsOf(cancelled.id);
    await t.http.post(`/api/v1/public/registrations/${manageToken}/cancel`, undefined, {
      token: null,
    });
    expect([confirmed.status, waitlisted.status]).toEqual(['confirmed', 'waitlisted']);
    return { event, confirmed, waitlisted, cancelled };
  }

  it('tells every active registrant once when the time or venue changes, and nobody for a new title', async () => {
    const { event, confirmed, waitlisted, cancelled } = await eventWithRegistrants();
    const later = new Date(new Date(event.startsAt).getTime() + 3600_000).toISOString();
    const laterEnd = new Date(new Date(event.endsAt).getTime() + 3600_000).toISOString();
    expect((await t.http.patch(`/api/v1/events/${event.slug}`, { title: 'Renamed' })).status).toBe(
      200,
    );
    expect(await kindsOf(confirmed.id)).toEqual(['registration_confirmed']);

    const moved = await t.http.patch(`/api/v1/events/${event.slug}`, {
      startsAt: later,
      endsAt: laterEnd,
    });
    expect(moved.status).toBe(200);
    for (const registration of [confirmed, waitlisted]) {
      const updates = (await emailsOf(registration.id)).filter((e) => e.kind === 'event_updated');
      expect(updates).toHaveLength(1);
      expect(updates[0].facts).toEqual({ changes: ['startsAt', 'endsAt'] });
    }
    expect(await kindsOf(cancelled.id)).not.toContain('event_updated');
  });

  it('tells every active registrant once when the event is cancelled', async () => {
    const { event, confirmed, waitlisted, cancelled } = await eventWithRegistrants();
    expect((await t.http.post(`/api/v1/events/${event.slug}/cancel`)).status).toBe(200);
    for (const registration of [confirmed, waitlisted]) {
      expect((await kindsOf(registration.id)).filter((k) => k === 'event_cancelled')).toHaveLength(
        1,
      );
    }
    expect(await kindsOf(cancelled.id)).not.toContain('event_cancelled');
  });

  it('reminds each confirmed registrant once, when the event starts within the window', async () => {
    const soon = new Date(Date.now() + 2 * 3600_000);
    const { confirmed, waitlisted } = await eventWithRegistrants({
      startsAt: soon.toISOString(),
      endsAt: new Date(soon.getTime() + 3600_000).toISOString(),
    });
    const far = await eventWithRegistrants();
    const reminders = t.app.get(EventNoticesService);

    expect(await reminders.sendDueReminders()).toBeGreaterThanOrEqual(1);
    expect((await kindsOf(confirmed.id)).filter((k) => k === 'event_reminder')).toHaveLength(1);
    expect(await kindsOf(waitlisted.id)).not.toContain('event_reminder');
    expect(await kindsOf(far.confirmed.id)).not.toContain('event_reminder');

    await reminders.sendDueReminders();
    expect((await kindsOf(confirmed.id)).filter((k) => k === 'event_reminder')).toHaveLength(1);
  });
});
