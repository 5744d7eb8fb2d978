import { isAbsolute, join } from 'node:path';

export interface DataDirSources {
  flag?: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

/** --data-dir, then LOADCTL_DATA_DIR, then $XDG_DATA_HOME/loadctl, then ~/.local/share/loadctl. */
export function resolveDataDir({ flag, env, homeDir }: DataDirSources): string {
  if (flag) return flag;
  if (env.LOADCTL_DATA_DIR) return env.LOADCTL_DATA_DIR;
  // The XDG Base Directory spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(homeDir, '.local', 'share');
  return join(xdg, 'loadctl');
}
