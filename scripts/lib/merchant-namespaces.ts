import { merchantPrefix } from '../../libs/config/src/merchants';

/**
 * The namespaces of the merchants MERCHANTS lists (MERCHANT_<NAME>_TEMPORAL_NAMESPACE), for the
 * scripts that create namespaces or register search attributes; the apps validate them in full.
 */
export function listedMerchantNamespaces(env: NodeJS.ProcessEnv): string[] {
  const names = (env.MERCHANTS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.flatMap((name) => env[`${merchantPrefix(name)}TEMPORAL_NAMESPACE`] || []);
}
