import { calendarUid } from './render-email';
import { SAMPLE_PUBLIC_URL, sampleContext, sampleDelegationContext } from './sample-contexts';
import { contextFor, decodeQr, LANGUAGES, parseCalendar, renderSample } from './test-helpers';

describe('renderEmail: confirmations', () => {
  it.each(LANGUAGES)(
    'in person (%s): a QR code holding exactly the check-in code, inline and attached',
    async (language) => {
      const context = contextFor('registration_confirmed', language, 'in_person');
      const email = await renderSample(context);

      const images = email.attachments.filter((a) => a.contentType === 'image/png');
      expect(images).toHaveLength(2);
      const inline = images.find((a) => a.cid);
      const attached = images.find((a) => !a.cid);
      expect(inline).toBeDefined();
      expect(attached).toBeDefined();
      expect(email.html).toContain(`src="cid:${inline!.cid}"`);
      expect(attached!.filename).toBe(`checkin-${context.registration!.reference}.png`);
      for (const image of images) {
        expect(decodeQr(image.content)).toBe(context.registration!.checkinCode);
      }
      // The image has a text alternative for screen readers and blocked images.
      expect(email.html).toMatch(/<img [^>]*alt="[^"]*K7M2QX9D[^"]*"/);
    },
  );

  it.each(LANGUAGES)('online (%s): the personal join link and no QR code', async (language) => {
    const context = contextFor('registration_confirmed', language, 'online');
    const email = await renderSample(context);
    const join = `${SAMPLE_PUBLIC_URL}/j/${context.registration!.joinToken}`;

    expect(email.text).toContain(join);
    expect(email.html).toContain(`href="${join}"`);
    expect(email.attachments).toEqual([]);
    expect(email.html).not.toContain('<img');
    // An online participant is not sent to the venue, nor to a session's room.
    expect(email.text).not.toContain('Congress Centre');
    expect(email.text).not.toContain('Hall A');
  });

  it.each(LANGUAGES)('the chosen sessions with their local times (%s)', async (language) => {
    const context = contextFor('registration_confirmed', language, 'in_person');
    const email = await renderSample(context);
    for (const session of context.registration!.sessions) {
      expect(email.text).toContain(session.title);
      expect(email.html).toContain(session.title);
    }
    expect(email.text).toContain('09:00–10:30, Hall A');
    expect(email.text).toContain('11:00–12:30');
  });

  it('in person: the calendar entry has the stable UID, the SEQUENCE given, UTC times and the venue', async () => {
    const context = { ...contextFor('registration_confirmed', 'kk', 'in_person'), icsSequence: 0 };
    const email = await renderSample(context);
    expect(email.calendar?.filename).toMatch(/\.ics$/);
    expect(email.calendar?.content).toContain('DTSTART:20230607T030000Z');
    expect(email.calendar?.content).toContain('DTEND:20230607T110000Z');

    const entry = parseCalendar(email.calendar!.content);
    expect(entry).toMatchObject({
      method: 'PUBLISH',
      uid: `${context.registration!.id}@convene`,
      sequence: 0,
      status: 'CONFIRMED',
      summary: context.event.title,
      location: 'Congress Centre, Hall A, 1 Dostyk Street, Astana',
      url: null,
    });
    expect(entry.start).toEqual(new Date('2023-06-07T03:00:00Z'));
    expect(entry.end).toEqual(new Date('2023-06-07T11:00:00Z'));
    expect(entry.description).toContain('K7M2QX9D');
  });

  it('online: the calendar entry carries the join link as URL and LOCATION', async () => {
    const context = { ...contextFor('waitlist_promoted', 'ru', 'online'), icsSequence: 4 };
    const email = await renderSample(context);
    const join = `${SAMPLE_PUBLIC_URL}/j/${context.registration!.joinToken}`;
    const entry = parseCalendar(email.calendar!.content);
    expect(entry).toMatchObject({ method: 'PUBLISH', sequence: 4, url: join, location: join });
    expect(entry.uid).toBe(calendarUid(context.registration!.id));
  });

  it('a later update keeps the UID and carries the higher SEQUENCE', async () => {
    const first = await renderSample({ ...contextFor('registration_confirmed', 'en', 'online') });
    const update = await renderSample({
      ...contextFor('event_updated', 'en', 'online'),
      icsSequence: 7,
      event: {
        ...sampleContext('en').event,
        startsAt: new Date('2023-06-08T09:00:00+06:00'),
        endsAt: new Date('2023-06-08T17:00:00+06:00'),
      },
    });
    const a = parseCalendar(first.calendar!.content);
    const b = parseCalendar(update.calendar!.content);
    expect(b.uid).toBe(a.uid);
    expect(b.sequence).toBe(7);
    expect(b.start).toEqual(new Date('2023-06-08T03:00:00Z'));
    expect(update.text).toMatch(/Thursday, 8 June 2023, 09:00–17:00/);
  });

  it('a cancellation cancels the same calendar entry', async () => {
    const context = { ...contextFor('registration_cancelled', 'en', 'online'), icsSequence: 3 };
    const email = await renderSample(context);
    const entry = parseCalendar(email.calendar!.content);
    expect(entry).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: calendarUid(context.registration!.id),
      sequence: 3,
    });
    // The join link is not handed out again once cancelled.
    expect(email.calendar!.content).not.toContain('/j/');
  });

  it('a copy sent again says so; sessions dropped at confirmation are mentioned', async () => {
    const base = contextFor('registration_confirmed', 'en', 'in_person');
    const email = await renderSample({
      ...base,
      facts: { resent: true, droppedSessionIds: ['b1c2'] },
    });
    expect(email.text).toContain('sent again on request');
    expect(email.text).toContain('already full');
    const plain = await renderSample(base);
    expect(plain.text).not.toContain('sent again on request');
    expect(plain.text).not.toContain('already full');
  });

  it('shows the local time of another zone with its own name and offset', async () => {
    const base = contextFor('registration_confirmed', 'en', 'online');
    const email = await renderSample({
      ...base,
      event: {
        ...base.event,
        timezone: 'Europe/Brussels',
        startsAt: new Date('2023-06-07T07:00:00Z'),
        endsAt: new Date('2023-06-07T15:00:00Z'),
      },
    });
    expect(email.text).toContain('Wednesday, 7 June 2023, 09:00–17:00');
    expect(email.text).toContain('Europe/Brussels, GMT+2');
  });
});

