/**
 * The preload of the sandboxed renderer. It exposes exactly one async function per contract
 * method, plus `on(event, listener)`, under `window.workbench` — never ipcRenderer itself. Every
 * channel carries the `rfw:` prefix; main checks the sender and parses every input again.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, methodNames, type EventName } from '../../common/contract';
import { ipcChannelPrefix } from '../../common/wire';

/**
 * Each function resolves with main's reply as it is, `{ ok, output }` or `{ ok: false, error }`:
 * an Error thrown across the context bridge keeps only its message, and the renderer needs the
 * error's issues too (to show each at its field).
 */
const api: Record<string, unknown> = {};
for (const method of methodNames) {
  api[method] = (input: unknown): Promise<unknown> =>
    ipcRenderer.invoke(`${ipcChannelPrefix}call:${method}`, input);
}
api['on'] = (event: EventName, listener: (payload: unknown) => void) => {
  if (!eventNames.includes(event)) throw new Error(`unknown event ${event}`);
  const channel = `${ipcChannelPrefix}event:${event}`;
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
};

contextBridge.exposeInMainWorld('workbench', api);
