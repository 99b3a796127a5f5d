import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search that ignores accents and keyboards: «Нурлан» finds «Нұрлан», «elodie» finds «Élodie».
 * Generated from the entities, then edited by hand: TypeORM cannot declare the extension, the
 * function, the trigram index, or the metadata row for the current database (it wrote the name
 * of the scratch database it generated on).
 */
export class AccentInsensitiveSearch1795895970586 implements MigrationInterface {
  name = 'AccentInsensitiveSearch1795895970586';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // unaccent is a trusted extension (PostgreSQL 13+): no superuser needed.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public`);
    // unaccent() is only STABLE because its dictionary could change; with the dictionary named
    // explicitly the result depends on the text alone, which is what lets a stored column and an
    // index use it (the approach PostgreSQL's documentation suggests). Kazakh letters are folded
    // to the letters a Russian keyboard types in their place.
    await queryRunner.query(
      `CREATE FUNCTION public.convene_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT translate(lower(public.unaccent('public.unaccent'::regdictionary, $1)), 'әғқңөұүһіё', 'агкноуухие') $$`,
    );
    await queryRunner.query(
      `ALTER TABLE "registrations" ADD "search_text" text GENERATED ALWAYS AS (convene_fold("given_name" || ' ' || "family_name" || ' ' || "email" || ' ' || "organisation" || ' ' || "reference")) STORED NOT NULL`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), $1, $2, $3, $4)`,
      [
        'registrations',
        'GENERATED_COLUMN',
        'search_text',
        `convene_fold("given_name" || ' ' || "family_name" || ' ' || "email" || ' ' || "organisation" || ' ' || "reference")`,
      ],
    );
    // The trigram index now covers the folded column; the old one on lower(...) goes.
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_search"`);
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_search_text" ON "registrations" USING gin ("search_text" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_registrations_search_text"`);
    await queryRunner.query(
      `CREATE INDEX "idx_registrations_search" ON "registrations" USING gin ((lower("given_name" || ' ' || "family_name" || ' ' || "email" || ' ' || "organisation" || ' ' || "reference")) gin_trgm_ops)`,
    );
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = current_schema() AND "table" = $3`,
      ['GENERATED_COLUMN', 'search_text', 'registrations'],
    );
    await queryRunner.query(`ALTER TABLE "registrations" DROP COLUMN "search_text"`);
    await queryRunner.query(`DROP FUNCTION public.convene_fold(text)`);
  }
}
