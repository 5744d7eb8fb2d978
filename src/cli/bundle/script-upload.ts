// What `loadctl run` uploads for --script: the file alone, or its bundle (collect-bundle.ts).
import type { BundleSettings } from '../../config/config.js';
import { BUNDLE_LIMITS, bundleHash, describeEntries, formatBytes, packBundle, importedSourcesOf } from '../../domain/bundle.js';
import { LoadctlError } from '../../domain/errors.js';
import { sha256Of } from '../../domain/script-source.js';
import { readScriptText } from '../commands/_script-file.js';
import { collectBundle } from './collect-bundle.js';

export interface ScriptUpload {
  cleanScript: string;
  /** What the stored revision's sha256 will be: of the script, or of the bundle's files. */
  sha256: string;
  /** The fields of the API's create / script-upload body: scriptContent, and bundle + locustfile. */
  body: { scriptContent: string; bundle?: string; locustfile?: string };
  /** Where thresholds look for the endpoints the run requests: the script, or it with the bundle's files it imports. */
  pythonSources: string;
  /** Set for a bundle: what it holds, for a line before the run. */
  bundled?: { root: string; files: number; bytes: number };
}

/** `exclude`: absolute paths loadctl writes itself (data dir, report files), never bundled. */
export function prepareScriptUpload(script: string, settings: BundleSettings, exclude: readonly string[] = []): ScriptUpload {
  const cleanScript = readScriptText(script);
  const scriptContent = Buffer.from(cleanScript, 'utf8').toString('base64');
  const collected = collectBundle(script, settings, exclude);
  if (collected.kind === 'single') return { cleanScript, sha256: sha256Of(cleanScript), body: { scriptContent }, pythonSources: cleanScript };
  const files = describeEntries(collected.entries);
  const bundle = packBundle(collected.entries);
  const archiveBytes = Buffer.byteLength(bundle, 'base64');
  if (archiveBytes > BUNDLE_LIMITS.maxArchiveBytes) {
    throw new LoadctlError(
      'LOADCTL_BUNDLE_TOO_LARGE',
      `The bundle of ${collected.root} is ${formatBytes(archiveBytes)} compressed; the control plane takes at most ${formatBytes(BUNDLE_LIMITS.maxArchiveBytes)}.\n  Fix: list big data files Locust does not need in ${collected.root}/.loadctlignore, or --bundle DIR for a smaller folder, or --no-bundle.`,
    );
  }
  return {
    cleanScript,
    sha256: bundleHash(files),
    body: { scriptContent, bundle, locustfile: collected.locustfile },
    pythonSources: importedSourcesOf(collected.entries, collected.locustfile),
    bundled: { root: collected.root, files: files.length, bytes: files.reduce((sum, file) => sum + file.sizeBytes, 0) },
  };
}
