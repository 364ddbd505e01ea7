// Deployments: strategies running as a service (the server's routes and session host).
export {
  DEFAULT_DEPLOYMENT_CAPITAL,
  DeploymentNotFoundError,
  Deployments,
  DeploymentStateError,
  DeploymentStatus,
  EMERGENCY_STOP,
  ForbiddenError,
  KILL_ALL_CONFIRM,
  type DeploymentListener,
  type EmergencyListener,
  type EmergencyStopOptions,
} from './deployments.ts';
export {
  confirmSchema,
  createDeploymentSchema,
  DEPLOYMENT_NAME,
  editDeploymentSchema,
  emergencyStopSchema,
  killAllSchema,
  type CreateDeploymentRequest,
  type EditDeploymentRequest,
  type EmergencyStopRequest,
  type KillAllRequest,
} from './requests.ts';
export { breakerOf, journalOf, type JournalTails, openOrdersOf, pnlOf, positionsOf, RISK_WINDOW_BARS, riskOf } from './views.ts';
export { venueEnv } from './venue-env.ts';
export { SessionHost, type HostedSessionState, type SessionHostOptions } from './session-host.ts';
