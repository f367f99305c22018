/**
 * Keeps a few frames of an iterative edit for the result's slider: after steps t whose count
 * t + 1 is one of `frames` evenly spaced marks (the last step always among them), the current
 * images are read back with their L2 distance from the start. Used from a method's onFrame hook.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface PathFrame {
  /** Steps taken (0: the start). */
  steps: number;
  /** [N·H·W·C] pixels at that point. */
  pixels: Float32Array;
  /** ‖x − x⁰‖₂ per example. */
  distance: number[];
  /** Extra per-example figures measured at that point (activation, probabilities, …). */
  numbers: Record<string, number[]>;
}

export class PathRecorder {
  readonly frames: PathFrame[] = [];
  private readonly marks: Set<number>;

  constructor(
    private readonly start: tf.Tensor4D,
    totalSteps: number,
    frames: number,
    private readonly measure: (images: tf.Tensor4D) => Record<string, number[]> = () => ({}),
  ) {
    this.marks = new Set(
      Array.from({ length: frames - 1 }, (_, i) =>
        Math.round(((i + 1) * totalSteps) / (frames - 1)),
      ),
    );
    this.record(0, start);
  }

  /** Call from onFrame(t, images): records x^{t+1} when t + 1 is a mark. */
  onFrame(step: number, images: tf.Tensor4D): void {
    if (this.marks.has(step + 1)) this.record(step + 1, images);
  }

  private record(steps: number, images: tf.Tensor4D): void {
    const distance = tf.tidy(() =>
      Array.from(tf.sqrt(tf.sum(tf.square(tf.sub(images, this.start)), [1, 2, 3])).dataSync()),
    );
    this.frames.push({
      steps,
      pixels: Float32Array.from(images.dataSync()),
      distance,
      numbers: this.measure(images),
    });
  }
}
