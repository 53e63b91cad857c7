/** Starts the services the whole suite shares (a PostgreSQL server) once per run. */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './helpers/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a PostgreSQL server whose role may create databases, or an explanation of why there is none. */
    postgres: { url: string } | { error: string };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const pg = await startPostgres();
  if ('error' in pg) {
    project.provide('postgres', pg);
    return () => {};
  }
  project.provide('postgres', { url: pg.url });
  return pg.stop;
}
