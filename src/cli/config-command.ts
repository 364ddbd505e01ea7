// `traider config show`: print the effective configuration after every layer.
import { Command, Option } from 'commander';
import { requireFile } from './paths.ts';

export function configCommand(io: { out: (s: string) => void }): Command {
  const config = new Command('config').description('inspect the layered configuration');
  config
    .command('show')
    .description('print the effective configuration: defaults < --config file < TRAIDER_* environment')
    .option('--config <file>', 'configuration file (JSON or YAML)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(async (flags: { config?: string; format: 'yaml' | 'json' }) => {
      if (flags.config !== undefined) requireFile('--config', flags.config);
      const { formatConfig, loadConfig } = await import('../app/config/index.ts');
      const effective = loadConfig({ file: flags.config, env: process.env });
      io.out(formatConfig(effective, flags.format));
    });
  return config;
}
