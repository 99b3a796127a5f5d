import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795887772923 implements MigrationInterface {
  name = 'Initial1795887772923';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" character varying(100) NOT NULL, "title" character varying(300) NOT NULL, "description" text NOT NULL DEFAULT '', "timezone" character varying(64) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "format" character varying(16) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'draft', "venue_name" character varying(300), "venue_address" character varying(500), "online_join_url" character varying(2000), "capacity_in_person" integer, "capacity_online" integer, "registration_opens_at" TIMESTAMP WITH TIME ZONE, "registration_closes_at" TIMESTAMP WITH TIME ZONE, "requires_approval" boolean NOT NULL DEFAULT false, "waitlist" boolean NOT NULL DEFAULT true, "max_delegation_size" integer NOT NULL DEFAULT '10', "languages" character varying(2) array NOT NULL DEFAULT '{en}', "online_attendance_min_minutes" integer NOT NULL DEFAULT '15', "published_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_events_languages" CHECK (cardinality("languages") >= 1), CONSTRAINT "chk_events_online_min_minutes" CHECK ("online_attendance_min_minutes" >= 0), CONSTRAINT "chk_events_max_delegation_size" CHECK ("max_delegation_size" >= 1), CONSTRAINT "chk_events_capacity_online" CHECK ("capacity_online" >= 0), CONSTRAINT "chk_events_capacity_in_person" CHECK ("capacity_in_person" >= 0), CONSTRAINT "chk_events_online_fields" CHECK (("format" = 'in_person') = ("capacity_online" IS NULL) AND ("format" <> 'in_person' OR "online_join_url" IS NULL)), CONSTRAINT "chk_events_in_person_fields" CHECK (("format" = 'online') = ("capacity_in_person" IS NULL) AND ("format" <> 'online' OR "venue_name" IS NULL)), CONSTRAINT "chk_events_registration_window" CHECK ("registration_opens_at" IS NULL OR "registration_closes_at" IS NULL OR "registration_closes_at" > "registration_opens_at"), CONSTRAINT "chk_events_ends_after_starts" CHECK ("ends_at" > "starts_at"), CONSTRAINT "chk_events_status" CHECK ("status" IN ('draft', 'published', 'cancelled')), CONSTRAINT "chk_events_format" CHECK ("format" IN ('in_person', 'online', 'hybrid')), CONSTRAINT "pk_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_events_status_starts_at" ON "events"  ("status", "starts_at", "id") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_events_slug" ON "events"  ("slug") `);
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "role" character varying(16) NOT NULL, "event_id" uuid, "secret_hash" character(64) NOT NULL, "secret_prefix" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "chk_api_tokens_admin_unscoped" CHECK ("role" <> 'admin' OR "event_id" IS NULL), CONSTRAINT "chk_api_tokens_role" CHECK ("role" IN ('admin', 'organiser', 'checkin')), CONSTRAINT "pk_api_tokens" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_api_tokens_event" ON "api_tokens"  ("event_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_api_tokens_secret_hash" ON "api_tokens"  ("secret_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "event_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "title" character varying(300) NOT NULL, "description" text, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "room" character varying(200), "speakers" character varying(300) array NOT NULL DEFAULT '{}', "capacity_in_person" integer, "online_join_url" character varying(2000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_event_sessions_capacity_in_person" CHECK ("capacity_in_person" >= 0), CONSTRAINT "chk_event_sessions_ends_after_starts" CHECK ("ends_at" > "starts_at"), CONSTRAINT "pk_event_sessions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_event_sessions_event_starts_at" ON "event_sessions"  ("event_id", "starts_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "fk_api_tokens_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_sessions" ADD CONSTRAINT "fk_event_sessions_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "event_sessions" DROP CONSTRAINT "fk_event_sessions_event"`,
    );
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "fk_api_tokens_event"`);
    await queryRunner.query(`DROP INDEX "public"."idx_event_sessions_event_starts_at"`);
    await queryRunner.query(`DROP TABLE "event_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_tokens_secret_hash"`);
    await queryRunner.query(`DROP INDEX "public"."idx_api_tokens_event"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."uq_events_slug"`);
    await queryRunner.query(`DROP INDEX "public"."idx_events_status_starts_at"`);
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
