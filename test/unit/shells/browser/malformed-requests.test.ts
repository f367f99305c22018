/**
 * Request targets the WHATWG URL parser rejects (`//` is a scheme-relative URL with an empty
 * host), percent-encodings that do not decode, and a client that resets a refused upgrade: each
 * once ended the browser shell. They must be answered 400 (or refused 403 before anything is
 * parsed), and the server must go on serving.
 */
import { connect as connectTcp } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  call,
  connectPage,
  get,
  rawExchange,
  statusOf,
  upgradeRequest,
  useWatchedShell,
} from './shell-fixture';

const unparseable = ['//', '///', '//%zz', '//ws', '//evil.example/ws', '//?token=x'];

describe('browser shell: malformed and aborted requests', () => {
  const watched = useWatchedShell();

  /** The page still loads and a page's WebSocket still answers. */
  async function expectServing(): Promise<void> {
    const { shell } = watched;
    expect((await watched.guard(get(shell.port, `/?token=${shell.token}`))).status).toBe(200);
    const socket = await watched.guard(connectPage(shell));
    expect(await watched.guard(call(socket, 1, 'projects.current', {}))).toMatchObject({
      ok: true,
    });
    socket.close();
  }

  it('answers 400 to an unparseable request target, with or without the token (case 1)', async () => {
    const { port, token } = watched.shell;
    for (const path of unparseable) {
      const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
      expect(statusOf(await watched.guard(rawExchange(port, request))), path).toBe(400);
      const withCookie =
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Cookie: rfw_token=${token}\r\nConnection: close\r\n\r\n`;
      expect(statusOf(await watched.guard(rawExchange(port, withCookie))), path).toBe(400);
    }
    await expectServing();
  });

  it('answers another site\'s <img src="http://127.0.0.1:PORT//"> without crashing (case 1)', async () => {
    const { port } = watched.shell;
    for (const path of unparseable) {
      // A no-cors image GET carries no Origin and no token, only the page in Referer.
      const image = await watched.guard(get(port, path, { referer: 'http://evil.example/page' }));
      expect([400, 403], path).toContain(image.status);
      const withOrigin = await watched.guard(get(port, path, { origin: 'http://evil.example' }));
      expect([400, 403], path).toContain(withOrigin.status);
    }
    await expectServing();
  });

  it('answers 400 to a WebSocket upgrade with an unparseable target and closes it (case 1)', async () => {
    const { port, token } = watched.shell;
    for (const path of [...unparseable, `//ws?token=${token}`]) {
      const response = await watched.guard(rawExchange(port, upgradeRequest(port, path)));
      expect(statusOf(response), path).toBe(400);
    }
    await expectServing();
  });

  it('answers 400 to a malformed percent-encoding in a static path (case 3)', async () => {
    const { port, token } = watched.shell;
    for (const path of [`/%E0%A4%A?token=${token}`, `/assets/%ff%fe.js?token=${token}`, '/%']) {
      const reply = await watched.guard(get(port, path, { cookie: `rfw_token=${token}` }));
      expect(reply.status, path).toBe(400);
    }
    // A well-formed encoding still names its file.
    const encoded = await watched.guard(get(port, `/assets/app%2Ejs?token=${token}`));
    expect(encoded.status).toBe(200);
    await expectServing();
  });

  it('goes on when a client resets the connection after a refused upgrade (case 2)', async () => {
    const { port, token } = watched.shell;
    for (const path of ['/ws?token=wrong', '/elsewhere', '//']) {
      await watched.guard(
        new Promise<void>((resolveReset, reject) => {
          // allowHalfOpen: the client must not answer the server's FIN before it resets.
          const socket = connectTcp({ host: '127.0.0.1', port, allowHalfOpen: true });
          socket.once('data', () => {
            socket.resetAndDestroy();
            resolveReset();
          });
          socket.once('error', reject);
          socket.write(upgradeRequest(port, path));
        }),
      );
    }
    // The resets reached the server before this request's connection was even opened.
    expect((await watched.guard(get(port, `/?token=${token}`))).status).toBe(200);
    const page = await watched.guard(connectPage(watched.shell));
    expect(await watched.guard(call(page, 1, 'projects.current', {}))).toMatchObject({ ok: true });
    page.close();
  });
});
