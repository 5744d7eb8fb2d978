// `bundle:` of loadctl.yaml with --bundle DIR / --no-bundle: what `loadctl run` uploads
// beside the locustfile (src/cli/bundle/collect-bundle.ts).
import { isAbsolute, resolve } from 'node:path';
import { BUNDLE_LIMITS, DEFAULT_BUNDLE_MAX_BYTES, DEFAULT_BUNDLE_MAX_FILES } from '../domain/bundle.js';
import { LoadctlError } from '../domain/errors.js';
import type { BundleSettings } from './config.js';
import { validateBoolean, validateKnownKeys, validatePositiveInteger, validatePositiveNumber, validateString } from './validate.js';

export const BUNDLE_KEYS = ['enabled', 'dir', 'maxFiles', 'maxSizeMiB'] as const;
const MIB = 1024 * 1024;

/** `flag`: the folder of --bundle DIR, false from --no-bundle, undefined when neither was given. */
export function readBundleSettings(flag: string | false | undefined, inFile: unknown, file: string | undefined, fileDir: string, cwd: string): BundleSettings {
  const where = `${file ?? 'config'}: bundle`;
  if (inFile !== undefined && (typeof inFile !== 'object' || inFile === null || Array.isArray(inFile))) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${where} must be a mapping with ${BUNDLE_KEYS.join(', ')}`);
  }
  const yaml = (inFile ?? {}) as Record<string, unknown>;
  validateKnownKeys(yaml, BUNDLE_KEYS, `${where}.`);
  const maxFiles = yaml.maxFiles === undefined ? DEFAULT_BUNDLE_MAX_FILES : validatePositiveInteger(yaml.maxFiles, `${where}.maxFiles`, BUNDLE_LIMITS.maxFiles);
  const maxBytes = yaml.maxSizeMiB === undefined ? DEFAULT_BUNDLE_MAX_BYTES : Math.floor(validatePositiveNumber(yaml.maxSizeMiB, `${where}.maxSizeMiB`, BUNDLE_LIMITS.maxBytes / MIB) * MIB);
  const limits = { maxFiles, maxBytes };
  if (flag === false) return { mode: 'off', ...limits };
  if (typeof flag === 'string') return { mode: 'dir', dir: absolute(cwd, flag), ...limits };
  if (yaml.enabled !== undefined && !validateBoolean(yaml.enabled, `${where}.enabled`)) return { mode: 'off', ...limits };
  if (yaml.dir !== undefined) return { mode: 'dir', dir: absolute(fileDir, validateString(yaml.dir, `${where}.dir`)), ...limits };
  return { mode: 'auto', ...limits };
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
