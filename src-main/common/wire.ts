/**
 * Messages of the browser shell's WebSocket, which carries the same contract as Electron's IPC.
 * A request names a method and carries its input; the reply carries the same id.
 */
import { z } from 'zod';
import { CallError } from './contract';

export const WireRequest = z
  .object({ id: z.number().int(), method: z.string(), input: z.unknown() })
  .strict();
export type WireRequest = z.infer<typeof WireRequest>;

/** A call's outcome as Electron's preload hands it to the renderer (the wire reply, less type and id). */
export const CallReply = z.union([
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: CallError }),
]);
export type CallReply = z.infer<typeof CallReply>;

export const WireMessage = z.union([
  z.object({
    type: z.literal('reply'),
    id: z.number().int(),
    ok: z.literal(true),
    output: z.unknown(),
  }),
  z.object({
    type: z.literal('reply'),
    id: z.number().int(),
    ok: z.literal(false),
    error: CallError,
  }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WireMessage = z.infer<typeof WireMessage>;

/** Electron IPC channel names carry this prefix so that nothing else can be mistaken for a call. */
export const ipcChannelPrefix = 'rfw:';
