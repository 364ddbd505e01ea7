// Deployments: strategies running as a service (the server's routes and session host).
export { DEFAULT_DEPLOYMENT_CAPITAL, DeploymentNotFoundError, Deployments, DeploymentStateError, DeploymentStatus, ForbiddenError, type DeploymentListener } from './deployments.ts';
export { confirmSchema, createDeploymentSchema, DEPLOYMENT_NAME, editDeploymentSchema, type CreateDeploymentRequest, type EditDeploymentRequest } from './requests.ts';
export { breakerOf, journalOf, openOrdersOf, pnlOf, positionsOf, riskOf } from './views.ts';
export { SessionHost, type HostedSessionState, type SessionHostOptions } from './session-host.ts';
