/**
 * The API key: refusing weak ones, creating one on first start, and
 * comparing in constant time.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.js';

export const MIN_KEY_LENGTH = 16;

/** Keys copied from examples and docs; a server running with one of them is open to anyone. */
const PLACEHOLDER_KEYS = new Set(
  [
    'your-super-secret-key-change-this',
    'your-secret-key',
    'your-api-key',
    'your_api_key',
    'change-me',
    'changeme',
    'change-this',
    'secret',
    'password',
    'api-key',
    'apikey',
    'test',
    'example',
    'default',
  ].map((k) => k.toLowerCase()),
);

/** Throws ConfigError when `key` is a known placeholder or too short. */
export function assertStrongKey(key: string, source = 'API_KEY'): void {
  if (PLACEHOLDER_KEYS.has(key.toLowerCase()) || /change[-_ ]?(this|me)/i.test(key)) {
    throw new ConfigError(source, 'is a well-known placeholder; generate a real key, e.g. `openssl rand -hex 32`');
  }
  if (key.length < MIN_KEY_LENGTH) {
    throw new ConfigError(
      source,
      `must be at least ${MIN_KEY_LENGTH} characters (got ${key.length}); try \`openssl rand -hex 32\``,
    );
  }
}

export interface ResolvedKey {
  key: string;
  /** Set when this call created the key file, so the caller can show the key once. */
  createdAt?: string;
}

/**
 * Returns the configured key, or the one stored in `<dataDir>/api-key`,
 * creating that file (mode 0600) with a fresh 256-bit key when it is missing.
 */
export function resolveApiKey(configured: string | undefined, dataDir: string): ResolvedKey {
  if (configured !== undefined) {
    assertStrongKey(configured);
    return { key: configured };
  }
  const file = join(dataDir, 'api-key');
  if (existsSync(file)) {
    const key = readKeyFile(file);
    assertStrongKey(key, file);
    return { key };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, createdAt: file };
}

/** The key file's text, or a ConfigError naming the file and why it cannot be read. */
function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(
      'API_KEY',
      `is not set and ${file} cannot be read (${code}); make it a file this user can read, or set API_KEY`,
    );
  }
}

/**
 * A check of presented keys against `expected` that takes the same time
 * wherever they differ: both sides are SHA-256 digests of equal length,
 * compared with timingSafeEqual. The expected digest is computed once, as
 * the check runs on every report.
 */
export function keyChecker(expected: string): (presented: string) => boolean {
  const wanted = hash('sha256', expected, 'buffer');
  return (presented) => timingSafeEqual(hash('sha256', presented, 'buffer'), wanted);
}

/** Extracts the key from `Bearer <key>` or a bare `<key>`, as the original accepted both. */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  return (bearer ? bearer[1]! : value).trim() || undefined;
}
