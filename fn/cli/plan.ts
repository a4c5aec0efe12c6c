import { PLAN_HELP } from './help';
import { CliError } from './io';
export async function planMain(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(PLAN_HELP), 0;
  throw new CliError('plan: not implemented yet');
}
