/** Asks the workbench to cancel a running job; a refusal is shown like any failed action. */
import type { WorkbenchApi } from '@common/contract';
import type { ErrorState } from './error-state.svelte';
import type { JobView } from './jobs-state.svelte';

export async function cancelJob(
  api: WorkbenchApi,
  job: JobView | undefined,
  errors: ErrorState,
  action: string,
): Promise<void> {
  if (!job) return;
  try {
    await api.call('jobs.cancel', { jobId: job.jobId });
  } catch (error) {
    errors.report(action, error);
  }
}
