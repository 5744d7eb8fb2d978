import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../src/config/data-dir.js';

const homeDir = '/home/dev';

describe('resolveDataDir', () => {
  const everything = { LOADCTL_DATA_DIR: '/env/data', XDG_DATA_HOME: '/xdg' };

  it('prefers --data-dir over everything', () => {
    expect(resolveDataDir({ flag: '/flag/data', env: everything, homeDir })).toBe('/flag/data');
  });

  it('then LOADCTL_DATA_DIR', () => {
    expect(resolveDataDir({ env: everything, homeDir })).toBe('/env/data');
  });

  it('then $XDG_DATA_HOME/loadctl', () => {
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' }, homeDir })).toBe('/xdg/loadctl');
  });

  it('then ~/.local/share/loadctl', () => {
    expect(resolveDataDir({ env: {}, homeDir })).toBe('/home/dev/.local/share/loadctl');
  });

  it('skips empty values', () => {
    expect(resolveDataDir({ flag: '', env: { LOADCTL_DATA_DIR: '', XDG_DATA_HOME: '' }, homeDir })).toBe('/home/dev/.local/share/loadctl');
  });

  it('ignores a relative XDG_DATA_HOME, as the XDG spec requires', () => {
    expect(resolveDataDir({ env: { XDG_DATA_HOME: 'relative/share' }, homeDir })).toBe('/home/dev/.local/share/loadctl');
  });
});
