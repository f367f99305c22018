/**
 * The browser shell: the core behind HTTP (the built renderer) and a WebSocket that carries the
 * same contract messages as Electron's IPC. Bound to 127.0.0.1 only; see AccessPolicy for who
 * may connect.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WireRequest, type WireMessage } from '../../common/wire';
import type { Workbench } from '../../core/workbench';
import { dispatchCall } from '../dispatch';
import { AccessPolicy } from './access-policy';
import { serveStatic } from './static-files';

export interface BrowserShell {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Largest message a page may send; contract inputs are small (images go the other way). */
const maxMessageBytes = 1024 * 1024;

export async function startBrowserShell(
  workbench: Workbench,
  rendererRoot: string,
  requestedPort = 0,
): Promise<BrowserShell> {
  const token = randomBytes(24).toString('hex');
  let port = 0;
  const policy = new AccessPolicy(token, () => port);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  const server: Server = createServer((request, response) => {
    const refusal = policy.refusal(request);
    if (refusal) {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`Forbidden: ${refusal}\n`);
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.searchParams.has('token')) response.setHeader('Set-Cookie', policy.cookieHeader());
    if (!serveStatic(rendererRoot, url.pathname, response, port)) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    }
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refusal = url.pathname === '/ws' ? policy.refusal(request) : 'no such endpoint';
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refusal}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveConnection(workbench, ws));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(requestedPort, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/** One page's connection: calls in, replies and events out; its subscriptions die with it. */
function serveConnection(workbench: Workbench, ws: WebSocket): void {
  const send = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = workbench.subscribe((event, payload) =>
    send({ type: 'event', event, payload }),
  );
  ws.on('close', unsubscribe);
  ws.on('message', (raw) => {
    let request: WireRequest;
    try {
      request = WireRequest.parse(JSON.parse(raw.toString()));
    } catch (error) {
      // Without a valid id there is nobody to answer; say why in the log and drop it.
      console.warn(`browser shell: dropped a malformed message (${(error as Error).message})`);
      return;
    }
    void dispatchCall(workbench, request.method, request.input).then((outcome) =>
      send(
        outcome.ok
          ? { type: 'reply', id: request.id, ok: true, output: outcome.output }
          : { type: 'reply', id: request.id, ok: false, error: outcome.error },
      ),
    );
  });
}
