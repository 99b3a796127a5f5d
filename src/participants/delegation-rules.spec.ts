import type { Event } from '../events/event.entity';
import { attendingEmails, checkDelegation, parseDelegation } from './delegation-rules';

const event = {
  format: 'hybrid',
  languages: ['en', 'kk'],
  maxDelegationSize: 3,
} as Event;

const person = (email: string, extra: Record<string, unknown> = {}) => ({
  email,
  givenName: 'Әлихан',
  familyName: 'Қасымұлы',
  ...extra,
});

const request = (overrides: Record<string, unknown> = {}) => ({
  name: 'Delegation',
  organisation: 'Ministry',
  stakeholderType: 'government',
  country: 'kz',
  language: 'kk',
  head: person('head@example.kz', { attends: true, attendanceMode: 'online' }),
  members: [person('one@example.kz', { attendanceMode: 'in_person' })],
  consent: { dataProcessing: true, listOfParticipants: true },
  ...overrides,
});

async function problemsOf(body: unknown, registered: string[] = []) {
  const { dto, errors } = await parseDelegation(body);
  return [...errors, ...checkDelegation(event, dto, errors, new Set(registered))];
}

describe('delegation rules', () => {
  it('accept a valid delegation and upper-case its country', async () => {
    const { dto, errors } = await parseDelegation(request());
    expect(errors).toEqual([]);
    expect(dto.country).toBe('KZ');
    expect(checkDelegation(event, dto, errors, new Set())).toEqual([]);
  });

  it('name array members as members[i] in field paths', async () => {
    const problems = await problemsOf(
      request({ members: [person('one@example.kz', { attendanceMode: 'in_person' }), 'x'] }),
    );
    expect(problems.map((p) => p.field)).toEqual(['members[1]']);
  });

  it('do not refuse a field twice: an invalid email is not also a duplicate', async () => {
    const problems = await problemsOf(
      request({
        members: [
          person('not-an-email', { attendanceMode: 'in_person' }),
          person('not-an-email', { attendanceMode: 'in_person' }),
        ],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['members[0].email', 'members[1].email']);
    expect(problems.every((p) => p.message === 'must be an email address')).toBe(true);
  });

  it('count the head only when attending', async () => {
    const four = [1, 2, 3].map((i) => person(`m${i}@example.kz`, { attendanceMode: 'online' }));
    expect((await problemsOf(request({ members: four }))).map((p) => p.field)).toEqual(['members']);
    const head = person('head@example.kz', { attends: false });
    expect(await problemsOf(request({ head, members: four }))).toEqual([]);
    expect((await problemsOf(request({ head, members: [] }))).map((p) => p.field)).toEqual([
      'members',
    ]);
  });

  it('refuse the registered only among those who attend', async () => {
    const head = person('Head@Example.kz', { attends: false });
    expect(await problemsOf(request({ head }), ['head@example.kz'])).toEqual([]);
    expect(await problemsOf(request(), ['head@example.kz', 'one@example.kz'])).toEqual([
      { field: 'head.email', message: 'is already registered for this event' },
      { field: 'members[0].email', message: 'is already registered for this event' },
    ]);
  });

  it('list the valid emails that would be registered, lower-cased', async () => {
    const { dto, errors } = await parseDelegation(
      request({
        head: person('HEAD@example.kz', { attends: false }),
        members: [
          person('One@example.kz', { attendanceMode: 'online' }),
          person('bad\u0000@example.kz', { attendanceMode: 'online' }),
        ],
      }),
    );
    expect(attendingEmails(dto, errors)).toEqual(['one@example.kz']);
  });
});
