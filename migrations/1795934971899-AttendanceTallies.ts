import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attendance tallies kept by PostgreSQL, so the attendance summary adds up a few hundred rows
 * instead of joining every registration of the event with its check-ins, minutes and joins
 * (110 ms of SQL at 100,000 registrations on 2 cores; 3 ms from the tallies).
 *
 * attendance_tally_keys holds what each registration is counted as, for the event as a whole
 * and per session; attendance_tallies holds +1/-1 rows per key, which the service folds into
 * one row per key. The triggers below keep both in the transaction of every change, whatever
 * code path makes it: registrations (insert, delete, a new status, mode or stakeholder type),
 * check_ins, online_attendance, online_joins (a first open; later opens change nothing counted)
 * and registration_sessions. The facts read here are those of attended-sql.ts and of the
 * summary statements before this migration.
 *
 * Generated for the tables; the functions, triggers and the backfill are written by hand.
 */
export class AttendanceTallies1795934971899 implements MigrationInterface {
  name = 'AttendanceTallies1795934971899';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "attendance_tally_keys" ("registration_id" uuid NOT NULL, "session_key" character varying(36) NOT NULL, "event_id" uuid NOT NULL, "attendance_mode" character varying(16) NOT NULL, "stakeholder_type" character varying(32) NOT NULL, "status" character varying(16) NOT NULL, "chose" boolean NOT NULL, "checked_in" boolean NOT NULL, "minutes" integer, "opened" boolean NOT NULL, CONSTRAINT "pk_attendance_tally_keys" PRIMARY KEY ("registration_id", "session_key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "attendance_tallies" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "event_id" uuid NOT NULL, "session_key" character varying(36) NOT NULL, "attendance_mode" character varying(16) NOT NULL, "stakeholder_type" character varying(32) NOT NULL, "status" character varying(16) NOT NULL, "chose" boolean NOT NULL, "checked_in" boolean NOT NULL, "minutes" integer, "opened" boolean NOT NULL, "people" integer NOT NULL, "folded" boolean NOT NULL DEFAULT false, CONSTRAINT "pk_attendance_tallies" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_attendance_tallies_unfolded" ON "attendance_tallies" ("event_id") WHERE NOT "folded"`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_attendance_tallies_event_session" ON "attendance_tallies" ("event_id", "session_key")`,
    );

    // The facts one registration is counted by under one session key, read afresh. No row when
    // the registration is gone, or has nothing to do with the session.
    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_facts(p_registration uuid, p_session_key varchar)
      RETURNS SETOF attendance_tally_keys LANGUAGE sql STABLE AS $$
        SELECT * FROM (
          SELECT r.id, p_session_key, r.event_id, r.attendance_mode, r.stakeholder_type, r.status,
                 p_session_key <> 'event' AND EXISTS (
                   SELECT 1 FROM registration_sessions rs
                    WHERE rs.registration_id = r.id AND rs.session_id::text = p_session_key),
                 EXISTS (SELECT 1 FROM check_ins c
                          WHERE c.registration_id = r.id AND c.session_key = p_session_key),
                 CASE WHEN p_session_key = 'event'
                      -- A whole-event report's minutes, else the sum of the per-session ones.
                      THEN (SELECT COALESCE(max(oa.minutes) FILTER (WHERE oa.session_key = 'event'),
                                            sum(oa.minutes))::int
                              FROM online_attendance oa WHERE oa.registration_id = r.id)
                      ELSE (SELECT oa.minutes FROM online_attendance oa
                             WHERE oa.registration_id = r.id AND oa.session_key = p_session_key)
                 END,
                 EXISTS (SELECT 1 FROM online_joins j
                          WHERE j.registration_id = r.id
                            AND (p_session_key = 'event' OR j.session_key = p_session_key))
            FROM registrations r WHERE r.id = p_registration
        ) facts (registration_id, session_key, event_id, attendance_mode, stakeholder_type, status,
                 chose, checked_in, minutes, opened)
         WHERE session_key = 'event' OR chose OR checked_in OR minutes IS NOT NULL OR opened
      $$`);

    // Moves one registration's count under one session key to where its facts now put it.
    // The key row is locked first, then the facts are read (a fresh snapshot per statement):
    // changes to one person at once are counted one after the other, each seeing the last.
    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_recount(p_registration uuid, p_session_key varchar)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        was attendance_tally_keys;
        now_ attendance_tally_keys;
        counted boolean;
      BEGIN
        LOOP
          SELECT * INTO was FROM attendance_tally_keys
           WHERE registration_id = p_registration AND session_key = p_session_key FOR UPDATE;
          EXIT WHEN FOUND;
          SELECT * INTO now_ FROM attendance_tally_facts(p_registration, p_session_key);
          IF NOT FOUND THEN RETURN; END IF;
          INSERT INTO attendance_tally_keys VALUES (now_.*) ON CONFLICT DO NOTHING;
          IF FOUND THEN
            INSERT INTO attendance_tallies
              (event_id, session_key, attendance_mode, stakeholder_type, status, chose,
               checked_in, minutes, opened, people)
            VALUES (now_.event_id, now_.session_key, now_.attendance_mode, now_.stakeholder_type,
                    now_.status, now_.chose, now_.checked_in, now_.minutes, now_.opened, 1);
            RETURN;
          END IF;
          -- Another transaction counted this key first: lock its row and compare with it.
        END LOOP;

        SELECT * INTO now_ FROM attendance_tally_facts(p_registration, p_session_key);
        counted := FOUND;
        IF counted AND was IS NOT DISTINCT FROM now_ THEN RETURN; END IF;
        INSERT INTO attendance_tallies
          (event_id, session_key, attendance_mode, stakeholder_type, status, chose, checked_in,
           minutes, opened, people)
        VALUES (was.event_id, was.session_key, was.attendance_mode, was.stakeholder_type,
                was.status, was.chose, was.checked_in, was.minutes, was.opened, -1);
        IF counted THEN
          INSERT INTO attendance_tallies
            (event_id, session_key, attendance_mode, stakeholder_type, status, chose,
             checked_in, minutes, opened, people)
          VALUES (now_.event_id, now_.session_key, now_.attendance_mode, now_.stakeholder_type,
                  now_.status, now_.chose, now_.checked_in, now_.minutes, now_.opened, 1);
          UPDATE attendance_tally_keys SET event_id = now_.event_id,
                 attendance_mode = now_.attendance_mode, stakeholder_type = now_.stakeholder_type,
                 status = now_.status, chose = now_.chose, checked_in = now_.checked_in,
                 minutes = now_.minutes, opened = now_.opened
           WHERE registration_id = p_registration AND session_key = p_session_key;
        ELSE
          DELETE FROM attendance_tally_keys
           WHERE registration_id = p_registration AND session_key = p_session_key;
        END IF;
      END $$`);

