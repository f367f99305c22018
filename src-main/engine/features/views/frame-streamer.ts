/**
 * Streams a view's intermediate pictures to the UI: at most one batch of frames per interval
 * (default 400 ms), read from the backend only when it will be sent, so watching costs nothing
 * between sends. Frames are quantized to uint8: they are previews; the result keeps float32.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { EngineFrame, JobReporter } from '../../engine-types';
import { IntervalGate } from '../../progress/interval-gate';

export class FrameStreamer {
  constructor(
    private readonly reporter: JobReporter,
    private readonly gate = new IntervalGate(400),
  ) {}

  /** True when a call to `send` now would go out (lets callers skip building frames). */
  due(): boolean {
    return this.reporter.frames !== undefined && this.gate.due();
  }

  /**
   * Sends images [N,H,W,C] in [0,1] as frames keyed `${prefix}/${n}` with the given captions,
   * if due (or `force`d, e.g. for the last step).
   */
  send(prefix: string, images: tf.Tensor4D, captions: readonly string[], force = false): void {
    if (this.reporter.frames === undefined || !this.gate.pass(force)) return;
    const [n, h, w, c] = images.shape;
    const values = images.dataSync();
    const size = h * w * c;
    const frames: EngineFrame[] = [];
    for (let i = 0; i < n; i++) {
      const data = new Uint8Array(size);
      for (let j = 0; j < size; j++) {
        data[j] = Math.round(Math.min(1, Math.max(0, values[i * size + j] ?? 0)) * 255);
      }
      frames.push({ key: `${prefix}/${i}`, caption: captions[i] ?? '', shape: [h, w, c], data });
    }
    this.reporter.frames(frames);
  }
}
