import { eventWithSessions, registered } from './helpers/attendance';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

describe('desk search', () => {
  let t: TestApp;
  let slug: string;
  let aigerim: Awaited<ReturnType<typeof registered>>;
  let desk: string;
  beforeAll(async () => {
    t = await startTestApp();
    const event = await eventWithSessions(t.http);
    slug = event.slug;
    aigerim = await registered(t.http, slug);
    await registered(t.http, slug, {
      givenName: 'John',
      familyName: 'Smith',
      organisation: 'UNODC Regional Office',
      attendanceMode: 'online',
    });
    await registered(t.http, slug, { givenName: 'Асқар', familyName: 'Тұрсынұлы' });
    desk = (
      await t.http.post('/api/v1/tokens', {
        name: `desk ${slug}`,
        role: 'checkin',
        eventSlug: slug,
      })
    ).body.secret;
  });
  afterAll(async () => {
    await t.close();
  });

  const search = (q: string) =>
    t.http.get(`/api/v1/events/${slug}/check-ins/search?q=${encodeURIComponent(q)}`, {
      token: desk,
    });

  it('finds «Нұрланқызы» by «нұр», in any case, with what the desk needs', async () => {
    for (const q of ['нұр', 'НҰР', 'Нұрланқызы', 'айгер']) {
      const res = await search(q);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { reference: string }) => i.reference)).toEqual([
        aigerim.reference,
      ]);
    }
    const [item] = (await search('нұр')).body.items;
    expect(item).toEqual({
      registrationId: aigerim.id,
      reference: aigerim.reference,
      status: 'confirmed',
      attendanceMode: 'in_person',
      name: 'Айгерім Нұрланқызы',
      givenName: 'Айгерім',
      familyName: 'Нұрланқызы',
      organisation: 'Ministry of Health',
      delegation: null,
      checkedIn: false,
      checkedInAt: null,
    });
  });

  it('finds by reference (as spoken), and by organisation', async () => {
    const spoken = `${aigerim.reference.slice(0, 4)} ${aigerim.reference.slice(4)}`.toLowerCase();
    for (const q of [aigerim.reference, spoken]) {
      const res = await search(q);
      expect(res.body.items[0]?.reference).toBe(aigerim.reference);
    }
    const unodc = await search('unodc');
    expect(unodc.body.items.map((i: { name: string }) => i.name)).toEqual(['John Smith']);
    expect(unodc.body.items[0].attendanceMode).toBe('online');
  });

  it('shows whether and when a person was checked in', async () => {
    const person = await registered(t.http, slug, { givenName: 'Гүлнар', familyName: 'Сейітқали' });
    const scan = await t.http.post(`/api/v1/events/${slug}/check-ins`, {
      code: person.checkinCode,
    });
    expect(scan.status).toBe(201);
    const [item] = (await search('гүлнар')).body.items;
    expect(item).toMatchObject({ checkedIn: true, checkedInAt: scan.body.at });
  });

  it('treats % and _ as text, answers at most 20, and needs a q', async () => {
    expect((await search('%')).body.items).toEqual([]);
    expect((await search('_')).body.items).toEqual([]);
    for (let i = 0; i < 22; i++) {
      await registered(t.http, slug, { givenName: 'Bulk', familyName: `Person ${i}` });
    }
    expect((await search('bulk')).body.items).toHaveLength(20);
    const none = await t.http.get(`/api/v1/events/${slug}/check-ins/search`, { token: desk });
    expect(none.status).toBe(400);
  });

  it('ignores accents and Kazakh letters, so any keyboard finds a person', async () => {
    const elodie = await registered(t.http, slug, { givenName: 'Élodie', familyName: 'Lefèvre' });
    for (const q of ['elodie', 'LEFEVRE', 'Lefèvre']) {
      expect(
        (await search(q)).body.items.map((i: { registrationId: string }) => i.registrationId),
      ).toEqual([elodie.id]);
    }
    // Typed on a Russian keyboard: ұ as у, қ as к, і as и.
    expect((await search('нурланкызы')).body.items[0]?.reference).toBe(aigerim.reference);
    expect((await search('айгерим')).body.items[0]?.reference).toBe(aigerim.reference);
    expect((await search('Турсынулы')).body.items.map((i: { name: string }) => i.name)).toEqual([
      'Асқар Тұрсынұлы',
    ]);
  });

  it('puts names that start with the text before names that only contain it', async () => {
    await registered(t.http, slug, { givenName: 'Marco', familyName: 'Disivanto' });
    await registered(t.http, slug, { givenName: 'Anna', familyName: 'Ivanova' });
    await registered(t.http, slug, { givenName: 'Ivan', familyName: 'Petrov' });
    const names = (await search('ivan')).body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual(['Anna Ivanova', 'Ivan Petrov', 'Marco Disivanto']);
  });

  it('says there are more when a short text matches too many to rank', async () => {
    const other = await eventWithSessions(t.http);
    const first = await registered(t.http, other.slug, { givenName: 'Много', familyName: 'Людей' });
    // 600 namesakes written straight to the table: only the count matters here.
    await withDatabase((db) =>
      db.query(
        `INSERT INTO registrations (event_id, reference, status, attendance_mode, email, given_name,
           family_name, organisation, country, stakeholder_type, language, consent_data_processing,
           consent_list_of_participants, manage_token, join_token, checkin_code, confirmed_at)
         SELECT event_id, translate(upper(substr(md5(i::text), 1, 8)), '01', '23'), status,
                attendance_mode, i || email, given_name, family_name, organisation, country,
                stakeholder_type, language, true, true, md5('m' || i), md5('j' || i),
                md5('c' || i), now()
           FROM registrations, generate_series(1, 600) i WHERE id = $1`,
        [first.id],
      ),
    );
    const many = await t.http.get(
      `/api/v1/events/${other.slug}/check-ins/search?q=${encodeURIComponent('много')}`,
    );
    expect(many.status).toBe(200);
    expect(many.body.items).toHaveLength(20);
    expect(many.body.more).toBe(true);
    expect((await search('ivan')).body.more).toBe(false);
  });

  it("counts the desk's four numbers for its own event only", async () => {
    const event = await eventWithSessions(t.http, {}, [{}]);
    const token = (
      await t.http.post('/api/v1/tokens', {
        name: `desk ${event.slug}`,
        role: 'checkin',
        eventSlug: event.slug,
      })
    ).body.secret;
    // The desk page's own way in: the staff cookie, then the page's CSRF cookie and token.
    const staff = `cvn_staff=${token}`;
    const page = await t.http.get(`/desk/${event.slug}`, {
      token: null,
      headers: { cookie: staff },
    });
    const csrfCookie = /cvn_csrf=[^;]+/.exec(page.headers.get('set-cookie') ?? '')?.[0];
    const csrf = /data-csrf="([^"]+)"/.exec(page.text)?.[1];
    expect(csrfCookie && csrf).toBeTruthy();
    const counts = (slug: string) =>
      t.http.get(`/desk/${slug}/counts`, {
        token: null,
        headers: { cookie: `${staff}; ${csrfCookie}`, 'x-csrf-token': csrf! },
      });
    expect((await counts(event.slug)).body).toEqual({
      inRoom: 0,
      confirmedInPerson: 0,
      joinedOnline: 0,
      confirmedOnline: 0,
    });
    const inRoom = await registered(t.http, event.slug);
    await registered(t.http, event.slug);
    const cancelled = await registered(t.http, event.slug);
    const joined = await registered(t.http, event.slug, { attendanceMode: 'online' });
    const joinedSession = await registered(t.http, event.slug, { attendanceMode: 'online' });
    await registered(t.http, event.slug, { attendanceMode: 'online' });
    const scanned = await t.http.post(`/api/v1/events/${event.slug}/check-ins`, {
      code: inRoom.checkinCode,
    });
    expect(scanned.status).toBe(201);
    expect((await t.http.get(`/j/${joined.joinToken}`, { token: null })).status).toBe(302);
    // Opening the link of one session is joining online too.
    const sessionLink = `/j/${joinedSession.joinToken}?session=${event.sessionIds[0]}`;
    expect((await t.http.get(sessionLink, { token: null })).status).toBe(302);
    const cancelUrl = `/api/v1/events/${event.slug}/registrations/${cancelled.id}/cancel`;
    expect((await t.http.post(cancelUrl)).status).toBe(200);
    // Another event's people, check-ins and joins are not this event's.
    const elsewhere = await registered(t.http, slug);
    await t.http.post(`/api/v1/events/${slug}/check-ins`, { code: elsewhere.checkinCode });
    const online = await registered(t.http, slug, { attendanceMode: 'online' });
    expect((await t.http.get(`/j/${online.joinToken}`, { token: null })).status).toBe(302);
    const res = await counts(event.slug);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      inRoom: 1,
      confirmedInPerson: 2,
      joinedOnline: 2,
      confirmedOnline: 3,
    });
  });
});
