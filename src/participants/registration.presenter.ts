import type { Event } from '../events/event.entity';
import type { EventSession } from '../events/sessions/event-session.entity';
import type { Registration } from './registration.entity';

const sessionView = (session: EventSession) => ({
  id: session.id,
  title: session.title,
  startsAt: session.startsAt.toISOString(),
  endsAt: session.endsAt.toISOString(),
  room: session.room,
});

/** What the registrant is told after registering: no private tokens (those go by email). */
export function presentRegistration(
  registration: Registration,
  event: Pick<Event, 'slug' | 'title'>,
  sessions: EventSession[],
) {
  return {
    id: registration.id,
    reference: registration.reference,
    status: registration.status,
    attendanceMode: registration.attendanceMode,
    participant: {
      email: registration.email,
      givenName: registration.givenName,
      familyName: registration.familyName,
      organisation: registration.organisation,
      position: registration.position,
      country: registration.country,
      stakeholderType: registration.stakeholderType,
      language: registration.language,
    },
    consent: {
      dataProcessing: registration.consentDataProcessing,
      listOfParticipants: registration.consentListOfParticipants,
      photography: registration.consentPhotography,
    },
    event: { slug: event.slug, title: event.title },
    sessions: sessions.map(sessionView),
    delegationId: registration.delegationId,
    createdAt: registration.createdAt.toISOString(),
  };
}

/**
 * What the holder of the manage link sees: their registration and the way in. The join link
 * is personal (never the meeting URL); the check-in code is what their QR code holds.
 */
export function presentOwnRegistration(
  registration: Registration,
  event: Event,
  sessions: EventSession[],
  publicUrl: string,
) {
  // The way in exists while the registration is confirmed and the event goes on.
  const confirmed = registration.status === 'confirmed' && event.status !== 'cancelled';
  return {
    ...presentRegistration(registration, event, sessions),
    event: {
      slug: event.slug,
      title: event.title,
      status: event.status,
      timezone: event.timezone,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
      format: event.format,
      venue:
        event.venueName !== null ? { name: event.venueName, address: event.venueAddress } : null,
    },
    joinUrl:
      confirmed && registration.attendanceMode === 'online'
        ? `${publicUrl}/j/${registration.joinToken}`
        : null,
    checkinCode:
      confirmed && registration.attendanceMode === 'in_person' ? registration.checkinCode : null,
  };
}

/** What staff see: everything but the private link secrets. */
export function presentRegistrationForStaff(
  registration: Registration,
  event: Pick<Event, 'slug' | 'title'>,
  sessions: EventSession[],
) {
  return {
    ...presentRegistration(registration, event, sessions),
    isDelegationHead: registration.isDelegationHead,
    queuedAt: registration.queuedAt?.toISOString() ?? null,
    confirmedAt: registration.confirmedAt?.toISOString() ?? null,
    cancelledAt: registration.cancelledAt?.toISOString() ?? null,
    updatedAt: registration.updatedAt.toISOString(),
  };
}

export type RegistrationView = ReturnType<typeof presentRegistration>;
export type OwnRegistrationView = ReturnType<typeof presentOwnRegistration>;
export type StaffRegistrationView = ReturnType<typeof presentRegistrationForStaff>;
