// A bundle: a locustfile with the files beside it that it needs (helpers, data files), kept
// as one script revision. It travels and is stored as a gzip'd tar (base64); its hash covers
// the sorted (path, content) pairs, so it does not depend on how the archive was made.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LoadctlError } from './errors.js';
import { readTar, writeTar } from './_tar.js';

/** Hard limits of the control plane, whatever a client is configured with. The archive stays well below MongoDB's 16 MB document limit (base64: 4/3). */
export const BUNDLE_LIMITS = {
  maxFiles: 1000,
  maxBytes: 32 * 1024 * 1024,
  maxArchiveBytes: 8 * 1024 * 1024,
  maxPathBytes: 255,
} as const;

/** What `loadctl run` bundles unless loadctl.yaml says otherwise (bundle.maxFiles, bundle.maxSizeMiB). */
export const DEFAULT_BUNDLE_MAX_FILES = 200;
export const DEFAULT_BUNDLE_MAX_BYTES = 10 * 1024 * 1024;

export interface BundleEntry {
  /** Relative to the bundle's root, '/'-separated. */
  path: string;
  content: Uint8Array;
}

/** A bundled file as a revision lists it. */
export interface BundleFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** Refuses a path that could land outside the folder it is unpacked into, or is not portable. */
export function checkBundlePath(path: string): string {
  const refuse = (why: string): never => {
    throw new LoadctlError('LOADCTL_BUNDLE_INVALID', `The bundle path "${path.slice(0, 300)}" ${why}.`, { details: { field: 'bundle', path: path.slice(0, 300) } });
  };
  const relative = path.replace(/^(\.\/)+/, '');
  if (relative === '') refuse('is empty');
  if (relative.includes('\0')) refuse('contains a NUL byte');
  if (relative.includes('\\')) refuse('contains a backslash; use / between folders');
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) refuse('is absolute; paths must be relative to the bundle root');
  if (Buffer.byteLength(relative) > BUNDLE_LIMITS.maxPathBytes) refuse(`is over ${BUNDLE_LIMITS.maxPathBytes} bytes`);
  for (const segment of relative.split('/')) {
    if (segment === '..') refuse('goes up with ".."');
    if (segment === '' || segment === '.') refuse('has an empty or "." segment');
  }
  return relative;
}

/** sha256 over the sorted (path, sha256 of content) pairs: equal files, equal hash. */
export function bundleHash(files: readonly Pick<BundleFile, 'path' | 'sha256'>[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => compareText(a.path, b.path))) hash.update(`${file.path}\0${file.sha256}\n`, 'utf8');
  return hash.digest('hex');
}

export function describeEntries(entries: readonly BundleEntry[]): BundleFile[] {
  return entries
    .map((entry) => ({ path: entry.path, sizeBytes: entry.content.byteLength, sha256: createHash('sha256').update(entry.content).digest('hex') }))
    .sort((a, b) => compareText(a.path, b.path));
}

/** The archive (base64 of a gzip'd tar) of these entries, sorted by path, with fixed metadata: same files, same bytes. */
export function packBundle(entries: readonly BundleEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareText(a.path, b.path));
  return gzipSync(writeTar(sorted), { level: 9 }).toString('base64');
}

/**
 * Reads a bundle archive (base64 of a tar, gzip'd or not) and checks it: limits, paths (no
 * "..", absolute or duplicate ones), no links or devices. Nothing of a refused bundle is used.
 */
