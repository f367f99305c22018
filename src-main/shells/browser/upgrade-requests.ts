/**
 * WebSocket upgrades: only `/ws`, only for pages AccessPolicy admits. Once Node's http server
 * emits 'upgrade' it no longer watches the socket, so this handler owns the socket's errors
 * until ws takes it over: a client that resets the connection after a refusal would otherwise
 * raise an unhandled 'error' and end the process.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { AccessPolicy } from './access-policy';
import { parseRequestTarget } from './request-target';
import { answerOnSocket } from './socket-answer';

export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export function createUpgradeHandler(
  policy: AccessPolicy,
  sockets: WebSocketServer,
  onConnection: (ws: WebSocket) => void,
): UpgradeListener {
  return (request, socket, head) => {
    const onError = (error: Error) =>
      console.warn(`browser shell: a WebSocket upgrade's connection failed (${error.message})`);
    socket.on('error', onError);
    try {
      const target = parseRequestTarget(request.url);
      if (!target) {
        answerOnSocket(socket, 400, 'Bad request: unreadable request target');
        return;
      }
      const refusal = target.path === '/ws' ? policy.refusal(request, target) : 'no such endpoint';
      if (refusal) {
        answerOnSocket(socket, 403, `Forbidden: ${refusal}`);
        return;
      }
      sockets.handleUpgrade(request, socket, head, (ws) => {
        // From here the WebSocket handles the socket's errors (see serveConnection).
        socket.off('error', onError);
        try {
          onConnection(ws);
        } catch (error) {
          console.error('browser shell: could not serve a new WebSocket connection', error);
          ws.terminate();
        }
      });
    } catch (error) {
      console.error(`browser shell: upgrade ${JSON.stringify(request.url)} failed`, error);
      answerOnSocket(socket, 500, 'Internal error: see the workbench log');
    }
  };
}
