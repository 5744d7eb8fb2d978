// What a spawned Locust runs: the revision's files, written into the run's private folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { unpackBundle } from '../domain/bundle.js';
import type { ScriptRevision } from '../domain/types.js';

export interface WrittenRevision {
  /** The script Locust is given (-f), the plugin import injected. */
  scriptPath: string;
  /** A bundle's unpacked folder: Locust's working directory and on its PYTHONPATH. Absent for a single file. */
  projectDir?: string;
}

/** What writeRevisionFiles needs of a revision: a stored one, or one fetched from the API (`loadctl worker`). */
export type RevisionFiles = Pick<ScriptRevision, 'id' | 'injectedScript' | 'bundle' | 'locustfile'>;

/**
 * Where Locust runs a written revision and what goes on its PYTHONPATH: a bundle's folder
 * first (its imports and relative data paths work as when run by hand), then the folders of
 * the run's requirements. The master, local workers and `loadctl worker` all start this way.
 */
export function locustPlacement(written: WrittenRevision, workDir: string, requirementsPath: readonly string[]): { workDir: string; pythonPath: string[] } {
  return {
    workDir: written.projectDir ?? workDir,
    pythonPath: [...(written.projectDir ? [written.projectDir] : []), ...requirementsPath],
  };
}

/**
 * A single file goes to locustfile.py as before bundles; a bundle is unpacked into project/
 * (paths checked again: the store is not trusted to hold only what the API checked), its
 * locustfile replaced by the injected one.
 */
export async function writeRevisionFiles(workDir: string, revision: RevisionFiles): Promise<WrittenRevision> {
  if (revision.bundle === undefined || revision.locustfile === undefined) {
    const scriptPath = join(workDir, 'locustfile.py');
    await writeFile(scriptPath, revision.injectedScript, { mode: 0o600 });
    return { scriptPath };
  }
  const projectDir = join(workDir, 'project');
  const inside = (path: string): string => {
    const target = resolve(projectDir, path);
    if (!target.startsWith(projectDir + sep)) throw new Error(`revision ${revision.id} holds a path outside its folder: ${path}`);
    return target;
  };
  await mkdir(projectDir, { mode: 0o700 });
  for (const entry of unpackBundle(revision.bundle)) {
    const target = inside(entry.path);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    // 'wx': never through something already there (a second entry of the same path, a link).
    await writeFile(target, entry.content, { mode: 0o600, flag: 'wx' });
  }
  const scriptPath = inside(revision.locustfile);
  await writeFile(scriptPath, revision.injectedScript, { mode: 0o600 });
  return { scriptPath, projectDir };
}
