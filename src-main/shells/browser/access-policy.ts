/**
 * Who may talk to the browser shell: only pages it served itself, on the loopback address, that
 * carry this launch's random token. The token arrives once in the URL; the server then keeps it in
 * an HttpOnly, SameSite=Strict cookie so the page's scripts and styles load without it in the URL.
 * The Host check stops DNS-rebinding pages; the Origin check stops other sites' pages.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestTarget } from './request-target';

export const tokenCookie = 'rfw_token';

export class AccessPolicy {
  constructor(
    private readonly token: string,
    private readonly port: () => number,
  ) {}

  private allowedHosts(): string[] {
    const port = this.port();
    return [`127.0.0.1:${port}`, `localhost:${port}`];
  }

  hostAllowed(request: IncomingMessage): boolean {
    return this.allowedHosts().includes(request.headers.host ?? '');
  }

  /** No Origin (a direct navigation or a non-browser client) is fine; a foreign one is not. */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    return this.allowedHosts().some((host) => origin === `http://${host}`);
  }

  /** The target comes parsed (parseRequestTarget): reading request.url here could throw. */
  tokenFrom(request: IncomingMessage, target: RequestTarget): string | null {
    const fromQuery = target.query.get('token');
    if (fromQuery) return fromQuery;
    const cookies = request.headers.cookie ?? '';
    for (const part of cookies.split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === tokenCookie) return value.join('=');
    }
    return null;
  }

  tokenValid(candidate: string | null): boolean {
    if (candidate === null) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Why a request is refused, or null when it may go on. */
  refusal(request: IncomingMessage, target: RequestTarget): string | null {
    if (!this.hostAllowed(request)) return 'wrong Host';
    if (!this.originAllowed(request)) return 'requests from another origin are refused';
    if (!this.tokenValid(this.tokenFrom(request, target))) return 'missing or wrong token';
    return null;
  }

  cookieHeader(): string {
    return `${tokenCookie}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
