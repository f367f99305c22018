/** One page's WebSocket: contract calls in, replies and events out; its subscriptions die with it. */
import type { WebSocket } from 'ws';
import { WireRequest, type WireMessage } from '../../common/wire';
import type { Workbench } from '../../core/workbench';
import { dispatchCall } from '../dispatch';

export function serveConnection(workbench: Workbench, ws: WebSocket): void {
  const send = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = workbench.subscribe((event, payload) =>
    send({ type: 'event', event, payload }),
  );
  ws.on('close', unsubscribe);
  ws.on('message', (raw) => {
    let request: WireRequest;
    try {
      request = WireRequest.parse(JSON.parse(raw.toString()));
    } catch (error) {
      // Without a valid id there is nobody to answer; say why in the log and drop it.
      console.warn(`browser shell: dropped a malformed message (${(error as Error).message})`);
      return;
    }
    void dispatchCall(workbench, request.method, request.input).then((outcome) =>
      send(
        outcome.ok
          ? { type: 'reply', id: request.id, ok: true, output: outcome.output }
          : { type: 'reply', id: request.id, ok: false, error: outcome.error },
      ),
    );
  });
}
