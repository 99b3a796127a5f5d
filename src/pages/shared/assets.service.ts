import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where the hand-written assets live: src/pages/assets (copied to dist by `swc --copy-files`). */
export const ASSETS_DIR = join(__dirname, '..', 'assets');

/**
 * Where the bundled client scripts are written (src/pages/staff/build-client.ts): beside the
 * assets in dist by `npm run build`, and under src/pages/client-build (git-ignored) for tests.
 */
export const CLIENT_BUILD_DIR = join(__dirname, '..', 'client-build');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

export interface Asset {
  /** The file's name in src/pages/assets, e.g. pages.css. */
  name: string;
  /** The versioned name it is served under, e.g. pages.3f2a9c1b.css. */
  versionedName: string;
  type: string;
  body: Buffer;
  /** The same bytes gzipped, when that is smaller (text formats). */
  gzip: Buffer | null;
}

/**
 * The pages' static files, read once at start and served from memory under content-hashed names
 * (`/assets/pages.3f2a9c1b.css`), so they can be cached for a year: a changed file gets a new URL.
 * Nothing is fetched from anywhere else. To add a file, drop it in src/pages/assets and link it
 * with `assets.url('name.ext')` (an unknown name throws, so a typo fails the first page test).
 */
@Injectable()
export class AssetsService {
  private readonly byName = new Map<string, Asset>();
  private readonly byVersionedName = new Map<string, Asset>();

  constructor() {
    const files = [ASSETS_DIR, CLIENT_BUILD_DIR]
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => readdirSync(dir).map((name) => ({ dir, name })));
    for (const { dir, name } of files) {
      const type = TYPES[extname(name)];
      if (!type) continue;
      const body = readFileSync(join(dir, name));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
      const dot = name.lastIndexOf('.');
      const versionedName = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
      const zipped = /^(text\/|image\/svg|application\/json)/.test(type) ? gzipSync(body) : null;
      const asset: Asset = {
        name,
        versionedName,
        type,
        body,
        gzip: zipped && zipped.length < body.length ? zipped : null,
      };
      this.byName.set(name, asset);
      this.byVersionedName.set(versionedName, asset);
    }
  }

  /** The URL of an asset for a page, e.g. url('pages.css') → /assets/pages.3f2a9c1b.css. */
  url(name: string): string {
    const asset = this.byName.get(name);
    if (!asset) throw new Error(`No asset ${name} in ${ASSETS_DIR}`);
    return `/assets/${asset.versionedName}`;
  }

  /** The asset for a requested versioned name; an old or unknown version is not found. */
  find(versionedName: string): Asset | undefined {
    return this.byVersionedName.get(versionedName);
  }
}
