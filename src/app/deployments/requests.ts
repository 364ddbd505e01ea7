// The requests that change deployments, as zod schemas: the server validates bodies with them (every problem listed)
// and publishes them in its OpenAPI document; the use-cases take their parsed values.
import { z } from 'zod';

export const DEPLOYMENT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const name = z.string().regex(DEPLOYMENT_NAME, 'must be 1-63 lowercase letters, digits or "-", starting with a letter or digit');
const parameters = z.record(z.string(), z.unknown());
/** Names the target of a state-changing request: it must equal the deployment's name. */
const confirm = z.string().describe('the name of the deployment this request changes, typed again');

export const createDeploymentSchema = z.strictObject({
  name,
  strategy: z.string().min(1).describe('a built-in strategy name or the path of a strategy file on the server'),
  params: parameters.optional().describe('strategy parameters'),
  symbols: z.array(z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, 'must look like BASE/QUOTE')).min(1).max(20),
  exchange: z.string().regex(/^[a-z0-9]+$/, 'must be a ccxt exchange id'),
  url: z.url({ protocol: /^https?$/ }).optional().describe("the venue's base URL (the local exchange); default: the exchange's own"),
  credentials: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable prefix in capitals')
    .optional()
    .describe('where the keys are: the environment variables <credentials>_API_KEY and <credentials>_API_SECRET; default TRAIDER_<EXCHANGE>'),
  capital: z.number().positive().max(1e12).optional().describe('paper: starting cash in the quote currency (default 10000)'),
  timeframe: z.enum(['1m', '5m', '15m', '1h']).optional(),
  limits: parameters.optional().describe('risk configuration overrides (the `risk` section of the configuration)'),
  mode: z.enum(['PAPER', 'LIVE_MINIMAL']).optional().describe('default PAPER; LIVE_MINIMAL needs the admin role and confirmLive'),
  confirmLive: z.boolean().optional(),
  confirm,
});
export type CreateDeploymentRequest = z.infer<typeof createDeploymentSchema>;

export const editDeploymentSchema = z.strictObject({
  params: parameters.optional(),
  limits: parameters.optional(),
  capital: z.number().positive().max(1e12).optional(),
  confirm,
});
export type EditDeploymentRequest = z.infer<typeof editDeploymentSchema>;

export const confirmSchema = z.strictObject({ confirm });

const emergencyFields = {
  flatten: z.boolean().optional().describe('close every position at market (default true); false keeps them'),
  reason: z.string().max(500).optional().describe('why, for the audit log'),
};

export const emergencyStopSchema = z.strictObject({ confirm, ...emergencyFields });
export type EmergencyStopRequest = z.infer<typeof emergencyStopSchema>;

export const killAllSchema = z.strictObject({ confirm: z.string().describe('"ALL", typed out: this stops every deployment'), ...emergencyFields });
export type KillAllRequest = z.infer<typeof killAllSchema>;
