/**
 * The gallery (issue 5 §8): everything the features lab saved in the project, one item per
 * completed features run, with its note, for filtering by model, view and date.
 */
import { z } from 'zod';
import { Id } from './reference-schemas';

export const GalleryItem = z.object({
  runId: Id,
  name: z.string(),
  view: z.string(),
  modelIds: z.array(Id),
  datasetId: Id,
  /** When the run finished (ISO 8601). */
  finishedAt: z.string().nullable(),
  /** A picture that stands for the run (its first model's first result), or null. */
  thumbnail: z
    .object({
      artifactId: Id,
      display: z.enum(['image', 'heatmap']),
      baseArtifactId: Id.nullable(),
    })
    .nullable(),
  note: z.string(),
});
export type GalleryItem = z.infer<typeof GalleryItem>;

export const NoteUpdate = z
  .object({
    subjectKind: z.enum(['run', 'model', 'dataset']),
    subjectId: Id,
    /** Blank: the note is removed. */
    body: z.string().max(20_000, { message: 'a note holds at most 20,000 characters' }),
  })
  .strict();
export type NoteUpdate = z.infer<typeof NoteUpdate>;
