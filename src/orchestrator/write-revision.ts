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

/**
 * A single file goes to locustfile.py as before bundles; a bundle is unpacked into project/
 * (paths checked again: the store is not trusted to hold only what the API checked), its
 * locustfile replaced by the injected one.
 */
export async function writeRevisionFiles(workDir: string, revision: ScriptRevision): Promise<WrittenRevision> {
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
