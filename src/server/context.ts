import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Store } from '../store/store.js';
import type { FleetEvents } from './fleet-events.js';
import type { FleetMonitor } from './fleet-monitor.js';
import type { FleetView } from './fleet-view.js';
import type { HostExpiry } from './host-expiry.js';

/** The Fastify instance with TypeBox types flowing from route schemas into handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Services every route may use; built once per process in buildApp. */
export interface AppContext {
  store: Store;
  /** The read model of the dashboard routes, kept current by `monitor`. */
  fleet: FleetView;
  /** Where routes publish what they stored; only the monitor listens. */
  events: FleetEvents;
  /** The one source of host changes (report, up, down, deleted): subscribe here. */
  monitor: FleetMonitor;
  /** Milliseconds since epoch; replaceable in tests. */
  now: () => number;
  /** Removes hosts silent for longer than HOST_EXPIRE_DAYS; undefined when that is off. */
  hostExpiry: HostExpiry | undefined;
}
