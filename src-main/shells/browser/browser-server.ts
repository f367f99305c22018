/**
 * The browser shell: the core behind HTTP (the built renderer) and a WebSocket that carries the
 * same contract messages as Electron's IPC. Bound to 127.0.0.1 only; see AccessPolicy for who
 * may connect.
 *
 * Nothing a client sends may end the server: each handler (http-requests, upgrade-requests,
 * socket-connection) answers what it cannot read with 400 or a failed reply, and turns any error
 * that escapes it into a 500 or a failed call for that request alone, logged with its stack.
 * There is deliberately no process-wide uncaughtException handler: it would hide bugs elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Workbench } from '../../core/workbench';
import { AccessPolicy } from './access-policy';
import { createRequestHandler } from './http-requests';
import { answerOnSocket } from './socket-answer';
import { serveConnection } from './socket-connection';
import { createUpgradeHandler } from './upgrade-requests';

export interface BrowserShell {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** As Node's own clientError answer: headers too large, and a request that took too long. */
const clientErrorStatus: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

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

  const server: Server = createServer(createRequestHandler(policy, rendererRoot, () => port));
  server.on(
    'upgrade',
    createUpgradeHandler(policy, sockets, (ws) => serveConnection(workbench, ws)),
  );
  // A request Node's parser rejects (or a connection that fails before a request is read).
  // Node's default answers the same codes; this one also logs why.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    console.warn(`browser shell: refused a malformed request (${error.message})`);
    answerOnSocket(socket, clientErrorStatus[error.code ?? ''] ?? 400, 'Bad request');
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(requestedPort, '127.0.0.1', () => {
      server.off('error', rejectListen);
      // Once listening, an 'error' without a listener (EMFILE on accept, …) would end the process.
      server.on('error', (error) => console.error('browser shell: server error', error));
      resolveListen();
    });
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
