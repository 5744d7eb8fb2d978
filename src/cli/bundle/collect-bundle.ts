// `loadctl run` uploads the locustfile with the files beside it that it needs (its folder,
// or --bundle DIR), minus what .gitignore / .loadctlignore and the always-ignored folders
// leave out. Over the limits it refuses before anything starts, saying what to leave out.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { BundleSettings } from '../../config/config.js';
import { LoadctlError } from '../../domain/errors.js';
import { formatBytes, type BundleEntry } from '../../domain/bundle.js';
import { isIgnored, parseIgnoreRules, type IgnoreRuleSet } from '../../domain/ignore-rules.js';

/** Never bundled, whatever the ignore files say: version control, caches, virtualenvs, Node modules. */
const ALWAYS_IGNORED_DIRS = new Set(['.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', 'node_modules', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.tox']);
const ALWAYS_IGNORED_FILE = /(\.py[co]|^\.DS_Store)$/;
const IGNORE_FILES = ['.gitignore', '.loadctlignore'];
/** Past this many files over the limit the walk stops: a home folder is not read whole to say it is too big. */
const COUNT_PAST_LIMIT = 1000;


export type CollectedScript =
  | { kind: 'single' }
  | { kind: 'bundle'; root: string; locustfile: string; entries: BundleEntry[] };

/**
 * The script alone when nothing else is beside it (its revision stays as before bundles), else
 * the bundle. `exclude`: absolute paths loadctl itself writes (the data dir, this run's report
 * files), left out so that a run does not bundle what the previous one wrote.
 */
export function collectBundle(script: string, settings: BundleSettings, exclude: readonly string[] = []): CollectedScript {
  if (settings.mode === 'off') return { kind: 'single' };
  const root = resolve(settings.mode === 'dir' && settings.dir ? settings.dir : dirname(script));
  const locustfile = relative(root, resolve(script)).split(sep).join('/');
  if (locustfile.startsWith('../') || locustfile === '..' || resolve(root, locustfile) !== resolve(script)) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `The script ${script} is not inside the bundle folder ${root}. Give --bundle a folder that holds the script, or leave --bundle out.`);
  }
  const found = walk(root, locustfile, settings, exclude.map((path) => resolve(path)));
  if (found.files.length <= 1) return { kind: 'single' };
  refuseOverLimits(root, found, settings);
  const entries = found.files.flatMap((file) => {
    const content = readOrNull(file.absolute);
    return content ? [{ path: file.path, content }] : [];
  });
  return { kind: 'bundle', root, locustfile, entries };
}

interface FoundFile {
  path: string;
  absolute: string;
  sizeBytes: number;
}

function walk(root: string, locustfile: string, settings: BundleSettings, exclude: readonly string[]): { files: FoundFile[]; complete: boolean } {
  const realRoot = realpathSync(root);
  const files: FoundFile[] = [];
  const stopAt = settings.maxFiles + COUNT_PAST_LIMIT;
  const visit = (dir: string, ruleSets: IgnoreRuleSet[]): boolean => {
    const absoluteDir = dir === '' ? root : resolve(root, dir);
    const here = [...ruleSets, ...readIgnoreFiles(absoluteDir, dir)];
    for (const name of readdirSync(absoluteDir).sort()) {
      const path = dir === '' ? name : `${dir}/${name}`;
      const absolute = resolve(absoluteDir, name);
      const link = lstatOrNull(absolute);
      const stats = link?.isSymbolicLink() ? statOrNull(absolute) : link;
      if (!link || !stats) continue; // gone since listed, or a dangling link: nothing to bundle
      const isDir = stats.isDirectory();
      if (path !== locustfile) {
        if (isDir ? ALWAYS_IGNORED_DIRS.has(name) : ALWAYS_IGNORED_FILE.test(name)) continue;
        if (exclude.includes(absolute)) continue;
        if (isIgnored(path, isDir, here)) continue;
      }
      if (link.isSymbolicLink()) refuseOutsideLink(realRoot, absolute, path, isDir);
      if (isDir) {
        if (!visit(path, here)) return false;
      } else if (stats.isFile()) {
        files.push({ path, absolute, sizeBytes: stats.size });
        if (files.length >= stopAt) return false;
      }
    }
    return true;
  };
  const complete = visit('', []);
  return { files, complete };
}

function readIgnoreFiles(absoluteDir: string, base: string): IgnoreRuleSet[] {
  const sets: IgnoreRuleSet[] = [];
  for (const name of IGNORE_FILES) {
    let text: string;
    try {
      text = readFileSync(resolve(absoluteDir, name), 'utf8');
    } catch {
      continue;
    }
    sets.push({ base, rules: parseIgnoreRules(text) });
  }
  return sets;
}

/** A file removed since it was listed (a log rotated, a database's journal) is not bundled. */
function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A link to a file inside the project is bundled as that file; a link out of it, or to a folder, is refused. */
function refuseOutsideLink(realRoot: string, absolute: string, path: string, isDir: boolean): void {
  const target = realpathSync(absolute);
  const inside = target === realRoot || target.startsWith(realRoot + sep);
  if (inside && !isDir) return;
  const what = isDir ? 'a folder' : `${target}, outside the bundle folder`;
  throw new LoadctlError(
    'LOADCTL_BUNDLE_INVALID',
    `${path} is a symbolic link to ${what}; a bundle holds only the project's own files.\n  Fix: add ${path} to .loadctlignore, or copy what it points to into the project.`,
  );
}

function refuseOverLimits(root: string, found: { files: FoundFile[]; complete: boolean }, settings: BundleSettings): void {
  const total = found.files.reduce((sum, file) => sum + file.sizeBytes, 0);
  const tooMany = found.files.length > settings.maxFiles;
  if (!tooMany && total <= settings.maxBytes) return;
  const count = found.complete ? `${found.files.length} files` : `more than ${found.files.length} files (stopped counting)`;
  const biggest = [...found.files]
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, 5)
    .map((file) => `${file.path} (${formatBytes(file.sizeBytes)})`);
  const byFolder = new Map<string, number>();
  for (const file of found.files) {
    const top = file.path.includes('/') ? `${file.path.slice(0, file.path.indexOf('/'))}/` : './';
    byFolder.set(top, (byFolder.get(top) ?? 0) + 1);
  }
  const crowded = [...byFolder].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([folder, files]) => `${folder} (${files} files)`);
  throw new LoadctlError(
    'LOADCTL_BUNDLE_TOO_LARGE',
    [
      `The script's project folder ${root} would bundle ${count}, ${formatBytes(total)} in all; the limit is ${settings.maxFiles} files and ${formatBytes(settings.maxBytes)} (bundle.maxFiles, bundle.maxSizeMiB in loadctl.yaml).`,
      `  Biggest files: ${biggest.join(', ')}`,
      `  Most files in: ${crowded.join(', ')}`,
      `  Fix: list what Locust does not need in ${resolve(root, '.loadctlignore')} (same syntax as .gitignore),`,
      '   or: --bundle DIR   (a smaller folder holding the script and what it imports or reads)',
      '   or: --no-bundle    (upload the script alone, as a single file)',
    ].join('\n'),
    { details: { files: found.files.length, bytes: total } },
  );
}
