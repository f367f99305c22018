import type { CliCommand } from '../cli-session';

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: '--project FILE   (creates a project with the bundled MNIST)',
  opensProject: false,
  needsProject: true,
  async run(session) {
    const project = session.args.string('project') ?? '';
    session.args.rejectUnknown();
    const summary = session.workbench.projects.createDemo(project);
    session.result(summary, () => [`created ${summary.path} with the bundled MNIST dataset`]);
    return Promise.resolve(0);
  },
};
