/**
 * What must end at most one connection or one call, never the server: a frame over the 1 MiB
 * limit or one ws refuses otherwise (ws emits 'error' on the socket), a call whose reply cannot
 * be sent, and a frame with an id but no valid request.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { call, connectPage, exchange, useWatchedShell } from './shell-fixture';

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolveClose) =>
    socket.once('close', (code, reason) => resolveClose({ code, reason: reason.toString() })),
  );
}

describe('browser shell: failures that end one connection or one call', () => {
  const watched = useWatchedShell();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('closes a socket that sends more than 1 MiB with 1009; other pages go on (case 2)', async () => {
    const bystander = await watched.guard(connectPage(watched.shell));
    const sender = await watched.guard(connectPage(watched.shell));
    const senderClosed = closed(sender);
    sender.send('x'.repeat(1024 * 1024 + 1));
    expect((await watched.guard(senderClosed)).code).toBe(1009);

    // Invalid UTF-8 in a text frame is the same kind of refusal (ws closes with 1007).
    const garbler = await watched.guard(connectPage(watched.shell));
    const garblerClosed = closed(garbler);
    garbler.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await watched.guard(garblerClosed)).code).toBe(1007);

    expect(await watched.guard(call(bystander, 1, 'projects.current', {}))).toMatchObject({
      ok: true,
    });
    const newcomer = await watched.guard(connectPage(watched.shell));
    expect(await watched.guard(call(newcomer, 2, 'projects.current', {}))).toMatchObject({
      ok: true,
    });
    bystander.close();
    newcomer.close();
  });

  it('answers ok:false when a reply cannot be sent, and serves the next call (case 5)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A reply that passes its output schema (a run's config is free-form) but has no JSON form.
    vi.spyOn(watched.workbench.handlers, 'runs.list').mockReturnValue([
      {
        id: 1,
        kind: 'train',
        name: 'unsendable',
        status: 'completed',
        config: { seed: 1n },
        seed: 1,
        backend: null,
        engineVersion: null,
        createdAt: '2024-01-01T00:00:00Z',
        startedAt: null,
        finishedAt: null,
        error: null,
        modelId: null,
        hasCheckpoint: false,
      },
    ]);
    const page = await watched.guard(connectPage(watched.shell));
    const reply = await watched.guard(call(page, 7, 'runs.list', {}));
    expect(reply).toMatchObject({
      id: 7,
      ok: false,
      error: { code: 'failed' },
    });
    expect(JSON.stringify(reply)).toContain('BigInt');
    expect(errors).toHaveBeenCalled();
    expect(await watched.guard(call(page, 8, 'projects.current', {}))).toMatchObject({ ok: true });
    page.close();
  });

  it('answers a frame with an id but no valid request with ok:false (case 5)', async () => {
    const page = await watched.guard(connectPage(watched.shell));
    const reply = await watched.guard(exchange(page, 9, JSON.stringify({ id: 9, method: 42 })));
    expect(reply).toMatchObject({
      id: 9,
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(JSON.stringify(reply)).toContain('method');
    page.close();
  });
});
