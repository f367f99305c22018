/**
 * `rfw list`: what the project holds — datasets, models and runs, whoever made them (the UI or
 * the CLI) — so that a script can find the ids it needs.
 */
import { describeAccuracy } from '../../../common/proportion';
import type { CliCommand } from '../cli-session';

export const listCommand: CliCommand = {
  name: 'list',
  usage: '[--what datasets|models|runs]   (all three by default)',
  opensProject: true,
  readOnly: true,
  needsProject: true,
  async run(session) {
    const what = session.args.string('what');
    session.args.rejectUnknown();
    if (what !== undefined && !['datasets', 'models', 'runs'].includes(what)) {
      throw new Error(`--what must be datasets, models or runs (got ${what})`);
    }
    const wanted = (name: string) => what === undefined || what === name;
    // Every model's test accuracy is written with its n, its dataset's test split.
    const allDatasets = await session.call('datasets.list', {});
    const datasets = wanted('datasets') ? allDatasets : [];
    const testImages = (datasetId: number) =>
      allDatasets.find((d) => d.id === datasetId)?.split.test ?? 0;
    const models = wanted('models') ? await session.call('models.list', {}) : [];
    const runs = wanted('runs') ? await session.call('runs.list', {}) : [];
    session.result({ datasets, models, runs }, () => [
      ...(wanted('datasets') ? ['datasets:'] : []),
      ...datasets.map(
        (d) =>
          `  ${d.id}  ${d.name}  ${d.imageShape.join('×')}  ${d.split.train} train / ${d.split.test} test  ${d.classNames.length} classes`,
      ),
      ...(wanted('models') ? ['models:'] : []),
      ...models.map(
        (m) =>
          `  ${m.id}  ${m.name}  ${m.architecture}${m.robust ? ' (robust)' : ''}  dataset ${m.datasetId}  test accuracy ${describeAccuracy(m.testAccuracy, testImages(m.datasetId))}` +
          (m.problem === undefined ? '' : `  cannot be used: ${m.problem}`),
      ),
      ...(wanted('runs') ? ['runs:'] : []),
      ...runs.map((r) => `  ${r.id}  ${r.kind}  ${r.status}  ${r.name}`),
    ]);
    return 0;
  },
};
