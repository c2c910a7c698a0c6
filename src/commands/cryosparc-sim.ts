/** `jobgraph cryosparc-sim`: runs the CryoSPARC stand-in (see cryosparc-sim/sim.ts) until SIGINT or SIGTERM. */
import { CryosparcSim, SIM_VERSION } from '../cryosparc-sim/sim.js';

export interface CryosparcSimCommandOptions {
  port: number;
  jobs: number;
  projects: number;
  seed: number;
  activity: boolean;
  activityMs: number;
  email: string;
  password: string;
  token?: string;
}

export async function runCryosparcSim(options: CryosparcSimCommandOptions): Promise<void> {
  const sim = new CryosparcSim(options);
  const { url } = await sim.start(options.port);
  const login = options.token ? `--cryosparc-token <the token you gave>` : `--cryosparc-email ${sim.email} --cryosparc-password <its password>`;
  process.stdout.write(
    `${JSON.stringify({ msg: 'CryoSPARC stand-in listening (not CryoSPARC: built from the public client\'s contract)', url, version: SIM_VERSION, jobs: options.jobs, projects: options.projects, activity: options.activity })}\n` +
      `follow it with: jobgraph serve --cryosparc ${url} ${login}\n`,
  );
  const shutdown = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
