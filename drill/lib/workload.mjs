// The traffic of a drill (an event, a rush of registrations whose clients retry what is
// retryable with the same Idempotency-Key) and the ground truth it is checked against.
import { randomBytes } from 'node:crypto';
import { request } from '../../bench/lib/load.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function publishedEvent(service, { slug, inPerson, online, waitlist = true }) {
  const auth = { authorization: `Bearer ${service.adminToken}` };
  const day = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const created = await request({
    url: `${service.url}/api/v1/events`,
    method: 'POST',
    headers: auth,
    body: {
      slug,
      title: 'National dialogue on drug policy',
      timezone: 'Asia/Almaty',
      startsAt: `${day}T09:00:00+05:00`,
      endsAt: `${day}T17:00:00+05:00`,
      format: 'hybrid',
      venue: { name: 'Palace of Independence', address: 'Tauelsizdik Ave 52, Astana' },
      onlineJoinUrl: 'https://meet.example.org/j/123',
      capacity: { inPerson, online },
      registration: { requiresApproval: false, waitlist, maxDelegationSize: 10 },
      languages: ['en', 'ru', 'kk'],
    },
  });
  if (created.status !== 201)
    throw new Error(`event not created: ${created.status} ${created.text}`);
  const published = await request({
    url: `${service.url}/api/v1/events/${slug}/publish`,
    method: 'POST',
    headers: auth,
  });
  if (published.status !== 200) throw new Error(`event not published: ${published.text}`);
  return { id: JSON.parse(created.text).id, slug, capacity: { in_person: inPerson, online } };
}

export const runId = () => randomBytes(3).toString('hex');

/** 40 % in person, spread through the rush. */
export const modeOf = (i) => (i % 5 < 2 ? 'in_person' : 'online');

export function person(run, i) {
  return {
    email: `p${i}.${run}@example.kz`,
    givenName: 'Айгерім',
    familyName: 'Нұрланқызы',
    organisation: 'Ministry of Health',
    position: 'Chief expert',
    country: 'KZ',
    stakeholderType: 'government',
    attendanceMode: modeOf(i),
    language: ['en', 'ru', 'kk'][i % 3],
    consent: { dataProcessing: true, listOfParticipants: true, photography: false },
  };
}

/** Whether an answer is one a client may retry: 503, or no answer at all. */
const retryable = (status) => status === 503 || status === 0;

/**
 * A rush: `count` people registering from `concurrency` clients. Each client retries its
 * person with the same Idempotency-Key while the answer is retryable, until `deadlineMs`.
 * `urlOf(i, attempt)` picks the instance. Every answer is tallied; `onAnswer` sees each one.
 * Once `stopped()` is true, clients neither retry nor take a new person.
 */
export async function rush({
  count,
  concurrency,
  run,
  slug,
  urlOf,
  agent,
  deadlineMs,
  onAnswer,
  stopped = () => false,
}) {
  const results = new Array(count);
  const answers = {};
  const nonRetryable = [];
  let next = 0;
  const deadline = Date.now() + deadlineMs;
  const one = async (i) => {
    const body = person(run, i);
    const key = `drill-${run}-${i}`;
    for (let attempt = 0; ; attempt++) {
      const sentAt = Date.now();
      let status = 0;
      let text = '';
      let error;
      try {
        const res = await request({
          url: `${urlOf(i, attempt)}/api/v1/public/events/${slug}/registrations`,
          method: 'POST',
          body,
          headers: { 'idempotency-key': key },
          agent,
          timeoutMs: 15_000,
        });
        status = res.status;
        text = res.text;
      } catch (e) {
        error = e.code ?? e.message;
      }
      const label = status === 0 ? `error ${error}` : String(status);
      answers[label] = (answers[label] ?? 0) + 1;
      onAnswer?.({ i, status, text, error, sentAt, answeredAt: Date.now() });
      if (status === 201) {
        results[i] = { status, id: JSON.parse(text).id, attempts: attempt + 1 };
        return;
      }
      if (!retryable(status)) {
        nonRetryable.push({ i, status, text: text.slice(0, 300) });
        results[i] = { status, attempts: attempt + 1 };
        return;
      }
      if (Date.now() > deadline || stopped()) {
        results[i] = { status, error, attempts: attempt + 1, gaveUp: true };
        return;
      }
      await sleep(100 + Math.random() * 200);
    }
  };
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= count || stopped()) return;
      await one(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { results, answers, nonRetryable };
}

