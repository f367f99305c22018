/**
 * @tensorflow/tfjs-layers, loaded on first use and without side effects on the engine.
 *
 * Its Node bundle registers ALL of tfjs-core's default gradients when it loads, replacing the
 * engine's own for the same kernels (tfjs' registerGradient overwrites): Conv2D, BatchMatMul and
 * MaxPool would silently lose the backward paths the engine chose for its kernels (see
 * ../../gradients). So the library is required lazily, and right after loading, every kernel the
 * engine has a gradient for gets back the gradient it had before (or the engine's own where it
 * had none yet). The other defaults stay: imported models may need them (FusedBatchNorm,
 * AvgPool, Sigmoid, …) and nothing in the engine registers those.
 *
 * createRequire works both under vitest (ES modules) and in the CommonJS bundle in out/main;
 * the package stays external, as every dependency of the main build does.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { engineGradients } from '../../gradients/register-gradients';

export type LayersLibrary = typeof tfl;

let library: LayersLibrary | null = null;

export function layersLibrary(): LayersLibrary {
  if (library !== null) return library;
  const before = engineGradients.map((config) => tf.getGradient(config.kernelName));
  const load = createRequire(import.meta.url);
  const loaded = load('@tensorflow/tfjs-layers') as LayersLibrary;
  engineGradients.forEach((config, i) => tf.registerGradient(before[i] ?? config));
  library = loaded;
  return loaded;
}
