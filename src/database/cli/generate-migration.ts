import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Query } from 'typeorm/driver/Query';
import { diffEntitiesAgainstMigrations } from './schema-diff';

const quote = (query: Query) => {
  const sql =
    '`' + query.query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  return query.parameters?.length
    ? `    await queryRunner.query(${sql}, ${JSON.stringify(query.parameters)});`
    : `    await queryRunner.query(${sql});`;
};

/** Writes migrations/<timestamp>-<Name>.ts from the difference; review it before committing. */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('Usage: npm run migration:generate -- NameInPascalCase');
  }
  const diff = await diffEntitiesAgainstMigrations();
  if (diff.up.length === 0) {
    process.stdout.write('No changes: the migrations already match the entities.\n');
    return;
  }
  const timestamp = Date.now();
  const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
  const source = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${diff.up.map(quote).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${[...diff.down].reverse().map(quote).join('\n')}
  }
}
`;
  await writeFile(file, source);
  process.stdout.write(`Wrote ${file}: review it, then run npm run format.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
