// Live events of the deployments, numbered for replay: the hub, one client's follower, and the wiring of
// deployment changes into the hub (the server feeds session events through SessionHost's onSessionEvent).
export { DEFAULT_EVENT_CAPACITY, EventHub, type DeploymentEvent, type DeploymentEventType, type EventGap, type EventHubOptions, type EventListener, type ReplayAnswer } from './event-hub.ts';
export { EventFollower, followEvents, type EventMessage, type EventSink, type FollowOptions, type FollowRequest } from './follow.ts';
export { connectEventHub } from './connect.ts';
