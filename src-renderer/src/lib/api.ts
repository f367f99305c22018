/**
 * The one module that talks to the transport. In Electron the preload exposes one async
 * function per contract method on `window.workbench`; in a plain browser the browser shell
 * carries the same contract over a WebSocket at `/ws?token=…`. Both become a `WorkbenchApi`.
 *
 * Pending requests are settled and deleted on reply, on timeout and when the socket closes, so
 * nothing leaks (the map in svelte.dev's Bundler.ts is the example to avoid).
 */
import {
  events,
  type CallIssue,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type WorkbenchApi,
} from '@common/contract';
import { CallReply, WireMessage, type WireRequest } from '@common/wire';
import { probeServer, type ServerAnswer } from './connection-notice';

/** Why calls fail at once while the workbench cannot be reached. */
const lostMessage = {
  stopped: 'the workbench stopped (its server no longer answers)',
  refused: 'the workbench was started again: open the address it printed',
} as const;

/**
 * 'closed': the socket dropped and a reconnect is under way; 'stopped': the server no longer
 * answers (the page keeps trying); 'refused': a server answers but refuses this page's token (the
 * workbench was started again), so the page stops trying.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'stopped' | 'refused';

/** A WorkbenchApi that also reports whether its transport is up (always 'open' in Electron). */
export interface WorkbenchConnection extends WorkbenchApi {
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/**
 * A failed call: `message` is meant for the person at the screen; a refused input also says
 * which part of it was wrong (`issues`), so a form can show each problem at its field.
 */
export class WorkbenchError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid-input' | 'failed' | 'transport',
    readonly issues: readonly CallIssue[] = [],
  ) {
    super(message);
    this.name = 'WorkbenchError';
  }
}

/** The preload's functions; their replies are typed by `call`, which knows the method. */
type PreloadMethods = Record<MethodName, (input: unknown) => Promise<unknown>>;
type PreloadBridge = PreloadMethods & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

declare global {
  interface Window {
    workbench?: PreloadBridge;
  }
}

/** How long a call may wait for its reply before it fails (training and attacks run as jobs). */
const callTimeoutMs = 120_000;
const reconnectDelaysMs = [500, 1000, 2000, 5000];

export function connectWorkbench(): WorkbenchConnection {
  const bridge = window.workbench;
  if (bridge) return new PreloadWorkbench(bridge);
  const token = new URL(window.location.href).searchParams.get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
  return new SocketWorkbench(url, () => probeServer(window.location.origin, token));
}

/** Electron: IPC errors arrive as "Error invoking remote method 'rfw:x': Error: message". */
function cleanIpcMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw
    .replace(/^Error invoking remote method '[^']*':\s*/, '')
    .replace(/^(\w*Error):\s*/, '');
}

class PreloadWorkbench implements WorkbenchConnection {
  constructor(private readonly bridge: PreloadBridge) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    let raw: unknown;
    try {
      raw = await this.bridge[method](input);
    } catch (error) {
      throw new WorkbenchError(cleanIpcMessage(error), 'failed');
    }
    const reply = CallReply.safeParse(raw);
    if (!reply.success) throw new WorkbenchError(`${method} gave a malformed reply`, 'failed');
    if (reply.data.ok) return reply.data.output as MethodOutput<M>;
    const { message, code, issues } = reply.data.error;
    throw new WorkbenchError(message, code, issues);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on(event, listener);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    listener('open');
    return () => {};
  }
}

interface Pending {
  resolve(output: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** Set while the request waits for the socket to open; cleared once sent. */
  unsent: string | null;
}

class SocketWorkbench implements WorkbenchConnection {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private reconnectAttempt = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';

  constructor(
    private readonly url: string,
    /** Why the socket closed: see connection-notice.ts. */
    private readonly probe: () => Promise<ServerAnswer>,
  ) {
    this.open();
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    // Without a server a call would wait its whole timeout, its Start button greyed out.
    if (this.state === 'stopped' || this.state === 'refused') {
      return Promise.reject(new WorkbenchError(lostMessage[this.state], 'transport'));
    }
    const id = this.nextId++;
    const request: WireRequest = { id, method, input };
    const text = JSON.stringify(request);
    return new Promise<MethodOutput<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new WorkbenchError(`${method} timed out after ${callTimeoutMs / 1000} s`, 'transport'),
        );
      }, callTimeoutMs);
      const entry: Pending = {
        resolve: (output) => resolve(output as MethodOutput<M>),
        reject,
        timer,
        unsent: text,
      };
      this.pending.set(id, entry);
      this.flush();
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const schema = events[event];
    const wrapped = (payload: unknown): void => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
      else console.warn(`ignored a malformed ${event} event`, parsed.error.issues);
    };
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.state);
    return () => this.connectionListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.connectionListeners) listener(state);
  }

  private open(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    // While the server is known to be gone, a retry changes nothing on screen until it works.
    if (this.state !== 'stopped') this.setState('connecting');
    socket.addEventListener('open', () => {
      this.reconnectAttempt = 0;
      this.setState('open');
      this.flush();
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', () => this.closed(socket));
  }

  /** Sends every request still waiting for an open socket. */
  private flush(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    for (const entry of this.pending.values()) {
      if (entry.unsent === null) continue;
      socket.send(entry.unsent);
      entry.unsent = null;
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn('ignored a message that is not JSON');
      return;
    }
    const parsed = WireMessage.safeParse(json);
    if (!parsed.success) {
      console.warn('ignored a malformed message', parsed.error.issues);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.ok) entry.resolve(message.output);
    else {
      const { message: text, code, issues } = message.error;
      entry.reject(new WorkbenchError(text, code, issues));
    }
  }

  /** Requests already sent can get no reply now: fail them. Unsent ones wait for the reconnect. */
  private closed(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    for (const [id, entry] of this.pending) {
      if (entry.unsent !== null) continue;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new WorkbenchError('the connection to the workbench closed', 'transport'));
    }
    if (this.state !== 'stopped') this.setState('closed');
    void this.probe().then((answer) => this.afterProbe(answer));
  }

  /** Reconnects unless the server refuses this page; says so when the server is gone. */
  private afterProbe(answer: ServerAnswer): void {
    if (answer !== 'answers') {
      const state = answer === 'silent' ? 'stopped' : 'refused';
      this.failUnsent(state);
      this.setState(state);
      // A new launch made a new token: this page's can never work again.
      if (state === 'refused') return;
    }
    const delay = reconnectDelaysMs[Math.min(this.reconnectAttempt, reconnectDelaysMs.length - 1)];
    this.reconnectAttempt += 1;
    setTimeout(() => this.open(), delay);
  }

  private failUnsent(state: 'stopped' | 'refused'): void {
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new WorkbenchError(lostMessage[state], 'transport'));
    }
  }
}
