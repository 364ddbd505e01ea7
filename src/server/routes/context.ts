// What the routes work with: the store and its journal, the deployments, the token checker.
import type { Journal } from '../../audit/index.ts';
import type { Deployments, SessionHost } from '../../app/deployments/index.ts';
import type { EventHub } from '../../app/events/index.ts';
import type { TokenVerifier } from '../../app/tokens/index.ts';
import type { Clock, Store } from '../../common/index.ts';
import type { EdgeSettings } from '../edge/index.ts';

export interface ServerContext {
  readonly store: Store;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly verifier: TokenVerifier;
  readonly deployments: Deployments;
  /** Runs the deployments' sessions; absent: deployments are kept, not run (tests of the API alone). */
  readonly sessions?: SessionHost;
  /** The live events pushed over GET /api/v1/events; absent: no such route. */
  readonly events?: EventHub;
  /** Rate limits, TLS, browser session lifetimes (docs/security.md); absent: the defaults, plain HTTP. */
  readonly edge?: EdgeSettings;
  /** The traider version, for the OpenAPI document and health. */
  readonly version: string;
  /** Where the server's own lines go (stderr). */
  readonly log: (line: string) => void;
}
