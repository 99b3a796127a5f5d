import { randomBytes } from 'node:crypto';
import {
  createDelegation,
  delegationBody,
  delegationToken,
  memberBody,
  outboxOf,
  registrationsOf,
  rowsOf,
} from './helpers/delegations';
import { hybridEvent } from './helpers/factories';
import { publishedEvent, register, registrationBody, seatsOf } from './helpers/registrations';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

const inPersonEvent = (overrides: Record<string, unknown> = {}) => ({
  format: 'in_person',
  onlineJoinUrl: undefined,
  capacity: { inPerson: 80 },
  ...overrides,
});

const fieldsOf = (res: TestResponse) =>
  (res.body.errors as { field: string }[]).map((e) => e.field).sort();

describe('delegations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const headsPage = (token: string) =>
    t.http.get(`/api/v1/public/delegations/${token}`, { token: null });
  const addMember = (token: string, body: unknown) =>
    t.http.post(`/api/v1/public/delegations/${token}/members`, body, { token: null });
  const cancelMember = (token: string, registrationId: string) =>
    t.http.post(`/api/v1/public/delegations/${token}/members/${registrationId}/cancel`, undefined, {
      token: null,
    });

  describe('registering a delegation', () => {
    it('gives each attending person their own registration and confirmation, and the head one summary', async () => {
      const event = await publishedEvent(t.http);
      const body = delegationBody();
      const res = await createDelegation(t.http, event.slug, body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: body.name,
        organisation: 'Ministry of Health',
        country: 'KZ',
        language: 'kk',
        head: { email: body.head.email, givenName: 'Айгерім', attends: true },
        event: { slug: event.slug, title: event.title },
      });
      const people = [body.head, ...body.members];
      expect(res.body.members).toEqual(
        people.map((p) => ({
          registrationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          givenName: p.givenName,
          familyName: p.familyName,
          email: p.email,
          position: p.position,
          attendanceMode: p.attendanceMode,
          status: 'confirmed',
          reference: expect.stringMatching(/^[2-9A-HJKMNP-Z]{8}$/),
          isHead: p === body.head,
        })),
      );
      const references = res.body.members.map((m: { reference: string }) => m.reference);
      expect(new Set(references).size).toBe(3);

      // No private token of the delegation or of any member is in the answer.
      const token = await delegationToken(res.body.id);
      expect(res.text).not.toContain(token);
      expect(res.text).not.toMatch(/manageToken|joinToken|checkinCode/);
      const secrets = await withDatabase(
        async (db) =>
          (
            await db.query(
              'SELECT manage_token, join_token, checkin_code FROM registrations WHERE delegation_id = $1',
              [res.body.id],
            )
          ).rows as Record<string, string>[],
      );
      expect(secrets).toHaveLength(3);
      for (const secret of secrets.flatMap((row) => Object.values(row))) {
        expect(res.text).not.toContain(secret);
      }

      const rows = await registrationsOf(event.id);
      expect(rows).toHaveLength(3);
      for (const person of people) {
        const row = rows.find((r) => r.email === person.email);
        expect(row).toMatchObject({
          delegation_id: res.body.id,
          is_delegation_head: person === body.head,
          status: 'confirmed',
          attendance_mode: person.attendanceMode,
          organisation: 'Ministry of Health',
          country: 'KZ',
          language: 'kk',
          stakeholder_type: 'government',
          consent_list_of_participants: true,
        });
      }
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 1 });

      const outbox = await outboxOf(event.id);
      expect(outbox).toHaveLength(4);
      const confirmations = outbox.filter((e) => e.kind === 'registration_confirmed');
      expect(confirmations.map((e) => e.to_address).sort()).toEqual(
        people.map((p) => p.email).sort(),
      );
      for (const email of confirmations) {
        expect(email.registration_id).toBe(rows.find((r) => r.email === email.to_address)?.id);
        expect(email.delegation_id).toBe(res.body.id);
      }
      const summaries = outbox.filter((e) => e.kind === 'delegation_summary');
      expect(summaries).toEqual([
        expect.objectContaining({
          to_address: body.head.email,
          language: 'kk',
          registration_id: null,
          delegation_id: res.body.id,
          dedupe_key: `delegation_summary:${res.body.id}:created`,
        }),
      ]);
      expect(summaries[0].facts.reason).toBe('created');
      expect(
        summaries[0].facts.members.map((m: { reference: string }) => m.reference).sort(),
      ).toEqual([...references].sort());

      // Staff find the members in the registrations list, by delegation.
      const listed = await t.http.get(
        `/api/v1/events/${event.slug}/registrations?delegationId=${res.body.id}`,
      );
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(3);
    });

    it('registers no head when the head does not attend, and still tells the head', async () => {
      const event = await publishedEvent(t.http);
      const body = delegationBody();
      body.head = { ...body.head, attends: false, attendanceMode: undefined } as any;
      const res = await createDelegation(t.http, event.slug, body);
      expect(res.status).toBe(201);
      expect(res.body.head).toMatchObject({ email: body.head.email, attends: false });
      expect(res.body.members.map((m: { email: string }) => m.email)).toEqual(
        body.members.map((m) => m.email),
      );
      const rows = await registrationsOf(event.id);
      expect(rows.map((r) => r.email).sort()).toEqual(body.members.map((m) => m.email).sort());
      expect(rows.some((r) => r.is_delegation_head)).toBe(false);
      const outbox = await outboxOf(event.id);
      expect(outbox.filter((e) => e.to_address === body.head.email)).toEqual([
        expect.objectContaining({ kind: 'delegation_summary' }),
      ]);
      expect(outbox.filter((e) => e.kind === 'registration_confirmed')).toHaveLength(2);
    });

    it('answers one 400 listing every problem of every person, and stores nothing', async () => {
      const event = await publishedEvent(
        t.http,
        inPersonEvent({ languages: ['en', 'kk'], registration: { maxDelegationSize: 10 } }),
      );
      const taken = registrationBody({ language: 'en' });
      expect((await register(t.http, event.slug, taken)).status).toBe(201);
      const before = await rowsOf(event.id);

      const twice = `twice.${randomBytes(4).toString('hex')}@example.kz`;
      const body = delegationBody({
        country: 'XX',
        language: 'ru',
        head: { ...delegationBody().head, attendanceMode: undefined },
        members: [
          memberBody({ email: 'not-an-email' }),
          memberBody({ email: twice, attendanceMode: 'online' }),
          memberBody({ email: twice.toUpperCase() }),
          memberBody({ email: taken.email.toUpperCase() }),
          memberBody({ givenName: '', badge: 'VIP' }),
          memberBody({ attendanceMode: 'hybrid' }),
        ],
      });
      const res = await createDelegation(t.http, event.slug, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(res)).toEqual(
        [
          'country',
          'language',
          'head.attendanceMode',
          'members[0].email',
          'members[1].attendanceMode',
          'members[2].email',
          'members[3].email',
          'members[4].badge',
          'members[4].givenName',
          'members[5].attendanceMode',
        ].sort(),
      );
      const message = (field: string) =>
        (res.body.errors as { field: string; message: string }[]).find((e) => e.field === field)
          ?.message;
      expect(message('language')).toMatch(/en, kk/);
      expect(message('head.attendanceMode')).toMatch(/required when the head attends/);
      expect(message('members[1].attendanceMode')).toMatch(/in_person/);
      expect(message('members[2].email')).toMatch(/more than once.*members\[1\]\.email/);
      expect(message('members[3].email')).toBe('is already registered for this event');
      expect(message('members[4].badge')).toBe('is not an allowed field');
      expect(await rowsOf(event.id)).toEqual(before);
    });

    it('refuses a body that is not an object and names missing parts', async () => {
      const event = await publishedEvent(t.http);
      const before = await rowsOf(event.id);
      const empty = await createDelegation(t.http, event.slug, {});
      expect(empty.status).toBe(400);
      expect(fieldsOf(empty)).toEqual(
        [
          'consent',
          'country',
          'head',
          'language',
          'members',
          'name',
          'organisation',
          'stakeholderType',
        ].sort(),
      );
      const list = await createDelegation(t.http, event.slug, [delegationBody()]);
      expect(list.status).toBe(400);
      expect(fieldsOf(list)).toEqual(['body']);
      const noConsent = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ consent: { dataProcessing: false, listOfParticipants: true } }),
      );
      expect(noConsent.status).toBe(400);
      expect(fieldsOf(noConsent)).toEqual(['consent.dataProcessing']);
      expect(await rowsOf(event.id)).toEqual(before);
    });

    it('holds a delegation to maxDelegationSize, counting the head only when attending', async () => {
      const event = await publishedEvent(t.http, {
        registration: { waitlist: true, maxDelegationSize: 3 },
      });
      const three = [memberBody(), memberBody(), memberBody()];
      const before = await rowsOf(event.id);
      const tooMany = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ members: three }),
      );
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors).toEqual([
        { field: 'members', message: expect.stringMatching(/at most 3 .*this one has 4/) },
      ]);
      expect(await rowsOf(event.id)).toEqual(before);

      const body = delegationBody({ members: three });
      body.head = { ...body.head, attends: false };
      const fits = await createDelegation(t.http, event.slug, body);
      expect(fits.status).toBe(201);
      expect(fits.body.members).toHaveLength(3);
    });

    it('refuses an email given twice (any case), and the head listed as a member', async () => {
      const event = await publishedEvent(t.http);
      const before = await rowsOf(event.id);
      const body = delegationBody();
      body.members[1].email = body.members[0].email.toUpperCase();
      const twice = await createDelegation(t.http, event.slug, body);
      expect(twice.status).toBe(400);
      expect(twice.body.errors).toEqual([
        { field: 'members[1].email', message: expect.stringMatching(/more than once/) },
      ]);

      const headAgain = delegationBody();
      headAgain.head = { ...headAgain.head, attends: false };
      headAgain.members[0].email = headAgain.head.email;
      const res = await createDelegation(t.http, event.slug, headAgain);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'members[0].email', message: expect.stringMatching(/head\.attends/) },
      ]);
      expect(await rowsOf(event.id)).toEqual(before);
    });

    it('refuses a member already registered, but not one whose registration was cancelled', async () => {
      const event = await publishedEvent(t.http);
      const single = registrationBody();
      const first = await register(t.http, event.slug, single);
      expect(first.status).toBe(201);
      const before = await rowsOf(event.id);

      const body = delegationBody();
      body.head.email = single.email.toUpperCase();
      const res = await createDelegation(t.http, event.slug, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'head.email', message: 'is already registered for this event' },
      ]);
      expect(await rowsOf(event.id)).toEqual(before);

      const cancelled = await t.http.post(
        `/api/v1/events/${event.slug}/registrations/${first.body.id}/cancel`,
      );
      expect(cancelled.status).toBe(200);
      const again = await createDelegation(t.http, event.slug, body);
      expect(again.status).toBe(201);
      expect(again.body.members[0]).toMatchObject({ email: body.head.email, isHead: true });
    });

    it('waitlists, one by one, the people beyond the capacity of their mode', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 2, online: 300 } });
      const body = delegationBody({ members: [memberBody(), memberBody(), memberBody()] });
      const res = await createDelegation(t.http, event.slug, body);
      expect(res.status).toBe(201);
      expect(res.body.members.map((m: { status: string }) => m.status)).toEqual([
        'confirmed',
        'confirmed',
        'waitlisted',
        'waitlisted',
      ]);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 0 });
      const outbox = await outboxOf(event.id);
      const kinds = outbox.map((e) => e.kind).sort();
      expect(kinds).toEqual([
        'delegation_summary',
        'registration_confirmed',
        'registration_confirmed',
        'registration_waitlisted',
        'registration_waitlisted',
      ]);
      const waitlistedTo = outbox
        .filter((e) => e.kind === 'registration_waitlisted')
        .map((e) => e.to_address)
        .sort();
      expect(waitlistedTo).toEqual([body.members[1].email, body.members[2].email].sort());
      const summary = outbox.find((e) => e.kind === 'delegation_summary');
      expect(summary?.facts.members.map((m: { status: string }) => m.status).sort()).toEqual([
        'confirmed',
        'confirmed',
        'waitlisted',
        'waitlisted',
      ]);
    });

    it('leaves every member pending, holding no seat, when the event requires approval', async () => {
      const event = await publishedEvent(t.http, {
        registration: { requiresApproval: true, waitlist: true, maxDelegationSize: 10 },
      });
      const res = await createDelegation(t.http, event.slug, delegationBody());
      expect(res.status).toBe(201);
      expect(res.body.members.map((m: { status: string }) => m.status)).toEqual([
        'pending',
        'pending',
        'pending',
      ]);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 0, online: 0 });
      const kinds = (await outboxOf(event.id)).map((e) => e.kind).sort();
      expect(kinds).toEqual([
        'delegation_summary',
        'registration_pending',
        'registration_pending',
        'registration_pending',
      ]);
    });

    it('refuses the whole delegation (409 MODE_FULL) when a mode without waitlist is full', async () => {
      const event = await publishedEvent(t.http, {
        capacity: { inPerson: 1, online: 300 },
        registration: { waitlist: false, maxDelegationSize: 10 },
      });
      const before = await rowsOf(event.id);
      const body = delegationBody({ members: [memberBody(), memberBody()] });
      body.head = { ...body.head, attendanceMode: 'online' };
      const res = await createDelegation(t.http, event.slug, body);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 409,
        code: 'MODE_FULL',
        field: 'members[1].attendanceMode',
        alternatives: ['online'],
      });
      expect(await rowsOf(event.id)).toEqual(before);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 0, online: 0 });
    });

    it('refuses a delegation outside the registration window or for a cancelled event (409)', async () => {
      const opensAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
      const later = await publishedEvent(t.http, {
        registration: { opensAt, waitlist: true, maxDelegationSize: 10 },
      });
      const early = await createDelegation(t.http, later.slug, delegationBody());
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('REGISTRATION_CLOSED');
      expect(await rowsOf(later.id)).toEqual({ delegations: 0, registrations: 0, emails: 0 });

      const event = await publishedEvent(t.http);
      expect((await t.http.post(`/api/v1/events/${event.slug}/cancel`)).status).toBe(200);
      const res = await createDelegation(t.http, event.slug, delegationBody());
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('REGISTRATION_CLOSED');
      expect(await rowsOf(event.id)).toMatchObject({ delegations: 0, registrations: 0 });
    });

    it('answers 404 for an unknown or draft event', async () => {
      const unknown = await createDelegation(t.http, 'no-such-event-here', delegationBody());
      expect(unknown.status).toBe(404);
      const draft = await t.http.post('/api/v1/events', hybridEvent());
      expect(draft.status).toBe(201);
      const res = await createDelegation(t.http, draft.body.slug, delegationBody());
      expect(res.status).toBe(404);
      expect(await rowsOf(draft.body.id)).toEqual({ delegations: 0, registrations: 0, emails: 0 });
    });

    it('turns a member registering elsewhere at the same moment into a 409, storing nothing', async () => {
      const event = await publishedEvent(t.http);
      const body = delegationBody();
      const before = await rowsOf(event.id);
      await withDatabase(async (db) => {
        // Another registration of members[0], committed only once the delegation waits for it.
        await db.query('BEGIN');
        await db.query(
          `INSERT INTO registrations (event_id, reference, status, attendance_mode, email,
             given_name, family_name, organisation, country, stakeholder_type, language,
             consent_data_processing, consent_list_of_participants, manage_token, join_token,
             checkin_code)
           VALUES ($1, 'RACEWXYZ', 'pending', 'online', $2, 'R', 'R', 'Org', 'KZ', 'other', 'en',
             true, false, $3, $4, $5)`,
          [
            event.id,
            body.members[0].email,
            ...[1, 2, 3].map(() => randomBytes(24).toString('base64url')),
          ],
        );
        const pending = createDelegation(t.http, event.slug, body);
        const waiting = async () =>
          (
            await withDatabase((other) =>
              other.query(
                `SELECT 1 FROM pg_stat_activity
                  WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "registrations"%'`,
              ),
            )
          ).rowCount ?? 0;
        const deadline = Date.now() + 10_000;
        while ((await waiting()) === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await db.query('COMMIT');
        const res = await pending;
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ status: 409, code: 'ALREADY_REGISTERED' });
        expect(res.body.errors).toEqual([
          { field: 'members[0].email', message: 'is already registered for this event' },
        ]);
      });
      expect(await rowsOf(event.id)).toEqual({
        ...before,
        registrations: before.registrations + 1,
      });
    });
  });

  describe("the head's private link", () => {
    it('shows the delegation with every member, and 404 for an unknown token', async () => {
      const event = await publishedEvent(t.http);
      const created = await createDelegation(t.http, event.slug, delegationBody());
      expect(created.status).toBe(201);
      const token = await delegationToken(created.body.id);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const res = await headsPage(token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: created.body.id,
        name: created.body.name,
        head: created.body.head,
        event: { slug: event.slug },
      });
      const byId = (m: { registrationId: string }) => m.registrationId;
      expect([...res.body.members].sort((a, b) => byId(a).localeCompare(byId(b)))).toEqual(
        [...created.body.members].sort((a, b) => byId(a).localeCompare(byId(b))),
      );
      expect(res.body.members[0].isHead).toBe(true);
      expect(res.text).not.toContain(token);

      const unknown = await headsPage(randomBytes(24).toString('base64url'));
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(unknown.body.code).toBe('DELEGATION_NOT_FOUND');
    });

    it('adds a member with their own confirmation and a new summary to the head', async () => {
      const event = await publishedEvent(t.http);
      const created = await createDelegation(t.http, event.slug, delegationBody());
      const token = await delegationToken(created.body.id);
      const newcomer = memberBody({ attendanceMode: 'online', position: undefined });
      const res = await addMember(token, {
        ...newcomer,
        consent: { dataProcessing: true, listOfParticipants: false },
      });
      expect(res.status).toBe(201);
      expect(res.body.members).toHaveLength(4);
      const added = res.body.members.find((m: { email: string }) => m.email === newcomer.email);
      expect(added).toMatchObject({
        attendanceMode: 'online',
        status: 'confirmed',
        isHead: false,
        position: null,
        reference: expect.stringMatching(/^[2-9A-HJKMNP-Z]{8}$/),
      });
      const row = (await registrationsOf(event.id)).find((r) => r.email === newcomer.email);
      expect(row).toMatchObject({
        delegation_id: created.body.id,
        organisation: 'Ministry of Health',
        language: 'kk',
        consent_list_of_participants: false,
      });
      const outbox = await outboxOf(event.id);
      expect(outbox.filter((e) => e.to_address === newcomer.email)).toEqual([
        expect.objectContaining({ kind: 'registration_confirmed', registration_id: row?.id }),
      ]);
      const summaries = outbox.filter((e) => e.kind === 'delegation_summary');
      expect(summaries.map((e) => e.dedupe_key).sort()).toEqual(
        [
          `delegation_summary:${created.body.id}:created`,
          `delegation_summary:${created.body.id}:member_added:${added.registrationId}`,
        ].sort(),
      );
      const latest = summaries.find((e) => e.facts.reason === 'member_added');
      expect(latest?.facts.members).toHaveLength(4);
      expect(latest?.to_address).toBe(created.body.head.email);
    });

    it('refuses to add a member beyond the size, twice, in a mode the event lacks, or invalid', async () => {
      const event = await publishedEvent(
        t.http,
        inPersonEvent({ registration: { waitlist: true, maxDelegationSize: 3 } }),
      );
      const created = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ members: [memberBody(), memberBody()] }),
      );
      expect(created.status).toBe(201);
      const token = await delegationToken(created.body.id);
      const consent = { dataProcessing: true, listOfParticipants: true };
      const before = await rowsOf(event.id);

      const full = await addMember(token, { ...memberBody(), consent });
      expect(full.status).toBe(409);
      expect(full.body).toMatchObject({ code: 'DELEGATION_FULL', maxDelegationSize: 3 });

      const online = await addMember(token, {
        ...memberBody({ attendanceMode: 'online' }),
        consent,
      });
      expect(online.status).toBe(400);
      expect(fieldsOf(online)).toEqual(['attendanceMode']);

      const invalid = await addMember(token, { ...memberBody({ email: 'nope' }), extra: 1 });
      expect(invalid.status).toBe(400);
      expect(fieldsOf(invalid)).toEqual(['consent', 'email', 'extra']);
      expect(await rowsOf(event.id)).toEqual(before);

      // A cancelled member frees their place in the delegation; a member still active is refused.
      const member = created.body.members[1];
      expect((await cancelMember(token, member.registrationId)).status).toBe(200);
      const afterCancel = await rowsOf(event.id);
      const twice = await addMember(token, {
        ...memberBody({ email: created.body.members[2].email.toUpperCase() }),
        consent,
      });
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ code: 'ALREADY_REGISTERED' });
      expect(twice.body.errors).toEqual([
        { field: 'email', message: 'is already registered for this event' },
      ]);
      expect(await rowsOf(event.id)).toEqual(afterCancel);
      const again = await addMember(token, { ...memberBody({ email: member.email }), consent });
      expect(again.status).toBe(201);
      expect(again.body.members.filter((m: { email: string }) => m.email === member.email)).toEqual(
        [
          expect.objectContaining({ status: 'cancelled' }),
          expect.objectContaining({ status: 'confirmed' }),
        ],
      );
    });

    it('cancels a member, whose seat goes at once to the oldest waitlisted person', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 2, online: 300 } });
      const created = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ members: [memberBody(), memberBody()] }),
      );
      expect(created.status).toBe(201);
      const [head, seated, waiting] = created.body.members;
      expect([head.status, seated.status, waiting.status]).toEqual([
        'confirmed',
        'confirmed',
        'waitlisted',
      ]);
      const token = await delegationToken(created.body.id);

      const res = await cancelMember(token, seated.registrationId);
      expect(res.status).toBe(200);
      const statusOf = (id: string) =>
        res.body.members.find((m: { registrationId: string }) => m.registrationId === id)?.status;
      expect(statusOf(seated.registrationId)).toBe('cancelled');
      expect(statusOf(waiting.registrationId)).toBe('confirmed');
      expect(statusOf(head.registrationId)).toBe('confirmed');
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 0 });

      const outbox = await outboxOf(event.id);
      expect(
        outbox.filter((e) => e.registration_id === seated.registrationId).map((e) => e.kind),
      ).toEqual(expect.arrayContaining(['registration_confirmed', 'registration_cancelled']));
      expect(
        outbox
          .filter((e) => e.registration_id === waiting.registrationId)
          .map((e) => e.kind)
          .sort(),
      ).toEqual(['registration_waitlisted', 'waitlist_promoted']);
      const summary = outbox.find(
        (e) =>
          e.dedupe_key ===
          `delegation_summary:${created.body.id}:member_cancelled:${seated.registrationId}`,
      );
      expect(summary?.to_address).toBe(created.body.head.email);
      expect(summary?.facts.members.map((m: { status: string }) => m.status).sort()).toEqual([
        'cancelled',
        'confirmed',
        'confirmed',
      ]);

      const again = await cancelMember(token, seated.registrationId);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_CANCELLED');
    });

    it('answers 404 for a registration outside the delegation and for unknown tokens', async () => {
      const event = await publishedEvent(t.http);
      const ours = await createDelegation(t.http, event.slug, delegationBody());
      const theirs = await createDelegation(t.http, event.slug, delegationBody());
      const single = await register(t.http, event.slug, registrationBody());
      const token = await delegationToken(ours.body.id);
      const before = await rowsOf(event.id);

      for (const id of [
        theirs.body.members[0].registrationId,
        single.body.id,
        '00000000-0000-4000-8000-000000000000',
        'not-a-uuid',
      ]) {
        const res = await cancelMember(token, id);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      const unknown = randomBytes(24).toString('base64url');
      expect((await cancelMember(unknown, ours.body.members[0].registrationId)).status).toBe(404);
      const consent = { dataProcessing: true, listOfParticipants: true };
      expect((await addMember(unknown, { ...memberBody(), consent })).status).toBe(404);
      expect(await rowsOf(event.id)).toEqual(before);
      expect((await headsPage(token)).body.members.map((m: any) => m.status)).toEqual([
        'confirmed',
        'confirmed',
        'confirmed',
      ]);
    });
  });

  describe('staff', () => {
    it('lists the delegations of an event page by page, with members counted by status', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 300 } });
      const first = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ name: 'First delegation', members: [memberBody(), memberBody()] }),
      );
      const second = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ name: 'Second delegation', members: [] }),
      );
      const third = await createDelegation(
        t.http,
        event.slug,
        delegationBody({ name: 'Third delegation', members: [memberBody()] }),
      );
      expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
      const token = await delegationToken(third.body.id);
      expect((await cancelMember(token, third.body.members[1].registrationId)).status).toBe(200);
      // Another event's delegation is not listed.
      const other = await publishedEvent(t.http);
      expect((await createDelegation(t.http, other.slug, delegationBody())).status).toBe(201);

      const seen: any[] = [];
      let cursor: string | null = null;
      do {
        const res: TestResponse = await t.http.get(
          `/api/v1/events/${event.slug}/delegations?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen.map((d) => d.name)).toEqual([
        'First delegation',
        'Second delegation',
        'Third delegation',
      ]);
      const zero = { pending: 0, confirmed: 0, waitlisted: 0, declined: 0, cancelled: 0 };
      expect(seen[0]).toMatchObject({
        id: first.body.id,
        organisation: 'Ministry of Health',
        head: { email: first.body.head.email },
        memberCounts: { ...zero, confirmed: 1, waitlisted: 2 },
      });
      expect(seen[1].memberCounts).toEqual({ ...zero, waitlisted: 1 });
      expect(seen[2].memberCounts).toEqual({ ...zero, waitlisted: 1, cancelled: 1 });
      for (const item of seen) {
        expect(JSON.stringify(item)).not.toMatch(/manageToken|manage_token/);
        expect(JSON.stringify(item)).not.toContain(token);
      }

      const all = await t.http.get(`/api/v1/events/${event.slug}/delegations`);
      expect(all.body).toEqual({ items: seen, nextCursor: null });
      const anonymous = await t.http.get(`/api/v1/events/${event.slug}/delegations`, {
        token: null,
      });
      expect(anonymous.status).toBe(401);
      expect((await t.http.get('/api/v1/events/no-such-event-here/delegations')).status).toBe(404);
    });
  });
});
