/** Which compute backend the engine runs on, why the others were not used, and the link state. */
import type { MethodOutput } from '@common/contract';
import type { BackendStatus } from '@common/backend-schemas';
import type { ConnectionState } from '../lib/api';

type AppStatus = MethodOutput<'app.status'>;

export class BackendState {
  #status = $state.raw<BackendStatus | null>(null);
  #version = $state('');
  #shell = $state<AppStatus['shell'] | null>(null);
  #connection = $state<ConnectionState>('connecting');

  get status(): BackendStatus | null {
    return this.#status;
  }
  get version(): string {
    return this.#version;
  }
  get shell(): AppStatus['shell'] | null {
    return this.#shell;
  }
  get connection(): ConnectionState {
    return this.#connection;
  }
  /** Attempts at other backends than the active one: each with why it was not used. */
  get others(): BackendStatus['attempts'] {
    const active = this.#status?.active;
    return (this.#status?.attempts ?? []).filter((a) => a.backend !== active);
  }

  setApp(info: AppStatus): void {
    this.#version = info.version;
    this.#shell = info.shell;
    this.#status = info.backend;
  }
  setBackend(status: BackendStatus): void {
    this.#status = status;
  }
  setConnection(state: ConnectionState): void {
    this.#connection = state;
  }
}
