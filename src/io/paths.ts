/** XDG locations for configuration, secrets and run journals. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR = 'beacon-quickstart';

export function configDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, APP_DIR);
}

export function stateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, APP_DIR);
}
