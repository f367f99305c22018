/**
 * Entry of the engine worker thread (built to out/main/engine-worker.js). All tensor work of the
 * app runs here, never on the UI/IPC thread. Protocol: ../protocol.ts; logic: message-handler.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ToWorker } from '../protocol';
import { readEngineWorkerData } from './engine-worker-data';
import { EngineMessageHandler } from './message-handler';

if (parentPort === null) {
  throw new Error('engine-worker.js must be started as a worker thread');
}
const port = parentPort;
const handler = new EngineMessageHandler(
  (message, transfer) => port.postMessage(message, transfer ?? []),
  undefined,
  readEngineWorkerData(workerData),
);
port.on('message', (message: ToWorker) => {
  // The handler reports every job's end itself; what still escapes (a port that cannot post at
  // all) is logged here rather than left as an unhandled rejection that would end the thread.
  handler.handle(message).catch((error: unknown) => {
    console.error('engine worker: a message could not be handled', error);
  });
});
