/** History settings in the server config. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('history config', () => {
  it('defaults to history on with the four default tiers', () => {
    const config = loadConfig({});
    expect(config.historyEnabled).toBe(true);
    expect(config.historyTiers.map((t) => t.name)).toEqual(['raw', '1m', '15m', '1h']);
  });

  it('reads HISTORY_ENABLED and HISTORY_TIERS', () => {
    const config = loadConfig({ HISTORY_ENABLED: 'false', HISTORY_TIERS: 'raw:12h,5m:30d' });
    expect(config.historyEnabled).toBe(false);
    expect(config.historyTiers).toEqual([
      { name: 'raw', width: 0, retention: 43_200 },
      { name: '5m', width: 300, retention: 2_592_000 },
    ]);
  });

  it('refuses unusable tiers with a message naming the variable', () => {
    expect(() => loadConfig({ HISTORY_TIERS: 'raw:24h,7m:7d' })).toThrow(ConfigError);
    expect(() => loadConfig({ HISTORY_TIERS: 'raw:24h,7m:7d' })).toThrow(/HISTORY_TIERS: .*divide a day/);
    expect(() => loadConfig({ HISTORY_ENABLED: 'maybe' })).toThrow(/HISTORY_ENABLED/);
  });
});
