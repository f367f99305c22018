/**
 * A project (one .rfw file): its summary, the recent-projects list and the name a new one is given.
 * Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';

export const ProjectSummary = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  counts: z.object({
    datasets: z.number().int(),
    models: z.number().int(),
    runs: z.number().int(),
  }),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const RecentProject = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export type RecentProject = z.infer<typeof RecentProject>;

export const ProjectName = z
  .string()
  .trim()
  .min(1, { message: 'a project name is required' })
  .max(200, { message: 'a project name is at most 200 characters' });