/** What the database holds for an event, for the consistency checks. */
export async function registrationFacts(pool, eventId) {
  const { rows } = await pool.query(
    `SELECT
       (SELECT count(*)::int FROM registrations WHERE event_id = $1) AS registrations,
       (SELECT count(*)::int FROM registrations WHERE event_id = $1
          AND status = 'confirmed' AND attendance_mode = 'in_person') AS confirmed_in_person,
       (SELECT count(*)::int FROM registrations WHERE event_id = $1
          AND status = 'confirmed' AND attendance_mode = 'online') AS confirmed_online,
       (SELECT count(*)::int FROM registrations WHERE event_id = $1
          AND status = 'waitlisted') AS waitlisted,
       (SELECT seats_taken_in_person FROM events WHERE id = $1) AS seats_in_person,
       (SELECT seats_taken_online FROM events WHERE id = $1) AS seats_online,
       (SELECT count(*)::int FROM registrations r WHERE r.event_id = $1 AND
          (SELECT count(*) FROM emails e WHERE e.registration_id = r.id
             AND e.kind = 'registration_' || r.status) <> 1) AS without_one_email,
       (SELECT count(*)::int FROM emails WHERE event_id = $1) AS emails,
       (SELECT count(*)::int FROM emails WHERE event_id = $1 AND status = 'sent') AS emails_sent`,
    [eventId],
  );
  return rows[0];
}

/** The ids of the event's outbox rows (a sent email's Message-ID is `<id@host>`). */
export async function emailIds(pool, eventId) {
  const { rows } = await pool.query('SELECT id FROM emails WHERE event_id = $1', [eventId]);
  return rows.map((r) => r.id);
}

/** Registration ids among `ids` that the database does not hold. */
export async function missingRegistrations(pool, ids) {
  const { rows } = await pool.query(
    `SELECT id FROM unnest($1::uuid[]) AS t(id)
      WHERE NOT EXISTS (SELECT 1 FROM registrations r WHERE r.id = t.id)`,
    [ids],
  );
  return rows.map((r) => r.id);
}

/** Waits until `probe()` resolves truthy, polling; resolves false after `timeoutMs`. */
export async function waitUntil(probe, timeoutMs, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/**
 * The checks every drill with email makes: the sink holds exactly the event's outbox rows by
 * Message-ID, each at most `allowedDuplicates` extra copies in all.
 */
export function checkSinkAgainstOutbox(ctx, sink, ids, { allowedDuplicates = 0 } = {}) {
  const expected = new Set(ids.map((id) => `<${id}@127.0.0.1>`));
  const missing = [...expected].filter((id) => !sink.counts.has(id));
  const unknown = [...sink.counts.keys()].filter((id) => !expected.has(id));
  // Catches a lost email: an outbox row the mail server never received.
  ctx.check(
    missing.length === 0,
    `every outbox email reached the sink (${expected.size})`,
    missing.length ? `${missing.length} missing, e.g. ${missing[0]}` : '',
  );
  // Catches mail the outbox does not account for (a Message-ID that is not deterministic).
  ctx.check(
    unknown.length === 0,
    'the sink holds no message the outbox does not know',
    unknown.length ? `${unknown.length} unknown, e.g. ${unknown[0]}` : '',
  );
  // Catches a double send: the same Message-ID accepted more often than allowed.
  ctx.check(
    sink.duplicates <= allowedDuplicates,
    allowedDuplicates === 0
      ? 'no email reached the sink twice (by Message-ID)'
      : `duplicates at the sink at most ${allowedDuplicates}`,
    `${sink.duplicates} duplicates in ${sink.total} messages`,
  );
}
