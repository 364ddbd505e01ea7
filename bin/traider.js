#!/usr/bin/env node
// Entry point of the `traider` command: loads the TypeScript sources through tsx, then runs the CLI.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
// After tsx, so these run first: 'traider' means this package, and user strategy files are ES modules.
registerHooks('./module-hooks.js', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
