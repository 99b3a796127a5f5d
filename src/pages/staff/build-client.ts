import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

/**
 * Bundles the pages' client scripts with esbuild (a devDependency: it runs at build time only,
 * never in the service). One minified file per entry, served from memory under a hashed
 * /assets URL like every other asset, so the CSP stays `script-src 'self'` with no CDN.
 * `npm run build` writes into dist/src/pages/client-build; the test setup into
 * src/pages/client-build (git-ignored).
 */
/** src/pages, also when this runs compiled from dist/src/pages (the sources are bundled). */
const PAGES_SOURCE = join(__dirname, '..').replace(/([\\/])dist[\\/]src([\\/])/, '$1src$2');

export const CLIENT_ENTRIES: Record<string, string> = {
  'desk.js': join(PAGES_SOURCE, 'desk', 'client', 'desk.client.ts'),
};

export async function buildClient(outDir: string): Promise<{ file: string; bytes: number }[]> {
  // Imported here so that the service never loads esbuild when it starts.
  const esbuild = await import('esbuild');
  const built: { file: string; bytes: number }[] = [];
  for (const entry of new Set(Object.values(CLIENT_ENTRIES).map((e) => dirname(e)))) {
    // esbuild strips types without checking them; the browser code has its own tsconfig (DOM
    // types, no Node), so the project's `tsc` leaves it out and it is checked here.
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(entry, 'tsconfig.json')],
      { stdio: 'inherit' },
    );
  }
  for (const [name, entry] of Object.entries(CLIENT_ENTRIES)) {
    const outfile = join(outDir, name);
    const result = await esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2020', 'chrome90', 'safari14', 'firefox90'],
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    built.push({
      file: outfile,
      bytes: result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes,
    });
  }
  return built;
}

/** `node dist/src/pages/staff/build-client.js <outDir>` from the build script. */
if (require.main === module) {
  const outDir = process.argv[2] ?? join(__dirname, '..', 'client-build');
  buildClient(outDir).then(
    (files) => {
      for (const f of files) process.stdout.write(`${f.file}: ${f.bytes} bytes\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
