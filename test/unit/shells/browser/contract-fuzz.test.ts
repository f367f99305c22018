/**
 * Every contract method, fed inputs its schema refuses, plus frames that are not requests at
 * all, over one page's WebSocket: each call that carries a usable id gets ok:false with a
 * readable message, nothing reaches the server's last line of defence (console.error), the
 * server answers a normal call afterwards, and the project and its folder are as they were.
 * Seeded (mulberry32) and bounded: about 400 messages, a couple of seconds.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { methodNames } from '../../../../src-main/common/contract';
import { mulberry32 } from '../../../../src-main/engine/random/seeded-random';
import { temporaryFolder, writeIdxFolder } from '../../core/datasets/dataset-fixtures';
import { violatingInputs } from './fuzz-inputs';
import {
  call,
  connectPage,
  exchange,
  startTestShell,
  watchEscapes,
  type EscapeWatch,
  type TestShell,
  type WireReply,
} from './shell-fixture';

const seed = 20_260_612;
const inputsPerMethod = 8;
/** "Readable": a sentence or a few, not an echo of a 200,000-character input. */
const longestMessage = 2_000;

/** What a client sees of the project; the fuzz must leave all of it as it was. */
const snapshotMethods = [
  'projects.current',
  'projects.recent',
  'datasets.list',
  'models.list',
  'runs.list',
  'jobs.list',
  'gallery.list',
] as const;

/** Frames that are not a valid request; `id` is the one a reply must carry, or null for none. */
function malformedFrames(): { frame: string | Buffer; id: number | null }[] {
  const random = mulberry32(seed + 1);
  const noise = Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256)));
  const printable = Array.from({ length: 64 }, () =>
    String.fromCharCode(32 + Math.floor(random() * 95)),
  ).join('');
  return [
    { frame: '', id: null },
    { frame: '{', id: null },
    { frame: 'not json', id: null },
    { frame: printable, id: null },
    { frame: noise, id: null },
    { frame: Buffer.from('{"id":1,'), id: null },
    { frame: 'null', id: null },
    { frame: '[1,2,3]', id: null },
    { frame: '"just a string"', id: null },
    { frame: '{"method":"projects.current","input":{}}', id: null },
    { frame: '{"id":"5001","method":"projects.current","input":{}}', id: null },
    { frame: '{"id":1.5,"method":"projects.current","input":{}}', id: null },
    { frame: '{"id":null,"method":"projects.current","input":{}}', id: null },
    { frame: '{"id":1e300,"method":"projects.current","input":{}}', id: null },
    { frame: '{"id":5002,"method":42,"input":{}}', id: 5002 },
    { frame: '{"id":5003,"method":null,"input":{}}', id: 5003 },
    { frame: '{"id":5004,"method":{"name":"projects.current"}}', id: 5004 },
    { frame: '{"id":5005}', id: 5005 },
    { frame: '{"id":5006,"method":"projects.current","input":{},"extra":1}', id: 5006 },
    { frame: '{"id":5007,"method":"no.such.method","input":{}}', id: 5007 },
    { frame: '{"id":5008,"method":"__proto__","input":{}}', id: 5008 },
    { frame: '{"id":5009,"method":"constructor","input":{}}', id: 5009 },
    { frame: '{"id":5010,"method":"toString","input":{}}', id: 5010 },
    { frame: '{"id":5011,"method":"","input":{}}', id: 5011 },
    { frame: JSON.stringify({ id: 5012, method: 'm'.repeat(300_000), input: {} }), id: 5012 },
    {
      frame: `{"id":5014,"method":"projects.current","input":{},${JSON.stringify('k'.repeat(100_000))}:1}`,
      id: 5014,
    },
    { frame: Buffer.from('{"id":5013,"method":"projects.open","input":{"path":7}}'), id: 5013 },
  ];
}

