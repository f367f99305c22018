/**
 * Images per attack batch: attacks, evaluations and the experiments that attack go through their
 * images in batches of at most this many, each seeded by its global index, and a job split over
 * workers is cut at batch boundaries (jobs/job-shards.ts). 64 rather than 128: per-example speed
 * on wasm is the same, and a 128-image attack then splits into two shards that two engine workers
 * run in parallel. Pure (no tensors): the core plans shards with it on the main thread.
 */
export const ATTACK_BATCH = 64;
