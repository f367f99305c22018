/**
 * What the browser-shell tests share: a shell over a fresh workbench and a two-file renderer,
 * clients that send requests exactly as written (Node's http client and raw sockets do not
 * normalize `//` the way browsers and curl without --path-as-is do), and a watch for errors that
 * escape the server.
 *
 * The shell runs inside the test process, so an error that would end `node browser-shell.js`
 * only reaches vitest's own handlers here; `watchEscapes` turns it into a failed test instead.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { Workbench } from '../../../../src-main/core/workbench';
import {
  startBrowserShell,
  type BrowserShell,
} from '../../../../src-main/shells/browser/browser-server';

export interface TestShell {
  shell: BrowserShell;
  workbench: Workbench;
  home: string;
  stop(): Promise<void>;
}

export async function startTestShell(): Promise<TestShell> {
  const home = mkdtempSync(join(tmpdir(), 'rfw-shell-'));
  const renderer = join(home, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>workbench</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const workbench = new Workbench({
    homeDir: home,
    engineWorkerPath: join(home, 'no-engine-needed.js'),
    forcedBackend: null,
    shell: 'browser',
    version: 'test',
    sqliteNativeBinding: null,
    engineWorkers: 1,
  });
  const shell = await startBrowserShell(workbench, renderer);
  return {
    shell,
    workbench,
    home,
    stop: async () => {
      await shell.close();
      await workbench.dispose();
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET whose path goes on the wire as written. */
export function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `text` on a fresh TCP connection and resolves with everything the server sent back. */
export function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolveText, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolveText(received));
    socket.on('error', reject);
    socket.end(text);
  });
}

/** The status code of a raw HTTP response ("HTTP/1.1 400 Bad Request…" gives 400), or 0. */
export function statusOf(response: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : 0;
}

/** A WebSocket upgrade request for `path`, exactly as written, with a well-formed handshake. */
export function upgradeRequest(port: number, path: string, headers = ''): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
    'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
    `Sec-WebSocket-Version: 13\r\n${headers}\r\n`
  );
}

export function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolveSocket, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('open', () => resolveSocket(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`refused with ${res.statusCode}`)),
    );
  });
}

/** A page's connection to the shell: this launch's token and a same-origin Origin header. */
export function connectPage(shell: BrowserShell): Promise<WebSocket> {
  return connect(
    `ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`,
    `http://127.0.0.1:${shell.port}`,
  );
}

export type WireReply = Record<string, unknown>;

/** Resolves with the reply that carries `id`; sends `frame` as given (a string is sent as text). */
export function exchange(
  socket: WebSocket,
  id: number,
  frame: string | Buffer,
): Promise<WireReply> {
  return new Promise((resolveReply) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString()) as WireReply;
      if (message['type'] === 'reply' && message['id'] === id) {
        socket.off('message', onMessage);
        resolveReply(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(frame);
  });
}

export function call(
  socket: WebSocket,
  id: number,
  method: string,
  input: unknown,
): Promise<WireReply> {
  return exchange(socket, id, JSON.stringify({ id, method, input }));
}

/**
 * Errors that escape the server (uncaught exceptions, unhandled rejections) while a test runs.
 * `guard` races a promise against them, so a crash fails the test with its own message instead
 * of leaving the client waiting for an answer that never comes.
 */
export interface EscapeWatch {
  guard<T>(promise: Promise<T>): Promise<T>;
  escaped: unknown[];
  stop(): void;
}

export function watchEscapes(): EscapeWatch {
  const escaped: unknown[] = [];
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  // Nobody may await `failed` while the test goes well; keep that from being "unhandled" itself.
  failed.catch(() => undefined);
  const record = (error: unknown) => {
    escaped.push(error);
    fail(error);
  };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    guard: (promise) => Promise.race([promise, failed]),
    escaped,
    stop: () => {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

/** One shell for a describe block, with every test failed if a request escaped the server. */
export interface WatchedShell {
  readonly shell: BrowserShell;
  readonly workbench: Workbench;
  /** The promise, or the first error that escaped while it was pending. */
  guard<T>(promise: Promise<T>): Promise<T>;
}

/** Registers the block's hooks: the shell starts once, the escape watch runs per test. */
export function useWatchedShell(): WatchedShell {
  let test: TestShell | null = null;
  let watch: EscapeWatch | null = null;
  const started = (): TestShell => {
    if (test === null) throw new Error('the shell starts in beforeAll');
    return test;
  };
  beforeAll(async () => {
    test = await startTestShell();
  });
  afterAll(() => started().stop());
  beforeEach(() => {
    watch = watchEscapes();
  });
  afterEach(() => {
    watch?.stop();
    expect(watch?.escaped).toEqual([]);
  });
  return {
    get shell() {
      return started().shell;
    },
    get workbench() {
      return started().workbench;
    },
    guard: (promise) => {
      if (watch === null) throw new Error('guard runs inside a test');
      return watch.guard(promise);
    },
  };
}
