/**
 * What every iterative features-lab method (inversion, feature maximization, synthesis,
 * counterfactual edits, …) tells its caller while it runs. The job layer uses it to cancel, to
 * report progress and to stream intermediate images to the UI.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface FeatureStepHooks {
  /**
   * The cancel check, called before step t (t = 0..T−1). Throw (e.g. JobCancelledError) to stop;
   * the method then disposes everything it made and rethrows.
   */
  beforeStep?(step: number): void;
  /** After step t: the batch mean of the method's objective at the new point. */
  onStep?(step: number, value: number): void;
  /**
   * After step t: the current images [N,H,W,C] in [0,1]. The method disposes the tensor after the
   * call returns, so a hook that keeps the pixels must read them (dataSync) inside the call.
   * Called after every step; the caller decides how often it actually reads them.
   */
  onFrame?(step: number, images: tf.Tensor4D): void;
}
