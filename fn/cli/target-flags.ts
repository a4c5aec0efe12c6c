// `--target` and `--provider-config`: which manifest shape `render` writes (the rules are the same).
import { TARGET_NAMES, type TargetName, type TargetOptions } from '../core';
import { CliError } from './io';

export const TARGET_OPTIONS = {
  target: { type: 'string' },
  'provider-config': { type: 'string' },
} as const;

const short = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** `--target upbound --provider-config ProviderConfig/gcp` -> TargetOptions; errors name the flag and value. */
export function targetOptions(flags: { target?: string; 'provider-config'?: string }): TargetOptions {
  const target = flags.target ?? 'configconnector';
  if (!(TARGET_NAMES as readonly string[]).includes(target)) {
    throw new CliError(`--target ${short(target)}: expected one of ${TARGET_NAMES.join(', ')}`);
  }
  const ref = flags['provider-config'];
  if (ref === undefined) return { target: target as TargetName };
  if (target !== 'upbound') throw new CliError('--provider-config applies to --target upbound only');
  const m = /^(ProviderConfig|ClusterProviderConfig)\/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/.exec(ref);
  if (!m) throw new CliError(`--provider-config ${short(ref)}: expected ProviderConfig/NAME or ClusterProviderConfig/NAME`);
  return { target: 'upbound', providerConfigRef: { kind: m[1] as 'ProviderConfig' | 'ClusterProviderConfig', name: m[2]! } };
}
