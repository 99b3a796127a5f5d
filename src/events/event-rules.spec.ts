import { checkEventShape, checkReadyToPublish, EventShape, isWithin } from './event-rules';

const at = (iso: string) => new Date(iso);

/** A complete hybrid event: every field its format needs, and nothing it forbids. */
function hybrid(overrides: Partial<EventShape> = {}): EventShape {
  return {
    format: 'hybrid',
    startsAt: at('2026-06-07T04:00:00Z'),
    endsAt: at('2026-06-07T12:00:00Z'),
    venueName: 'Palace of Independence',
    onlineJoinUrl: 'https://meet.example.org/j/123',
    capacityInPerson: 80,
    capacityOnline: 300,
    registrationOpensAt: null,
    registrationClosesAt: null,
    ...overrides,
  };
}

const inPerson = (overrides: Partial<EventShape> = {}) =>
  hybrid({ format: 'in_person', onlineJoinUrl: null, capacityOnline: null, ...overrides });
const online = (overrides: Partial<EventShape> = {}) =>
  hybrid({ format: 'online', venueName: null, capacityInPerson: null, ...overrides });

const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('checkEventShape', () => {
  it('accepts a complete event of each format', () => {
    expect(checkEventShape(hybrid())).toEqual([]);
    expect(checkEventShape(inPerson())).toEqual([]);
    expect(checkEventShape(online())).toEqual([]);
  });

  it('accepts an event that lacks a join URL: that is only needed to publish', () => {
    expect(checkEventShape(hybrid({ onlineJoinUrl: null }))).toEqual([]);
    expect(checkEventShape(online({ onlineJoinUrl: null }))).toEqual([]);
  });

  it('refuses an end at or before the start', () => {
    const start = at('2026-06-07T04:00:00Z');
    expect(checkEventShape(hybrid({ startsAt: start, endsAt: start }))).toEqual([
      { field: 'endsAt', message: 'must be after startsAt' },
    ]);
    expect(
      fields(checkEventShape(hybrid({ startsAt: start, endsAt: at('2026-06-07T03:59:59Z') }))),
    ).toEqual(['endsAt']);
  });

  it('needs a venue and both capacities for a hybrid event', () => {
    const errors = checkEventShape(
      hybrid({ venueName: null, capacityInPerson: null, capacityOnline: null }),
    );
    expect(errors).toEqual([
      { field: 'venue', message: 'is required for a hybrid event' },
      { field: 'capacity.inPerson', message: 'is required for a hybrid event' },
      { field: 'capacity.online', message: 'is required for a hybrid event' },
    ]);
  });

  it('needs a venue and an in-person capacity for an in-person event', () => {
    expect(fields(checkEventShape(inPerson({ venueName: null })))).toEqual(['venue']);
    expect(fields(checkEventShape(inPerson({ capacityInPerson: null })))).toEqual([
      'capacity.inPerson',
    ]);
  });

  it('refuses online fields on an in-person event', () => {
    expect(
      checkEventShape(inPerson({ capacityOnline: 10, onlineJoinUrl: 'https://meet.example.org' })),
    ).toEqual([
      { field: 'capacity.online', message: 'must be absent for an in-person event' },
      { field: 'onlineJoinUrl', message: 'must be absent for an in-person event' },
    ]);
  });

  it('needs an online capacity for an online event and refuses in-person fields', () => {
    expect(fields(checkEventShape(online({ capacityOnline: null })))).toEqual(['capacity.online']);
    expect(checkEventShape(online({ venueName: 'Hall', capacityInPerson: 5 }))).toEqual([
      { field: 'venue', message: 'must be absent for an online event' },
      { field: 'capacity.inPerson', message: 'must be absent for an online event' },
    ]);
  });

  it('counts a capacity of zero as present', () => {
    expect(checkEventShape(hybrid({ capacityInPerson: 0, capacityOnline: 0 }))).toEqual([]);
    expect(fields(checkEventShape(inPerson({ capacityOnline: 0 })))).toEqual(['capacity.online']);
  });

  it('refuses a registration window that closes at or before it opens', () => {
    const opens = at('2026-05-01T00:00:00Z');
    expect(
      checkEventShape(hybrid({ registrationOpensAt: opens, registrationClosesAt: opens })),
    ).toEqual([{ field: 'registration.closesAt', message: 'must be after registration.opensAt' }]);
    expect(
      checkEventShape(
        hybrid({ registrationOpensAt: opens, registrationClosesAt: at('2026-06-01T00:00:00Z') }),
      ),
    ).toEqual([]);
  });

  it('accepts a window open at one end only', () => {
    expect(checkEventShape(hybrid({ registrationOpensAt: at('2026-05-01T00:00:00Z') }))).toEqual(
      [],
    );
    expect(checkEventShape(hybrid({ registrationClosesAt: at('2026-05-01T00:00:00Z') }))).toEqual(
      [],
    );
  });

  it('reports every problem at once', () => {
    const errors = checkEventShape(
      online({
        endsAt: at('2026-06-07T03:00:00Z'),
        venueName: 'Hall',
        capacityInPerson: 5,
        capacityOnline: null,
        registrationOpensAt: at('2026-05-02T00:00:00Z'),
        registrationClosesAt: at('2026-05-01T00:00:00Z'),
      }),
    );
    expect(fields(errors)).toEqual([
      'endsAt',
      'venue',
      'capacity.inPerson',
      'capacity.online',
      'registration.closesAt',
    ]);
  });
});

describe('checkReadyToPublish', () => {
  it('needs a join URL for a hybrid or an online event', () => {
    expect(checkReadyToPublish(hybrid({ onlineJoinUrl: null }))).toEqual([
      { field: 'onlineJoinUrl', message: 'is required to publish a hybrid event' },
    ]);
    expect(checkReadyToPublish(online({ onlineJoinUrl: null }))).toEqual([
      { field: 'onlineJoinUrl', message: expect.stringMatching(/^is required to publish an? /) },
    ]);
  });

  it('has nothing to ask of a complete event, nor of an in-person one without a URL', () => {
    expect(checkReadyToPublish(hybrid())).toEqual([]);
    expect(checkReadyToPublish(online())).toEqual([]);
    expect(checkReadyToPublish(inPerson())).toEqual([]);
  });
});

describe('isWithin', () => {
  const event = { startsAt: at('2026-06-07T04:00:00Z'), endsAt: at('2026-06-07T12:00:00Z') };
  const span = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });

  it('is true inside the event and at its very bounds', () => {
    expect(isWithin(span('2026-06-07T05:00:00Z', '2026-06-07T06:00:00Z'), event)).toBe(true);
    expect(isWithin(event, event)).toBe(true);
  });

  it('is false when the session starts before or ends after the event', () => {
    expect(isWithin(span('2026-06-07T03:59:59Z', '2026-06-07T06:00:00Z'), event)).toBe(false);
    expect(isWithin(span('2026-06-07T11:00:00Z', '2026-06-07T12:00:01Z'), event)).toBe(false);
    expect(isWithin(span('2026-06-07T03:00:00Z', '2026-06-07T13:00:00Z'), event)).toBe(false);
  });

  it('is false for a session on another day', () => {
    expect(isWithin(span('2026-06-08T05:00:00Z', '2026-06-08T06:00:00Z'), event)).toBe(false);
  });
});
