import { diffEntitiesAgainstMigrations } from './schema-diff';

/** CI's drift check: fails when the entities describe a schema the migrations do not build. */
async function main(): Promise<void> {
  const diff = await diffEntitiesAgainstMigrations();
  if (diff.up.length === 0) {
    process.stdout.write('Migrations match the entities.\n');
    return;
  }
  process.stderr.write(
    'Entity/migration drift: a new migration is needed (npm run migration:generate -- Name):\n' +
      diff.up.map((q) => `  ${q.query}`).join('\n') +
      '\n',
  );
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
