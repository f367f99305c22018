/**
 * One page's WebSocket: contract calls in, replies and events out; its subscriptions die with it.
 * Whatever a page sends, and whatever goes wrong while answering it, ends at most this one
 * connection: the server and the other pages go on.
 */
import type { RawData, WebSocket } from 'ws';
import { WireRequest, type WireMessage } from '../../common/wire';
import type { Workbench } from '../../core/workbench';
import { describeRefusal, dispatchCall, thrownMessage, type CallOutcome } from '../dispatch';

type Send = (message: WireMessage) => void;

export function serveConnection(workbench: Workbench, ws: WebSocket): void {
  /** Throws where the message cannot be serialized; each caller decides what that means. */
  const send: Send = (message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = workbench.subscribe((event, payload) => {
    // The core emits from inside its jobs: an event this page cannot receive must not fail them.
    try {
      send({ type: 'event', event, payload });
    } catch (error) {
      console.error(`browser shell: could not send the ${event} event`, error);
    }
  });
  ws.on('close', unsubscribe);
  // ws emits 'error' for a frame it refuses (over maxPayload: 1009, invalid UTF-8: 1007, a
  // protocol error: 1002) and has already closed the socket with that code; an 'error' without a
  // listener would be thrown and end the process.
  ws.on('error', (error) =>
    console.warn(`browser shell: closed a page's connection (${error.message})`),
  );
  ws.on('message', (raw) => void answerMessage(workbench, raw, send));
}

/** The request in a frame, or why there is none and, where the frame carries one, whom to tell. */
type ReadRequest =
  { ok: true; request: WireRequest } | { ok: false; id: number | null; why: string };

function readRequest(raw: RawData): ReadRequest {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch (error) {
    return { ok: false, id: null, why: `not JSON (${thrownMessage(error)})` };
  }
  const parsed = WireRequest.safeParse(value);
  if (parsed.success) return { ok: true, request: parsed.data };
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : null;
  return {
    ok: false,
    id: Number.isSafeInteger(id) ? (id as number) : null,
    why: describeRefusal(parsed.error),
  };
}

function toReply(id: number, outcome: CallOutcome): WireMessage {
  return outcome.ok
    ? { type: 'reply', id, ok: true, output: outcome.output }
    : { type: 'reply', id, ok: false, error: outcome.error };
}

async function answerMessage(workbench: Workbench, raw: RawData, send: Send): Promise<void> {
  const read = readRequest(raw);
  if (!read.ok) {
    if (read.id === null) {
      // Without an id there is nobody to answer; say why in the log and drop it.
      console.warn(`browser shell: dropped a malformed message (${read.why})`);
      return;
    }
    answerFailure(send, read.id, 'invalid-input', `malformed request: ${read.why}`);
    return;
  }
  const { id, method, input } = read.request;
  try {
    send(toReply(id, await dispatchCall(workbench, method, input)));
  } catch (error) {
    // The last line of defence: a call that failed in a way dispatchCall did not turn into an
    // outcome, or a reply that could not be sent, fails this call alone.
    console.error(`browser shell: call ${id} (${JSON.stringify(method)}) failed`, error);
    answerFailure(send, id, 'failed', `${method} failed: ${thrownMessage(error)}`);
  }
}

function answerFailure(
  send: Send,
  id: number,
  code: 'invalid-input' | 'failed',
  message: string,
): void {
  try {
    send({ type: 'reply', id, ok: false, error: { code, message } });
  } catch (error) {
    console.error(`browser shell: could not send the failure of call ${id}`, error);
  }
}
