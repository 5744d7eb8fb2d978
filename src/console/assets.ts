// The console's browser files, built by `npm run build` (scripts/build-console.mjs) into
// dist/web and shipped in the npm package: nothing is fetched from a CDN at run time.
import { readFile } from 'node:fs/promises';

// The same folder from src/console (tests) and from dist/console (the package).
const WEB_DIR = new URL('../../dist/web/', import.meta.url);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Files a browser may ask for; anything else is not found (no path from the request reaches the disk). */
export const CONSOLE_ASSETS = ['app.js', 'app.css', 'favicon.svg'] as const;

export interface Asset {
  body: Buffer;
  type: string;
}

export function createAssetReader(dir: URL = WEB_DIR): (name: string) => Promise<Asset | null> {
  const cache = new Map<string, Asset>();
  return async (name) => {
    const cached = cache.get(name);
    if (cached) return cached;
    try {
      const body = await readFile(new URL(name, dir));
      const asset = { body, type: TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream' };
      cache.set(name, asset);
      return asset;
    } catch {
      return null;
    }
  };
}

/**
 * No inline script or style, nothing from another origin; uPlot sets element styles from
 * script (CSSOM), which style-src does not restrict.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
