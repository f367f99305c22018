/**
 * `rfw`, the command line: the same core and the same contract validation as the UI, for
 * scripted and reproducible runs that write to the project file the UI opens (and the UI's runs
 * are there for the CLI). `rfw help` lists the commands and their options; every command takes
 * --project FILE, and --json to print its result as one JSON document.
 */
import { readEnvironmentSettings } from '../../common/environment-settings';
import { Workbench } from '../../core/workbench';
import { describeOwner } from '../../db/lock-record';
import { appVersion } from '../app-version';
import { workbenchOptions } from '../workbench-options';
import { CliArguments } from './cli-arguments';
import type { CliCommand } from './cli-session';
import { CliSession } from './cli-session';
import { attackCommand } from './commands/attack-command';
import { benchCommand } from './commands/bench-command';
import { demoCommand } from './commands/demo-command';
import { evalCommand } from './commands/eval-command';
import { experimentCommand } from './commands/experiment-command';
import { featuresCommand } from './commands/features-command';
import { exportCommand } from './commands/export-command';
import { importCommand } from './commands/import-command';
import { listCommand } from './commands/list-command';
import { trainCommand } from './commands/train-command';

const commands: readonly CliCommand[] = [
  demoCommand,
  listCommand,
  importCommand,
  exportCommand,
  trainCommand,
  attackCommand,
  evalCommand,
  experimentCommand,
  featuresCommand,
  benchCommand,
];

function usage(): string {
  return [
    'usage: rfw COMMAND --project FILE [options] [--json]   (bench takes no project)',
    ...commands.map((command) => `  rfw ${command.name} ${command.usage}`),
  ].join('\n');
}

async function run(command: CliCommand, session: CliSession): Promise<number> {
  if (command.needsProject) {
    const project = session.args.string('project');
    if (!project) throw new Error('--project FILE is required');
    if (command.opensProject && command.readOnly) {
      const { sharedWith } = session.workbench.projects.openForReading(project);
      if (sharedWith !== null) {
        // One line on stderr, so that --json output stays one document.
        console.error(
          `opened read-only: ${project} is open in ${describeOwner(sharedWith)}; nothing is written to it`,
        );
      }
    } else if (command.opensProject) {
      await session.call('projects.open', { path: project });
    }
  }
  return command.run(session);
}

async function main(): Promise<void> {
  // Read once, first: a bad RFW_* value stops every command, help included, with its name.
  const settings = readEnvironmentSettings(process.env);
  const argv = process.argv.slice(2);
  const [name = 'help'] = argv;
  if (name === 'help' || name === '--help') {
    console.log(usage());
    return;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new Error(`unknown command "${name}"\n${usage()}`);
  const rest = argv.slice(1);
  const firstOption = rest.findIndex((token) => token.startsWith('--'));
  const words = firstOption < 0 ? rest : rest.slice(0, firstOption);
  const options = firstOption < 0 ? [] : rest.slice(firstOption);
  const workbench = new Workbench(workbenchOptions('cli', __dirname, settings, appVersion));
  let code: number;
  try {
    const args = command.needsProject ? new CliArguments(options) : new CliArguments([]);
    code = await run(command, new CliSession(workbench, args, words, options));
  } finally {
    await workbench.dispose();
  }
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
