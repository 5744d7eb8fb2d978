import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository's top-level `locust/` folder (plugin, examples, requirements), from src/ or dist/. */
export const LOCUST_ASSETS_DIR = fileURLToPath(new URL('../../locust/', import.meta.url));
export const REQUIREMENTS_FILE = join(LOCUST_ASSETS_DIR, 'requirements.txt');
export const EXAMPLES_DIR = join(LOCUST_ASSETS_DIR, 'examples');

export function venvDirOf(dataDir: string): string {
  return join(dataDir, 'venv');
}

export function venvBin(venvDir: string, name: string): string {
  return join(venvDir, process.platform === 'win32' ? 'Scripts' : 'bin', name);
}
