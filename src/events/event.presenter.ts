import type { Event } from './event.entity';
import type { EventSession } from './sessions/event-session.entity';

export interface ModeAvailability {
  capacity: number;
  remaining: number;
}

function capacityOf(event: Event) {
  return {
    ...(event.capacityInPerson !== null ? { inPerson: event.capacityInPerson } : {}),
    ...(event.capacityOnline !== null ? { online: event.capacityOnline } : {}),
  };
}

/** Seats left per mode, from the counters the registrations keep. */
function availabilityOf(event: Event) {
  const of = (capacity: number, used: number): ModeAvailability => ({
    capacity,
    remaining: Math.max(0, capacity - used),
  });
  return {
    ...(event.capacityInPerson !== null
      ? { inPerson: of(event.capacityInPerson, event.seatsTakenInPerson) }
      : {}),
    ...(event.capacityOnline !== null
      ? { online: of(event.capacityOnline, event.seatsTakenOnline) }
      : {}),
  };
}

const venueOf = (event: Event) =>
  event.venueName !== null ? { name: event.venueName, address: event.venueAddress } : null;

/** What staff see: everything, the meeting URL included. */
export function presentEvent(event: Event) {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    description: event.description,
    timezone: event.timezone,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    format: event.format,
    status: event.status,
    venue: venueOf(event),
    onlineJoinUrl: event.onlineJoinUrl,
    capacity: capacityOf(event),
    availability: availabilityOf(event),
    registration: {
      opensAt: event.registrationOpensAt?.toISOString() ?? null,
      closesAt: event.registrationClosesAt?.toISOString() ?? null,
      requiresApproval: event.requiresApproval,
      waitlist: event.waitlist,
      maxDelegationSize: event.maxDelegationSize,
    },
    languages: event.languages,
    onlineAttendanceMinMinutes: event.onlineAttendanceMinMinutes,
    publishedAt: event.publishedAt?.toISOString() ?? null,
    cancelledAt: event.cancelledAt?.toISOString() ?? null,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
  };
}

export function presentSession(session: EventSession) {
  return {
    id: session.id,
    title: session.title,
    description: session.description,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    room: session.room,
    speakers: session.speakers,
    capacity: session.capacityInPerson !== null ? { inPerson: session.capacityInPerson } : {},
    seatsTaken: session.seatsTaken,
    onlineJoinUrl: session.onlineJoinUrl,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
  };
}

/** What anyone may see: no meeting URLs (participants get personal links), no internals. */
export function presentPublicEvent(event: Event, agenda: EventSession[], now: Date) {
  const opened = !event.registrationOpensAt || event.registrationOpensAt <= now;
  const notClosed = !event.registrationClosesAt || event.registrationClosesAt > now;
  return {
    slug: event.slug,
    title: event.title,
    description: event.description,
    timezone: event.timezone,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    format: event.format,
    status: event.status,
    venue: venueOf(event),
    availability: availabilityOf(event),
    registration: {
      opensAt: event.registrationOpensAt?.toISOString() ?? null,
      closesAt: event.registrationClosesAt?.toISOString() ?? null,
      open: event.status === 'published' && opened && notClosed,
      requiresApproval: event.requiresApproval,
      waitlist: event.waitlist,
      maxDelegationSize: event.maxDelegationSize,
    },
    languages: event.languages,
    agenda: agenda.map((session) => ({
      id: session.id,
      title: session.title,
      description: session.description,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      room: session.room,
      speakers: session.speakers,
      capacity: session.capacityInPerson !== null ? { inPerson: session.capacityInPerson } : {},
      availability:
        session.capacityInPerson !== null
          ? {
              inPerson: {
                capacity: session.capacityInPerson,
                remaining: Math.max(0, session.capacityInPerson - session.seatsTaken),
              },
            }
          : {},
    })),
  };
}

export type EventView = ReturnType<typeof presentEvent>;
export type SessionView = ReturnType<typeof presentSession>;
export type PublicEventView = ReturnType<typeof presentPublicEvent>;
