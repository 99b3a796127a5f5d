import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistrationsAndOutbox1795891393135 implements MigrationInterface {
  name = 'RegistrationsAndOutbox1795891393135';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delegations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "name" character varying(300) NOT NULL, "organisation" character varying(300) NOT NULL, "stakeholder_type" character varying(32) NOT NULL, "country" character(2) NOT NULL, "language" character varying(2) NOT NULL, "head_email" character varying(254) NOT NULL, "head_given_name" character varying(200) NOT NULL, "head_family_name" character varying(200) NOT NULL, "head_position" character varying(300), "manage_token" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_delegations_country" CHECK ("country" ~ '^[A-Z]{2}$'), CONSTRAINT "chk_delegations_language" CHECK ("language" IN ('en', 'ru', 'kk')), CONSTRAINT "chk_delegations_stakeholder_type" CHECK ("stakeholder_type" IN ('government', 'international_organisation', 'civil_society', 'eu_institution', 'academia', 'media', 'other')), CONSTRAINT "pk_delegations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_delegations_manage_token" ON "delegations"  ("manage_token") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_delegations_event_created" ON "delegations"  ("event_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "registrations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "delegation_id" uuid, "is_delegation_head" boolean NOT NULL DEFAULT false, "reference" character(8) NOT NULL, "status" character varying(16) NOT NULL, "attendance_mode" character varying(16) NOT NULL, "email" character varying(254) NOT NULL, "given_name" character varying(200) NOT NULL, "family_name" character varying(200) NOT NULL, "organisation" character varying(300) NOT NULL, "position" character varying(300), "country" character(2) NOT NULL, "stakeholder_type" character varying(32) NOT NULL, "language" character varying(2) NOT NULL, "consent_data_processing" boolean NOT NULL, "consent_list_of_participants" boolean NOT NULL, "consent_photography" boolean NOT NULL DEFAULT false, "manage_token" character varying(64) NOT NULL, "join_token" character varying(64) NOT NULL, "checkin_code" character varying(64) NOT NULL, "queued_at" TIMESTAMP WITH TIME ZONE, "queue_position" bigint, "confirmed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_registrations_waitlist_position" CHECK (("status" = 'waitlisted') = ("queued_at" IS NOT NULL)), CONSTRAINT "chk_registrations_consent" CHECK ("consent_data_processing"), CONSTRAINT "chk_registrations_reference" CHECK ("reference" ~ '^[2-9A-HJ-KM-NP-Z]{8}$'), CONSTRAINT "chk_registrations_country" CHECK ("country" ~ '^[A-Z]{2}$'), CONSTRAINT "chk_registrations_language" CHECK ("language" IN ('en', 'ru', 'kk')), CONSTRAINT "chk_registrations_stakeholder_type" CHECK ("stakeholder_type" IN ('government', 'international_organisation', 'civil_society', 'eu_institution', 'academia', 'media', 'other')), CONSTRAINT "chk_registrations_attendance_mode" CHECK ("attendance_mode" IN ('in_person', 'online')), CONSTRAINT "chk_registrations_status" CHECK ("status" IN ('pending', 'confirmed', 'waitlisted', 'declined', 'cancelled')), CONSTRAINT "pk_registrations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_waitlist" ON "registrations"  ("event_id", "attendance_mode", "queue_position") WHERE "status" = 'waitlisted'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_delegation" ON "registrations"  ("delegation_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_event_created" ON "registrations"  ("event_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_registrations_checkin_code" ON "registrations"  ("checkin_code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_registrations_join_token" ON "registrations"  ("join_token") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_registrations_manage_token" ON "registrations"  ("manage_token") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_registrations_event_reference" ON "registrations"  ("event_id", "reference") `,
    );
    await queryRunner.query(
      `CREATE TABLE "emails" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "registration_id" uuid, "delegation_id" uuid, "kind" character varying(40) NOT NULL, "to_address" character varying(320) NOT NULL, "language" character varying(2) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "locked_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "message_id" character varying(255), "smtp_response" text, "dedupe_key" character varying(300) NOT NULL, "facts" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_emails_sending_locked" CHECK ("status" <> 'sending' OR "locked_until" IS NOT NULL), CONSTRAINT "chk_emails_sent_at" CHECK ("status" <> 'sent' OR "sent_at" IS NOT NULL), CONSTRAINT "chk_emails_attempts" CHECK ("attempts" >= 0), CONSTRAINT "chk_emails_language" CHECK ("language" IN ('en', 'ru', 'kk')), CONSTRAINT "chk_emails_status" CHECK ("status" IN ('queued', 'sending', 'sent', 'failed')), CONSTRAINT "chk_emails_kind" CHECK ("kind" IN ('registration_confirmed', 'registration_pending', 'registration_waitlisted', 'waitlist_promoted', 'registration_declined', 'registration_cancelled', 'attendance_mode_changed', 'delegation_summary', 'event_reminder', 'event_updated', 'event_cancelled')), CONSTRAINT "pk_emails" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_emails_sending_locked_until" ON "emails"  ("locked_until") WHERE "status" = 'sending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_emails_queued_next_attempt_at" ON "emails"  ("next_attempt_at") WHERE "status" = 'queued'`,
    );
    await queryRunner.query(`CREATE INDEX "idx_emails_delegation" ON "emails"  ("delegation_id") `);
    await queryRunner.query(
      `CREATE INDEX "idx_emails_registration_created_at" ON "emails"  ("registration_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_emails_event_status_created_at" ON "emails"  ("event_id", "status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_emails_event_created_at" ON "emails"  ("event_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_emails_dedupe_key" ON "emails"  ("dedupe_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("scope" character varying(300) NOT NULL, "key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" integer NOT NULL, "response_body" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("scope", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_created" ON "idempotency_keys"  ("created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "registration_sessions" ("registration_id" uuid NOT NULL, "session_id" uuid NOT NULL, CONSTRAINT "pk_registration_sessions" PRIMARY KEY ("registration_id", "session_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_registration_sessions_session" ON "registration_sessions"  ("session_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "events" ADD "seats_taken_in_person" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "events" ADD "seats_taken_online" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_sessions" ADD "seats_taken" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "events" ADD CONSTRAINT "chk_events_seats_online" CHECK ("seats_taken_online" >= 0 AND "seats_taken_online" <= COALESCE("capacity_online", 0))`,
    );
    await queryRunner.query(
      `ALTER TABLE "events" ADD CONSTRAINT "chk_events_seats_in_person" CHECK ("seats_taken_in_person" >= 0 AND "seats_taken_in_person" <= COALESCE("capacity_in_person", 0))`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_sessions" ADD CONSTRAINT "chk_event_sessions_seats_taken" CHECK ("seats_taken" >= 0 AND ("capacity_in_person" IS NULL OR "seats_taken" <= "capacity_in_person"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "delegations" ADD CONSTRAINT "fk_delegations_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registrations" ADD CONSTRAINT "fk_registrations_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registrations" ADD CONSTRAINT "fk_registrations_delegation" FOREIGN KEY ("delegation_id") REFERENCES "delegations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "emails" ADD CONSTRAINT "fk_emails_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "emails" ADD CONSTRAINT "fk_emails_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "emails" ADD CONSTRAINT "fk_emails_delegation" FOREIGN KEY ("delegation_id") REFERENCES "delegations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_sessions" ADD CONSTRAINT "fk_registration_sessions_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_sessions" ADD CONSTRAINT "fk_registration_sessions_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Written by hand from here on: what TypeORM cannot declare (the entity names these indexes
    // with synchronize: false). One active registration per email per event, case-insensitively:
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_registrations_active_email" ON "registrations" ("event_id", lower("email")) WHERE "status" IN ('pending', 'confirmed', 'waitlisted')`,
    );
    // The staff search (q) over name, email, organisation and reference: a trigram index makes
    // LIKE '%text%' fast in any script. pg_trgm is a trusted extension: no superuser needed.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_search" ON "registrations" USING gin ((lower("given_name" || ' ' || "family_name" || ' ' || "email" || ' ' || "organisation" || ' ' || "reference")) gin_trgm_ops)`,
    );
    // Waitlist places, drawn under each event's seat lock (see SeatsService.joinWaitlist).
    await queryRunner.query(`CREATE SEQUENCE "registration_queue_positions"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "registration_queue_positions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_search"`);
    await queryRunner.query(`DROP INDEX "public"."uq_registrations_active_email"`);
    await queryRunner.query(
      `ALTER TABLE "registration_sessions" DROP CONSTRAINT "fk_registration_sessions_session"`,
    );
    await queryRunner.query(
      `ALTER TABLE "registration_sessions" DROP CONSTRAINT "fk_registration_sessions_registration"`,
    );
    await queryRunner.query(`ALTER TABLE "emails" DROP CONSTRAINT "fk_emails_delegation"`);
    await queryRunner.query(`ALTER TABLE "emails" DROP CONSTRAINT "fk_emails_registration"`);
    await queryRunner.query(`ALTER TABLE "emails" DROP CONSTRAINT "fk_emails_event"`);
    await queryRunner.query(
      `ALTER TABLE "registrations" DROP CONSTRAINT "fk_registrations_delegation"`,
    );
    await queryRunner.query(`ALTER TABLE "registrations" DROP CONSTRAINT "fk_registrations_event"`);
    await queryRunner.query(`ALTER TABLE "delegations" DROP CONSTRAINT "fk_delegations_event"`);
    await queryRunner.query(
      `ALTER TABLE "event_sessions" DROP CONSTRAINT "chk_event_sessions_seats_taken"`,
    );
    await queryRunner.query(`ALTER TABLE "events" DROP CONSTRAINT "chk_events_seats_in_person"`);
    await queryRunner.query(`ALTER TABLE "events" DROP CONSTRAINT "chk_events_seats_online"`);
    await queryRunner.query(`ALTER TABLE "event_sessions" DROP COLUMN "seats_taken"`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "seats_taken_online"`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "seats_taken_in_person"`);
    await queryRunner.query(`DROP INDEX "public"."idx_registration_sessions_session"`);
    await queryRunner.query(`DROP TABLE "registration_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_idempotency_keys_created"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."uq_emails_dedupe_key"`);
    await queryRunner.query(`DROP INDEX "public"."idx_emails_event_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_emails_event_status_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_emails_registration_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_emails_delegation"`);
    await queryRunner.query(`DROP INDEX "public"."idx_emails_queued_next_attempt_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_emails_sending_locked_until"`);
    await queryRunner.query(`DROP TABLE "emails"`);
    await queryRunner.query(`DROP INDEX "public"."uq_registrations_event_reference"`);
    await queryRunner.query(`DROP INDEX "public"."uq_registrations_manage_token"`);
    await queryRunner.query(`DROP INDEX "public"."uq_registrations_join_token"`);
    await queryRunner.query(`DROP INDEX "public"."uq_registrations_checkin_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_event_created"`);
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_delegation"`);
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_waitlist"`);
    await queryRunner.query(`DROP TABLE "registrations"`);
    await queryRunner.query(`DROP INDEX "public"."idx_delegations_event_created"`);
    await queryRunner.query(`DROP INDEX "public"."uq_delegations_manage_token"`);
    await queryRunner.query(`DROP TABLE "delegations"`);
  }
}
