/** `rfw export`: a dataset (constructed ones included) as .npy arrays or PNG folders. */
import type { CliCommand } from '../cli-session';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: '--dataset ID --format npy|png --to DIR [--label-dtype int64|int32]',
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const request = {
      datasetId: args.number('dataset'),
      format: args.string('format', 'npy'),
      folder: args.string('to', ''),
      labelDtype: args.string('label-dtype', 'int64'),
    };
    args.rejectUnknown();
    const started = await session.call('datasets.export', request);
    const end = await session.followTask(started.taskId);
    session.result(end, () =>
      end.result
        ? [end.result.summary, ...end.result.notes.map((n) => `note: ${n}`)]
        : [`export ${end.state}`],
    );
    return end.state === 'completed' ? 0 : 1;
  },
};
