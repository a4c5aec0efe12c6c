import { IMPORT_HELP } from './help';
import { CliError } from './io';
export async function importMain(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(IMPORT_HELP), 0;
  throw new CliError('import: not implemented yet');
}