describe('renderEmail: other kinds say what changed', () => {
  it('attendance_mode_changed names the old and the new mode, and the waiting list when full', async () => {
    const base = contextFor('attendance_mode_changed', 'ru', 'online');
    const email = await renderSample({
      ...base,
      facts: { from: 'online', to: 'in_person', status: 'waitlisted' },
      registration: { ...base.registration!, attendanceMode: 'in_person', status: 'waitlisted' },
    });
    expect(email.subject).toContain('теперь очно');
    expect(email.text).toContain('было онлайн, стало очно');
    expect(email.text).toContain('лист ожидания на очное участие');
    expect(email.attachments).toEqual([]);
    expect(email.calendar).toBeUndefined();
  });

  it('the delegation summary lists each member with mode, status and reference', async () => {
    const email = await renderSample(sampleDelegationContext('kk'));
    expect(email.subject).toContain('делегациясы');
    expect(email.text).toContain('Айгерім Нұрланқызы | бетпе-бет | расталды | K7M2QX9D');
    expect(email.text).toContain('Ерлан Сәрсенбаев | онлайн | расталды | P3R8TW4F');
    expect(email.text).toContain('Maria Lopez García | бетпе-бет | күту тізімінде | H9C6VN2B');
    expect(email.html).toMatch(/<th scope="col"[^>]*>Аты-жөні<\/th>/);
    expect(email.text).toContain(`${SAMPLE_PUBLIC_URL}/d/dL2k8Jh4Gf6Ds0Aq9Wx3Ez`);
  });

  it('the delegation summary tells why it was sent', async () => {
    const base = sampleDelegationContext('en');
    const added = await renderSample({ ...base, facts: { reason: 'member_added' } });
    const cancelled = await renderSample({ ...base, facts: { reason: 'member_cancelled' } });
    expect(added.text).toContain('A member has been added');
    expect(cancelled.text).toContain('has been cancelled');
  });

  it('a reminder for an online participant carries the join link and the date in the subject', async () => {
    const context = contextFor('event_reminder', 'en', 'online');
    const email = await renderSample(context);
    expect(email.subject).toBe('Reminder: National dialogue on drug policy, 7 June 2023');
    expect(email.text).toContain(`${SAMPLE_PUBLIC_URL}/j/${context.registration!.joinToken}`);
  });

  it('an update without a list of changes asks to check the details', async () => {
    const base = contextFor('event_updated', 'en', 'in_person');
    const email = await renderSample({ ...base, facts: {} });
    expect(email.text).toContain('Please check the current details below.');
  });

  it('a declined or cancelled registration is not offered a mode switch', async () => {
    const email = await renderSample(contextFor('registration_declined', 'en', 'in_person'));
    expect(email.text).toContain('Through this private link you can see your registration.');
    expect(email.text).not.toContain('switch between');
  });
});
