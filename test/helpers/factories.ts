import { randomBytes } from 'node:crypto';

export function uniqueSlug(prefix = 'event'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A valid hybrid event in Astana, a month from now, open for registration. */
export function hybridEvent(overrides: Record<string, unknown> = {}) {
  const day = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    slug: uniqueSlug('dialogue'),
    title: 'National dialogue on drug policy',
    description: 'A day of panels, in Astana and online.',
    timezone: 'Asia/Almaty',
    startsAt: `${day}T09:00:00+05:00`,
    endsAt: `${day}T17:00:00+05:00`,
    format: 'hybrid',
    venue: { name: 'Palace of Independence', address: 'Tauelsizdik Ave 52, Astana' },
    onlineJoinUrl: 'https://meet.example.org/j/123',
    capacity: { inPerson: 80, online: 300 },
    registration: { requiresApproval: false, waitlist: true, maxDelegationSize: 10 },
    languages: ['en', 'ru', 'kk'],
    ...overrides,
  };
}

/** A session of the event built by hybridEvent, at the given local hours. */
export function sessionOf(
  event: { startsAt: string },
  fromHour = 10,
  toHour = 11,
  overrides: Record<string, unknown> = {},
) {
  const day = event.startsAt.slice(0, 10);
  const hh = (h: number) => String(h).padStart(2, '0');
  return {
    title: 'Panel: harm reduction in Central Asia',
    startsAt: `${day}T${hh(fromHour)}:00:00+05:00`,
    endsAt: `${day}T${hh(toHour)}:00:00+05:00`,
    room: 'Hall B',
    speakers: ['Dr. A. Seitkali', 'Айгерім Нұрланқызы'],
    ...overrides,
  };
}
