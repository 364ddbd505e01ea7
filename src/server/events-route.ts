// GET /api/v1/events: the live events of the deployments over a WebSocket (viewer). The upgrade request passes the
// same authentication hook as every route (401/403 before anything else); a bad query is refused with 400 before
// the upgrade. Each message is one JSON object: a hello with the latest seq, a gap when the client asked for events
// no longer kept, the replay after `after`, then every new event. A client that does not read fast enough is
// closed with 1013 (it reconnects with the last seq it saw). The protocol: docs/events.md.
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemsOf } from '../app/config/index.ts';
import { DEPLOYMENT_NAME } from '../app/deployments/index.ts';
import { type EventFollower, type EventHub, type EventMessage, followEvents } from '../app/events/index.ts';
import { badRequest } from './errors.ts';
import { route, type RouteSpec } from './route.ts';

export const EVENTS_PATH = '/api/v1/events';
/** Unsent bytes a client may have queued before it is closed as too slow (live events are never dropped silently). */
export const MAX_CLIENT_BUFFER_BYTES = 4 * 1024 * 1024;
/** WebSocket close code "try again later" (RFC 6455 registry): the client reconnects with `after`. */
export const CLOSE_TOO_SLOW = 1013;

const seq = z.string().regex(/^\d{1,15}$/, 'must be a non-negative integer: the seq of the last event the client saw').transform(Number);
const names = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')))
  .pipe(z.array(z.string().regex(DEPLOYMENT_NAME, 'must be deployment names (1-63 lowercase letters, digits or "-", starting with a letter or digit), repeated or comma-separated')));

export const eventsQuerySchema = z.strictObject({
  after: seq.optional().describe('the seq of the last event the client saw: the kept events after it are replayed first'),
  deployment: names.optional().describe("only these deployments' events (repeat the parameter or separate names with commas)"),
  epoch: z.string().regex(/^[0-9a-f]{1,32}$/, "must be the epoch of the server's hello (hex)").optional().describe("the epoch of the hello that numbered `after`: another one (a restarted server) replays everything kept, after a gap saying so"),
});
type EventsQuery = z.output<typeof eventsQuerySchema>;

/** What this route uses of a `ws` WebSocket. */
interface EventSocket {
  readonly bufferedAmount: number;
  send(data: string, written?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  on(event: 'close', listener: () => void): void;
}

/** WebSocket close code "internal error": an event that cannot be sent as JSON (a bug; the client is not left waiting). */
const CLOSE_INTERNAL_ERROR = 1011;

function follow(hub: EventHub, socket: EventSocket, query: EventsQuery): void {
  let follower: EventFollower | undefined;
  let closed = false;
  // The seq a client closed now reconnects with: the last event it will have read (the close frame follows them).
  let lastSent = query.after ?? hub.latestSeq;
  const closeWith = (code: number, reason: string): void => {
    if (closed) return;
    closed = true;
    follower?.close();
    socket.close(code, reason.slice(0, 123)); // a close reason is at most 123 bytes
  };
  const tooSlow = (why: string): void => closeWith(CLOSE_TOO_SLOW, `too slow (${why}): reconnect with after=${lastSent}`);
  follower = followEvents(hub, { after: query.after, epoch: query.epoch, deployments: query.deployment }, {
    send(message: EventMessage, written?: () => void) {
      if (closed) return written?.();
      let text: string;
      try {
        text = JSON.stringify(message);
      } catch (error) {
        closeWith(CLOSE_INTERNAL_ERROR, `cannot send event ${'seq' in message ? message.seq : ''}: ${(error as Error).message}`);
        return written?.();
      }
      socket.send(text, written === undefined ? undefined : () => written());
      if ('deployment' in message) lastSent = message.seq;
      if (socket.bufferedAmount > MAX_CLIENT_BUFFER_BYTES) tooSlow('more than 4 MiB unsent');
    },
    tooSlow,
  });
  if (closed) follower.close();
  socket.on('close', () => {
    closed = true;
    follower.close();
  });
}

/** Registers the WebSocket plugin and the events route (after the authentication hook). */
export function registerEventsRoute(app: FastifyInstance, hub: EventHub): void {
  // Clients only listen: a message from one is ignored, and a large one is refused by ws itself.
  void app.register(websocket, { options: { maxPayload: 4096 } });
  // An upgrade request answered over HTTP (401 from the authentication hook, 400, 404) leaves a socket no HTTP
  // parser reads any more; the plugin closes it only for the requests it saw. Close every such socket, or each
  // refused attempt would hold one open.
  app.addHook('onResponse', async (request) => {
    if (request.raw.headers.upgrade !== undefined) request.raw.socket.destroy();
  });
  void app.register(async (scope) => {
    scope.route({
      method: 'GET',
      url: EVENTS_PATH,
      config: { role: 'viewer' },
      // Before the upgrade: a bad query is answered with 400 and every problem, like every route.
      preValidation: async (request: FastifyRequest, reply: FastifyReply) => {
        const result = eventsQuerySchema.safeParse(request.query ?? {}, { reportInput: true });
        if (!result.success) return badRequest(reply, problemsOf(result.error.issues, 'query'));
      },
      handler: async (_request, reply) =>
        reply.code(426).header('upgrade', 'websocket').send({ error: `${EVENTS_PATH} is a WebSocket: send an upgrade request (Connection: Upgrade, Upgrade: websocket)` }),
      wsHandler: (socket: EventSocket, request: FastifyRequest) => follow(hub, socket, eventsQuerySchema.parse(request.query ?? {})),
    });
  });
}

/**
 * The route as the OpenAPI document describes it (x-role viewer, its query). It is registered by
 * registerEventsRoute, not as a RouteSpec: this entry is for the document only, and its handler answers what a
 * request without an upgrade gets.
 */
export const eventsRouteDocument: RouteSpec = route({
  method: 'GET',
  path: EVENTS_PATH,
  role: 'viewer',
  tag: 'events',
  summary: 'WebSocket (upgrade request): live events of the deployments with a seq; `after` replays what a client missed (docs/events.md)',
  responds: 'Switching Protocols: one JSON message per event (426 without an upgrade)',
  query: eventsQuerySchema,
  handler: () => ({ status: 426, body: { error: `${EVENTS_PATH} is a WebSocket: send an upgrade request` } }),
});
