// Deployment record changes as events: a change of mode (PAPER, LIVE_MINIMAL, EMERGENCY_STOP, ...) or of status
// (ACTIVE, PAUSED, STOPPED) becomes a `mode` or `status` event with the values before and after (before is null for
// a deployment just created). Other changes (parameters, limits, the journal run) are not events: a client
// re-reads the deployment when it needs them.
import type { Deployments } from '../deployments/index.ts';
import type { EventHub } from './event-hub.ts';

export function connectEventHub(hub: EventHub, deployments: Deployments): void {
  deployments.onChange((after, before) => {
    if (before?.mode !== after.mode) hub.publish(after.name, 'mode', { before: before?.mode ?? null, after: after.mode });
    if (before?.status !== after.status) hub.publish(after.name, 'status', { before: before?.status ?? null, after: after.status });
  });
}
