import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadctlConfig } from '../config/config.js';
import { LoadctlError } from '../domain/errors.js';

export const LAUNCH_SECRET_FILE = 'launch-secret';

/**
 * The key launch tokens are derived with: security.launchSecret when configured (control planes
 * that share a MongoDB and adopt each other's runs need the same one), else a random one kept in
 * the data folder, readable by its owner only, created on first use.
 */
export function loadLaunchSecret(config: Pick<LoadctlConfig, 'dataDir' | 'security'>): string {
  if (config.security.launchSecret) return config.security.launchSecret;
  const file = join(config.dataDir, LAUNCH_SECRET_FILE);
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    try {
      // 'wx': two loadctl starting at once on a fresh folder keep the one written first.
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A copy or an old umask may have widened it: the secret is only for its owner.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error('it holds fewer than 32 characters; delete it and loadctl writes a new one');
    return secret;
  } catch (error) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `Cannot read or create the launch secret ${file}: ${(error as Error).message}`, { cause: error });
  }
}
