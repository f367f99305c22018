/**
 * The values that point at something, shared by every schema file of the contract: a row of the
 * project file (Id) and a file or folder on disk (FilePath). A leaf (zod only), like
 * number-schemas.ts, so that each domain's schemas can use them without importing one another.
 */
import { z } from 'zod';

/** A row id of the project file (a model, a dataset, a run, an artifact): a whole number ≥ 1. */
export const Id = z.number().int().positive();
/** A file or folder path as typed or picked; a blank one is refused. */
export const FilePath = z.string().trim().min(1, { message: 'a file path is required' });
