import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertStrongKey, keyChecker, keyFromAuthorization, resolveApiKey } from '../../src/server/api-key.js';
import { requireApiKey } from '../../src/server/auth.js';
import { tempDir } from '../helpers/temp-dir.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('API key', () => {
  it("refuses the original README's placeholder and other well-known ones", () => {
    for (const key of ['your-super-secret-key-change-this', 'changeme', 'CHANGE-ME-PLEASE-NOW-123']) {
      expect(() => assertStrongKey(key)).toThrow(/API_KEY: is a well-known placeholder/);
    }
  });

  it('refuses a key shorter than 16 characters', () => {
    expect(() => assertStrongKey('short-key-123')).toThrow(/at least 16 characters \(got 13\)/);
    expect(() => assertStrongKey('a-long-enough-key')).not.toThrow();
  });

  it('generates a strong key once, stores it with mode 0600 and reuses it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = resolveApiKey(undefined, dir.path);
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    expect(first.createdAt).toBe(join(dir.path, 'api-key'));
    expect(statSync(first.createdAt!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.createdAt!, 'utf8').trim()).toBe(first.key);
    const second = resolveApiKey(undefined, dir.path);
    expect(second).toEqual({ key: first.key });
  });

  it('prefers the configured key and does not write a file', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(resolveApiKey('configured-key-abcdef', dir.path)).toEqual({ key: 'configured-key-abcdef' });
  });

  it('reads Bearer and bare keys', () => {
    expect(keyFromAuthorization('Bearer abc')).toBe('abc');
    expect(keyFromAuthorization('bearer   abc ')).toBe('abc');
    expect(keyFromAuthorization('abc')).toBe('abc');
    expect(keyFromAuthorization('')).toBeUndefined();
    expect(keyFromAuthorization(undefined)).toBeUndefined();
  });

  it('compares keys exactly, whatever their lengths', () => {
    const matches = keyChecker('same-key');
    expect(matches('same-key')).toBe(true);
    expect(matches('same-kez')).toBe(false);
    expect(matches('same')).toBe(false);
    expect(matches('same-key-and-more')).toBe(false);
    expect(matches('')).toBe(false);
  });

  it('accepts the key in every documented header form, and refuses near misses, every time', () => {
    const hook = requireApiKey('the-right-key-0123456789');
    const verdict = (authorization?: string): 'ok' | 'refused' => {
      let result: 'ok' | 'refused' | undefined;
      hook({ headers: { authorization } } as FastifyRequest, {} as FastifyReply, (error) => {
        result = error ? 'refused' : 'ok';
      });
      return result!;
    };
    for (let round = 0; round < 2; round++) {
      expect(verdict('Bearer the-right-key-0123456789')).toBe('ok');
      expect(verdict('the-right-key-0123456789')).toBe('ok');
      expect(verdict('Bearer the-right-key-012345678')).toBe('refused');
      expect(verdict('Bearer the-right-key-0123456789x')).toBe('refused');
      expect(verdict(undefined)).toBe('refused');
    }
    for (let spaces = 1; spaces <= 20; spaces++)
      expect(verdict(`Bearer${' '.repeat(spaces)}the-right-key-0123456789`)).toBe('ok');
    expect(verdict('Bearer wrong-key-0123456789ab')).toBe('refused');
  });
});
