/**
 * The browser shell's plain HTTP side: the built renderer, to pages that carry the token. Every
 * request is answered, and an error thrown while answering one is logged with its stack and
 * becomes a 500 for that request alone: a request must never end the server.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AccessPolicy } from './access-policy';
import { parseRequestTarget } from './request-target';
import { serveStatic } from './static-files';

const plainText = { 'Content-Type': 'text/plain; charset=utf-8' };

export function createRequestHandler(
  policy: AccessPolicy,
  rendererRoot: string,
  port: () => number,
): RequestListener {
  return (request, response) => {
    try {
      answer(request, response, policy, rendererRoot, port());
    } catch (error) {
      console.error(
        `browser shell: ${request.method} ${JSON.stringify(request.url)} failed`,
        error,
      );
      if (response.headersSent) response.destroy();
      else response.writeHead(500, plainText).end('Internal error: see the workbench log\n');
    }
  };
}

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  policy: AccessPolicy,
  rendererRoot: string,
  port: number,
): void {
  const target = parseRequestTarget(request.url);
  if (!target) {
    response.writeHead(400, plainText).end('Bad request: unreadable request target\n');
    return;
  }
  const refusal = policy.refusal(request, target);
  if (refusal) {
    response.writeHead(403, plainText).end(`Forbidden: ${refusal}\n`);
    return;
  }
  if (request.method !== 'GET') {
    response.writeHead(405).end();
    return;
  }
  if (target.query.has('token')) response.setHeader('Set-Cookie', policy.cookieHeader());
  if (!serveStatic(rendererRoot, target.path, response, port)) {
    response.writeHead(404, plainText).end('Not found\n');
  }
}