export function unpackBundle(base64: string, limits: { maxFiles: number; maxBytes: number } = BUNDLE_LIMITS): BundleEntry[] {
  const invalid = (message: string, cause?: unknown): LoadctlError => new LoadctlError('LOADCTL_BUNDLE_INVALID', message, { cause, details: { field: 'bundle' } });
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) throw invalid('bundle is not valid base64. Encode a .tar.gz, e.g. `tar czf - -C project . | base64 -w0`.');
  const archive = Buffer.from(compact, 'base64');
  if (archive.byteLength > BUNDLE_LIMITS.maxArchiveBytes) {
    throw new LoadctlError('LOADCTL_BUNDLE_TOO_LARGE', `The bundle archive is ${formatBytes(archive.byteLength)}; the limit is ${formatBytes(BUNDLE_LIMITS.maxArchiveBytes)} compressed.`, { details: { field: 'bundle' } });
  }
  let tar: Buffer;
  try {
    // A gzip stream starts 1f 8b; a plain tar is accepted too. maxOutputLength stops a zip bomb early.
    tar = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive, { maxOutputLength: limits.maxBytes + 1024 * 1024 + limits.maxFiles * 2048 }) : archive;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`more than ${formatBytes(limits.maxBytes)} unpacked`, limits);
    throw invalid(`bundle is not a valid gzip archive: ${(cause as Error).message}.`, cause);
  }
  let read: ReturnType<typeof readTar>;
  try {
    read = readTar(tar);
  } catch (cause) {
    throw invalid(`bundle is not a valid tar archive: ${(cause as Error).message}.`, cause);
  }
  const special = read.special[0];
  if (special) {
    const what = special.type === '2' ? 'a symbolic link' : special.type === '1' ? 'a hard link' : `an entry of tar type "${special.type}"`;
    throw invalid(`bundle holds ${what} (${special.path.slice(0, 300)}); only regular files are allowed. Archive the files themselves (tar --dereference).`);
  }
  const seen = new Set<string>();
  const entries: BundleEntry[] = [];
  let total = 0;
  for (const file of read.files) {
    const path = checkBundlePath(file.path);
    if (seen.has(path)) throw invalid(`bundle holds ${path} twice.`);
    seen.add(path);
    total += file.content.byteLength;
    entries.push({ path, content: file.content });
  }
  if (entries.length > limits.maxFiles) throw tooLarge(`${entries.length} files`, limits);
  if (total > limits.maxBytes) throw tooLarge(formatBytes(total), limits);
  return entries;
}

function tooLarge(what: string, limits: { maxFiles: number; maxBytes: number }): LoadctlError {
  return new LoadctlError('LOADCTL_BUNDLE_TOO_LARGE', `The bundle holds ${what}; the limit is ${limits.maxFiles} files and ${formatBytes(limits.maxBytes)}.`, { details: { field: 'bundle' } });
}

export const DEFAULT_LOCUSTFILE = 'locustfile.py';

/**
 * The files of an uploaded bundle with the uploaded script at `locustfile`: added when the
 * archive lacks it, refused when the archive's file differs (which one would run is unclear).
 */
export function composeBundle(script: string, base64: string, locustfile = DEFAULT_LOCUSTFILE): { locustfile: string; entries: BundleEntry[] } {
  let path: string;
  try {
    path = checkBundlePath(locustfile);
  } catch (error) {
    throw new LoadctlError('LOADCTL_BUNDLE_INVALID', (error as Error).message.replace('The bundle path', 'locustfile'), { details: { field: 'locustfile' } });
  }
  const entries = unpackBundle(base64);
  const scriptBytes = Buffer.from(script, 'utf8');
  const inBundle = entries.find((entry) => entry.path === path);
  if (inBundle && !scriptBytes.equals(Buffer.from(inBundle.content))) {
    throw new LoadctlError('LOADCTL_BUNDLE_INVALID', `The bundle's ${path} differs from scriptContent; send the same file in both, or leave it out of the bundle.`, { details: { field: 'locustfile', path } });
  }
  const all = inBundle ? entries : [...entries, { path, content: scriptBytes }];
  if (all.length > BUNDLE_LIMITS.maxFiles) throw tooLarge(`${all.length} files`, BUNDLE_LIMITS);
  return { locustfile: path, entries: all };
}

const IMPORT = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*))/gm;

/**
 * The locustfile and the bundle's Python files it imports (by their top-level module or
 * package, transitively), joined: where thresholds look for the endpoints a run requests.
 * Other scripts lying in the same folder do not count.
 */
export function importedSourcesOf(entries: readonly BundleEntry[], locustfile: string): string {
  const text = (entry: BundleEntry): string => Buffer.from(entry.content).toString('utf8');
  const python = entries.filter((entry) => entry.path.endsWith('.py'));
  const script = python.find((entry) => entry.path === locustfile);
  if (!script) return '';
  // Python finds modules beside the locustfile (Locust puts its folder first) and at the bundle root.
  const scriptDir = locustfile.includes('/') ? `${locustfile.slice(0, locustfile.lastIndexOf('/'))}/` : '';
  const chosen = new Set<BundleEntry>([script]);
  const pending = [script];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const match of text(next).matchAll(IMPORT)) {
      const names = (match[1] ?? match[2] ?? '').split(',').map((name) => name.trim().split('.')[0]!).filter(Boolean);
      for (const name of names) {
        for (const entry of python) {
          if (chosen.has(entry)) continue;
          const hit = [scriptDir, ''].some((base) => entry.path === `${base}${name}.py` || entry.path.startsWith(`${base}${name}/`));
          if (hit) {
            chosen.add(entry);
            pending.push(entry);
          }
        }
      }
    }
  }
  return [...chosen].map(text).join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Code-point order, the same on every machine (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