    // The door's path, a check-in made or undone, in one UPDATE: it locks the key row, waits for
    // whoever holds it, and flips checked_in on the row as it is then. The full recount (lock,
    // then read every fact) cost the bare check-in statement twice as much; it remains for the
    // rare cases: no key row yet (a session's first fact) or a session's check-in undone (the
    // key row may have to go).
    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_check_in(p_registration uuid, p_session_key varchar,
                                                p_checked_in boolean)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        now_ attendance_tally_keys;
      BEGIN
        IF p_checked_in OR p_session_key = 'event' THEN
          UPDATE attendance_tally_keys SET checked_in = p_checked_in
           WHERE registration_id = p_registration AND session_key = p_session_key
             AND checked_in <> p_checked_in
          RETURNING * INTO now_;
          IF FOUND THEN
            INSERT INTO attendance_tallies
              (event_id, session_key, attendance_mode, stakeholder_type, status, chose,
               checked_in, minutes, opened, people)
            VALUES (now_.event_id, now_.session_key, now_.attendance_mode, now_.stakeholder_type,
                    now_.status, now_.chose, NOT p_checked_in, now_.minutes, now_.opened, -1),
                   (now_.event_id, now_.session_key, now_.attendance_mode, now_.stakeholder_type,
                    now_.status, now_.chose, p_checked_in, now_.minutes, now_.opened, 1);
            RETURN;
          END IF;
        END IF;
        PERFORM attendance_tally_recount(p_registration, p_session_key);
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_check_in_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          PERFORM attendance_tally_check_in(OLD.registration_id, OLD.session_key, false);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM attendance_tally_check_in(NEW.registration_id, NEW.session_key, true);
        END IF;
        RETURN NULL;
      END $$`);

    // Any other fact row (minutes, a join, a session choice) came, went or changed. Minutes and
    // joins for a session also count for the event as a whole; the session is recounted first,
    // the event last, as the registration trigger orders them, so two never wait on each other.
    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_fact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed jsonb[] := '{}';
        fact record;
      BEGIN
        IF TG_OP <> 'INSERT' THEN changed := array_append(changed, to_jsonb(OLD)); END IF;
        IF TG_OP <> 'DELETE' THEN changed := array_append(changed, to_jsonb(NEW)); END IF;
        -- registration_sessions has a session_id where the fact tables have a session_key.
        FOR fact IN SELECT DISTINCT (row ->> 'registration_id')::uuid AS registration_id,
                           COALESCE(row ->> 'session_key', row ->> 'session_id') AS session_key
                      FROM unnest(changed) row LOOP
          PERFORM attendance_tally_recount(fact.registration_id, fact.session_key);
          IF fact.session_key <> 'event' AND TG_TABLE_NAME IN ('online_attendance', 'online_joins')
          THEN
            PERFORM attendance_tally_recount(fact.registration_id, 'event');
          END IF;
        END LOOP;
        RETURN NULL;
      END $$`);

    // New registrations, all of a statement at once (an admission batch inserts many): nothing
    // can have happened to them yet, so each is counted as registered and nothing more. The key
    // rows are inserted unless there (a fact recounted first in the same statement).
    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_registrations_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH counted AS (
          INSERT INTO attendance_tally_keys
          SELECT id, 'event', event_id, attendance_mode, stakeholder_type, status, false, false,
                 NULL, false
            FROM added
          ON CONFLICT DO NOTHING
          RETURNING *
        )
        INSERT INTO attendance_tallies
          (event_id, session_key, attendance_mode, stakeholder_type, status, chose, checked_in,
           minutes, opened, people)
        SELECT event_id, session_key, attendance_mode, stakeholder_type, status, chose,
               checked_in, minutes, opened, count(*)
          FROM counted
         GROUP BY event_id, session_key, attendance_mode, stakeholder_type, status, chose,
                  checked_in, minutes, opened;
        RETURN NULL;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION attendance_tally_registration_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        tallied record;
      BEGIN
        FOR tallied IN SELECT k.session_key FROM attendance_tally_keys k
                        WHERE k.registration_id = OLD.id
                        ORDER BY k.session_key = 'event', k.session_key LOOP
          PERFORM attendance_tally_recount(OLD.id, tallied.session_key);
        END LOOP;
        RETURN NULL;
      END $$`);

    await queryRunner.query(`
      CREATE TRIGGER trg_registrations_attendance_tally_insert AFTER INSERT ON registrations
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION attendance_tally_registrations_added()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_registrations_attendance_tally_delete AFTER DELETE ON registrations
        FOR EACH ROW EXECUTE FUNCTION attendance_tally_registration_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_registrations_attendance_tally_update
        AFTER UPDATE OF event_id, attendance_mode, stakeholder_type, status ON registrations
        FOR EACH ROW
        WHEN ((OLD.event_id, OLD.attendance_mode, OLD.stakeholder_type, OLD.status)
              IS DISTINCT FROM (NEW.event_id, NEW.attendance_mode, NEW.stakeholder_type, NEW.status))
        EXECUTE FUNCTION attendance_tally_registration_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_check_ins_attendance_tally AFTER INSERT OR UPDATE OR DELETE ON check_ins
        FOR EACH ROW EXECUTE FUNCTION attendance_tally_check_in_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_online_attendance_attendance_tally
        AFTER INSERT OR UPDATE OR DELETE ON online_attendance
        FOR EACH ROW EXECUTE FUNCTION attendance_tally_fact_changed()`);
    for (const table of ['online_joins', 'registration_sessions']) {
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_attendance_tally AFTER INSERT OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION attendance_tally_fact_changed()`);
    }

    // The covering index the summary's joins read (migrations AttendanceSummaryIndex and
    // AttendanceSummaryMergeIndexes): nothing reads it now, and every registration wrote it.
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_event_summary"`);

    // What is there already, counted in bulk: the same facts as attendance_tally_facts.
    await queryRunner.query(`
      INSERT INTO attendance_tally_keys
      SELECT r.id, 'event', r.event_id, r.attendance_mode, r.stakeholder_type, r.status, false,
             EXISTS (SELECT 1 FROM check_ins c
                      WHERE c.registration_id = r.id AND c.session_key = 'event'),
             (SELECT COALESCE(max(oa.minutes) FILTER (WHERE oa.session_key = 'event'),
                              sum(oa.minutes))::int
                FROM online_attendance oa WHERE oa.registration_id = r.id),
             EXISTS (SELECT 1 FROM online_joins j WHERE j.registration_id = r.id)
        FROM registrations r`);
    await queryRunner.query(`
      INSERT INTO attendance_tally_keys
      SELECT r.id, p.session_key, r.event_id, r.attendance_mode, r.stakeholder_type, r.status,
             bool_or(p.chose), bool_or(p.checked_in), max(p.minutes), bool_or(p.opened)
        FROM (SELECT registration_id, session_id::text AS session_key, true AS chose,
                     false AS checked_in, NULL::int AS minutes, false AS opened
                FROM registration_sessions
              UNION ALL SELECT registration_id, session_key, false, true, NULL, false
                FROM check_ins WHERE session_key <> 'event'
              UNION ALL SELECT registration_id, session_key, false, false, minutes, false
                FROM online_attendance WHERE session_key <> 'event'
              UNION ALL SELECT registration_id, session_key, false, false, NULL, true
                FROM online_joins WHERE session_key <> 'event') p
        JOIN registrations r ON r.id = p.registration_id
       GROUP BY r.id, p.session_key`);
    await queryRunner.query(`
      INSERT INTO attendance_tallies
        (event_id, session_key, attendance_mode, stakeholder_type, status, chose, checked_in,
         minutes, opened, people, folded)
      SELECT event_id, session_key, attendance_mode, stakeholder_type, status, chose, checked_in,
             minutes, opened, count(*), true
        FROM attendance_tally_keys
       GROUP BY event_id, session_key, attendance_mode, stakeholder_type, status, chose,
                checked_in, minutes, opened`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_event_summary" ON "registrations" ("event_id", "id") INCLUDE ("attendance_mode", "stakeholder_type", "status")`,
    );
    for (const [trigger, table] of [
      ['trg_registration_sessions_attendance_tally', 'registration_sessions'],
      ['trg_online_joins_attendance_tally', 'online_joins'],
      ['trg_online_attendance_attendance_tally', 'online_attendance'],
      ['trg_check_ins_attendance_tally', 'check_ins'],
      ['trg_registrations_attendance_tally_update', 'registrations'],
      ['trg_registrations_attendance_tally_delete', 'registrations'],
      ['trg_registrations_attendance_tally_insert', 'registrations'],
    ]) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION attendance_tally_registration_changed()`);
    await queryRunner.query(`DROP FUNCTION attendance_tally_registrations_added()`);
    await queryRunner.query(`DROP FUNCTION attendance_tally_fact_changed()`);
    await queryRunner.query(`DROP FUNCTION attendance_tally_check_in_changed()`);
    await queryRunner.query(`DROP FUNCTION attendance_tally_check_in(uuid, varchar, boolean)`);
    await queryRunner.query(`DROP FUNCTION attendance_tally_recount(uuid, varchar)`);
    await queryRunner.query(`DROP FUNCTION attendance_tally_facts(uuid, varchar)`);
    await queryRunner.query(`DROP INDEX "public"."idx_attendance_tallies_event_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_attendance_tallies_unfolded"`);
    await queryRunner.query(`DROP TABLE "attendance_tallies"`);
    await queryRunner.query(`DROP TABLE "attendance_tally_keys"`);
  }
}
