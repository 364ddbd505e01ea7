// The environment a deployment's venue reads: its named credentials under the names the CCXT venue looks for.
import { credentialVariables } from '../../adapters/ccxt/index.ts';
import type { DeploymentRecord } from '../../common/index.ts';

export function venueEnv(deployment: DeploymentRecord, env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string | undefined>> {
  if (deployment.credentials === null) return env;
  const wanted = credentialVariables(deployment.exchange);
  return { ...env, [wanted.key]: env[`${deployment.credentials}_API_KEY`], [wanted.secret]: env[`${deployment.credentials}_API_SECRET`] };
}
