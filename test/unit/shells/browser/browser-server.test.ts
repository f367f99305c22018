import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, get, startTestShell, type TestShell } from './shell-fixture';

describe('browser shell', () => {
  let test: TestShell;
  let shell: TestShell['shell'];

  beforeAll(async () => {
    test = await startTestShell();
    shell = test.shell;
  });

  afterAll(() => test.stop());

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
