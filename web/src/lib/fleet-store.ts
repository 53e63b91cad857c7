/**
 * The fleet as the dashboard knows it: a snapshot from /api/status, kept
 * current by the Server-Sent Events of /api/events. After any reconnect it
 * refetches /api/status (the stream keeps no backlog). When the server cannot
 * be reached it says so and keeps the last real data, marked as old; it never
 * invents any.
 */
import { useEffect, useState } from 'preact/hooks';
import { parseLiveEvent } from '../../../src/contract/live-frame.js';
import { api, ApiError, type HostStatus } from './api.js';
import { addToSummary, summarize, type Summary } from './fleet-query.js';
import { dataArrived, updateStarted } from './perf.js';
import { mergeSnapshot, newer } from './snapshot-merge.js';
import type { HostDelta } from './selection.js';

/** The state of the link to the server. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'unreachable';

/** What the views render from. */
export interface FleetState {
  /** Hosts by alias, in the server's order. A new Map on every change. */
  hosts: Map<string, HostStatus>;
  /** True once /api/status answered at least once. */
  loaded: boolean;
  connection: Connection;
  /** When the server last answered (ms), for the "last data from" notice. */
  lastContact: number | null;
  /** Why the last request failed, in words; null when the server gave no answer at all (or nothing failed). */
  error: string | null;
  /** The summary line's numbers, kept current host by host. */
  summary: Summary;
  /** When `hosts` differs from the previous map by one host: which (lets the overview patch its list). */
  delta: HostDelta | null;
}

let state: FleetState = {
  hosts: new Map(),
  loaded: false,
  connection: 'connecting',
  lastContact: null,
  error: null,
  summary: summarize([]),
  delta: null,
};
const listeners = new Set<(s: FleetState) => void>();
let source: EventSource | undefined;
let attempt = 0;
let started = false;

function set(patch: Partial<FleetState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l(state);
}

/**
 * Hosts an event changed while a snapshot was on its way, by the number of
 * the event; kept only while a refresh is in flight (snapshot-merge.ts).
 */
const changedAt = new Map<string, number>();
let eventCount = 0;
let refreshing = 0;

function noteEvent(alias: string): void {
  eventCount++;
  if (refreshing > 0) changedAt.set(alias, eventCount);
}

async function refresh(): Promise<void> {
  const since = eventCount;
  refreshing++;
  try {
    const { results } = await api.status();
    dataArrived();
    const { hosts, changed } = mergeSnapshot(state.hosts, results, (alias) => (changedAt.get(alias) ?? 0) > since);
    // An unchanged fleet keeps its map, so a catch-up refetch re-renders nothing.
    if (!changed && state.loaded) set({ lastContact: Date.now(), error: null });
    else
      set({
        hosts,
        loaded: true,
        lastContact: Date.now(),
        error: null,
        summary: summarize(hosts.values()),
        delta: null,
      });
  } catch (error) {
    // "No answer" needs no words of its own: the banner says the server cannot be reached.
    const noAnswer = error instanceof ApiError && error.status === 0;
    set({ connection: 'unreachable', error: noAnswer ? null : (error as Error).message });
  } finally {
    if (--refreshing === 0) changedAt.clear();
  }
}

/** Replaces (or adds, or with `host` undefined removes) one host, keeping the summary current. */
function change(alias: string, host: HostStatus | undefined): void {
  const base = state.hosts;
  const old = base.get(alias);
  if (old === host) return;
  const hosts = new Map(base);
  const summary = { ...state.summary };
  if (old) addToSummary(summary, old, -1);
  if (host) {
    hosts.set(alias, host);
    addToSummary(summary, host, 1);
  } else {
    hosts.delete(alias);
  }
  set({ hosts, summary, delta: { base, alias }, lastContact: Date.now() });
}

function upsert(host: HostStatus): void {
  noteEvent(host.server_alias);
  updateStarted();
  change(host.server_alias, newer(state.hosts.get(host.server_alias), host));
}

function markDown(alias: string, receivedAt: string): void {
  const host = state.hosts.get(alias);
  if (!host || host.received_at !== receivedAt) return; // a newer report already superseded it
  noteEvent(alias);
  updateStarted();
  change(alias, { ...host, status: 'down' });
}

function remove(alias: string): void {
  noteEvent(alias);
  if (!state.hosts.has(alias)) return;
  updateStarted();
  change(alias, undefined);
}

/** The first snapshot, fetched while the event stream is still opening. */
let initial: Promise<void> | undefined;

function connect(): void {
  source = new EventSource('/api/events');
  source.onopen = () => {
    attempt = 0;
    set({ connection: 'live', error: null });
    // The stream keeps no backlog: a snapshot taken before it opened may miss a
    // change, so fetch once more now that it is open (after the first one, so
    // the two never compete with the first render).
    void (initial ?? Promise.resolve()).then(refresh);
  };
  const onHost = (e: MessageEvent<string>) => {
    const host = parseLiveEvent('report', e.data);
    if (host) upsert(host);
  };
  source.addEventListener('report', onHost);
  source.addEventListener('up', onHost);
  source.addEventListener('down', (e: MessageEvent<string>) => {
    const down = parseLiveEvent('down', e.data);
    if (down) markDown(down.server_alias, down.received_at);
  });
  source.addEventListener('deleted', (e: MessageEvent<string>) => {
    const deleted = parseLiveEvent('deleted', e.data);
    if (deleted) remove(deleted.server_alias);
  });
  source.onerror = () => {
    // Reconnect ourselves with backoff: EventSource gives up for good on some errors (e.g. a 502).
    source?.close();
    source = undefined;
    set({ connection: 'reconnecting' });
    void refresh(); // tells "stream dropped" apart from "server gone"
    const delay = Math.min(1000 * 2 ** attempt++, 15_000);
    setTimeout(connect, delay);
  };
}

/** Starts loading and listening (idempotent). */
export function startFleet(): void {
  if (started) return;
  started = true;
  // The snapshot does not wait for the stream to open: that would add a round
  // trip (and the server's start of its live hub) before the first render.
  initial = refresh();
  connect();
}

/** The current fleet state; the caller re-renders on every change. */
export function useFleet(): FleetState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => void listeners.delete(setCurrent);
  }, []);
  return current;
}