describe('browser shell: contract fuzz over the WebSocket', () => {
  let test: TestShell;
  let watch: EscapeWatch;
  let page: WebSocket;
  let nextId = 1;

  beforeAll(async () => {
    test = await startTestShell();
    watch = watchEscapes();
    page = await connectPage(test.shell);
    // A project with a dataset in it, so that "unchanged" means something.
    const source = temporaryFolder('rfw-fuzz-idx-');
    writeIdxFolder(source, { train: 40, test: 10 });
    const path = join(test.home, 'fuzz.rfw');
    expect(await call(page, nextId++, 'projects.create', { path, name: 'Fuzz' })).toMatchObject({
      ok: true,
    });
    const finished = new Promise<Record<string, unknown>>((resolveFinished) => {
      const onMessage = (raw: WebSocket.RawData) => {
        const message = JSON.parse(raw.toString()) as Record<string, unknown>;
        if (message['type'] === 'event' && message['event'] === 'dataset.finished') {
          page.off('message', onMessage);
          resolveFinished(message['payload'] as Record<string, unknown>);
        }
      };
      page.on('message', onMessage);
    });
    const started = await call(page, nextId++, 'datasets.import', {
      name: 'digits',
      source: { format: 'idx-folder', folder: source, classNames: { kind: 'numbered' } },
    });
    expect(started).toMatchObject({ ok: true });
    expect(await finished).toMatchObject({ state: 'completed' });
  });

  afterAll(async () => {
    watch.stop();
    page.close();
    await test.stop();
  });

  async function snapshot(socket: WebSocket): Promise<unknown[]> {
    const replies: unknown[] = [];
    for (const method of snapshotMethods) {
      replies.push(await watch.guard(call(socket, nextId++, method, {})));
    }
    const datasetPage = { datasetId: 1, offset: 0, limit: 50 };
    replies.push(await watch.guard(call(socket, nextId++, 'datasets.page', datasetPage)));
    return replies.map((reply) => ({ ...(reply as WireReply), id: 0 }));
  }

  function expectReadableFailure(reply: WireReply, what: string): void {
    expect(reply, what).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const message = (reply['error'] as { message: unknown }).message;
    expect(typeof message, what).toBe('string');
    expect((message as string).length, what).toBeGreaterThan(0);
    expect((message as string).length, what).toBeLessThanOrEqual(longestMessage);
  }

  it('refuses every schema-violating input and malformed frame, and changes nothing', async () => {
    const errors = vi.spyOn(console, 'error');
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const before = await snapshot(page);
    const filesBefore = readdirSync(test.home).sort();
    const random = mulberry32(seed);
    let sent = 0;

    for (const method of methodNames) {
      const inputs = violatingInputs(method, random, inputsPerMethod);
      expect(inputs.length, `${method}: violating inputs generated`).toBeGreaterThanOrEqual(4);
      for (const input of inputs) {
        const id = nextId++;
        const frame = `{"id":${id},"method":${JSON.stringify(method)},"input":${input}}`;
        const what = `${method} ${input.slice(0, 120)}`;
        expectReadableFailure(await watch.guard(exchange(page, id, frame)), what);
        sent += 1;
      }
    }
    for (const { frame, id } of malformedFrames()) {
      const what = String(frame).slice(0, 120);
      if (id === null) {
        page.send(frame);
      } else {
        expectReadableFailure(await watch.guard(exchange(page, id, frame)), what);
      }
      sent += 1;
    }
    expect(sent).toBeGreaterThan(300);
    console.log(`contract fuzz: ${sent} messages, seed ${seed}`);

    // The server is up: the same page and a new one both get normal answers.
    const after = await snapshot(page);
    expect(after).toEqual(before);
    const newcomer = await watch.guard(connectPage(test.shell));
    expect(await watch.guard(call(newcomer, nextId++, 'projects.current', {}))).toMatchObject({
      ok: true,
      output: { name: 'Fuzz' },
    });
    newcomer.close();
    expect(readdirSync(test.home).sort()).toEqual(filesBefore);
    // Nothing reached a handler's last line of defence: every refusal was a validation's.
    expect(errors).not.toHaveBeenCalled();
    expect(watch.escaped).toEqual([]);
    warnings.mockRestore();
    errors.mockRestore();
  });

  it('closes only the socket that sends a frame over 1 MiB', async () => {
    const big = await watch.guard(connectPage(test.shell));
    const closed = new Promise<number>((resolveClose) => big.once('close', resolveClose));
    big.send(JSON.stringify({ id: 1, method: 'projects.current', input: 'x'.repeat(1 << 20) }));
    expect(await watch.guard(closed)).toBe(1009);
    expect(await watch.guard(call(page, nextId++, 'projects.current', {}))).toMatchObject({
      ok: true,
    });
    expect(watch.escaped).toEqual([]);
  });
});
