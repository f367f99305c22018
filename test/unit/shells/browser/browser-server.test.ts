import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Workbench } from '../../../../src-main/core/workbench';
import {
  startBrowserShell,
  type BrowserShell,
} from '../../../../src-main/shells/browser/browser-server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
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

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolveSocket, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('open', () => resolveSocket(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`refused with ${res.statusCode}`)),
    );
  });
}

function call(
  socket: WebSocket,
  id: number,
  method: string,
  input: unknown,
): Promise<Record<string, unknown>> {
  return new Promise((resolveReply) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (message['type'] === 'reply' && message['id'] === id) {
        socket.off('message', onMessage);
        resolveReply(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, method, input }));
  });
}

describe('browser shell', () => {
  let shell: BrowserShell;
  let workbench: Workbench;

  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'rfw-shell-'));
    const renderer = join(home, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>workbench</title>');
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    workbench = new Workbench({
      homeDir: home,
      engineWorkerPath: join(home, 'no-engine-needed.js'),
      forcedBackend: null,
      shell: 'browser',
      version: 'test',
      sqliteNativeBinding: null,
      engineWorkers: 1,
    });
    shell = await startBrowserShell(workbench, renderer);
  });

  afterAll(async () => {
    await shell.close();
    await workbench.dispose();
  });

  it('serves the UI on 127.0.0.1 only with the token, then by cookie, with a strict CSP', async () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect((await get(shell.port, '/')).status).toBe(403);
    expect((await get(shell.port, '/?token=wrong')).status).toBe(403);
    const page = await get(shell.port, `/?token=${shell.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    expect((await get(shell.port, '/assets/app.js', { cookie })).status).toBe(200);
    expect((await get(shell.port, '/assets/app.js')).status).toBe(403);
    expect((await get(shell.port, '/../../etc/passwd', { cookie })).status).toBe(404);
  });

  it('refuses another Origin and another Host', async () => {
    const foreign = await get(shell.port, `/?token=${shell.token}`, {
      origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    const rebinding = await get(shell.port, `/?token=${shell.token}`, { host: 'evil.example' });
    expect(rebinding.status).toBe(403);
    await expect(
      connect(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, 'http://evil.example'),
    ).rejects.toThrow(/403/);
    await expect(connect(`ws://127.0.0.1:${shell.port}/ws?token=nope`)).rejects.toThrow(/403/);
  });

  it('carries contract calls over the WebSocket and answers bad input with a clear error', async () => {
    const socket = await connect(
      `ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`,
      `http://127.0.0.1:${shell.port}`,
    );
    expect(await call(socket, 1, 'projects.current', {})).toMatchObject({ ok: true, output: null });
    expect(await call(socket, 2, 'no.such.method', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'unknown method "no.such.method"' },
    });
    const bad = await call(socket, 3, 'projects.open', { path: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(bad)).toContain('a file path is required');
    const failed = await call(socket, 4, 'datasets.list', {});
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'failed', message: 'no project is open: open or create a project first' },
    });
    socket.close();
  });
});
