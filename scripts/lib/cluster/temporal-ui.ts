import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnPrefixed, type Supervised } from '../processes';

export interface TemporalUiOptions {
  binary: string;
  /** A private folder: the UI server reads `<configDir>/config/cluster.yaml`. */
  configDir: string;
  temporalAddress: string;
  port: number;
  namespace: string;
  /** The project's codec endpoint, as the browser reaches it; the UI decodes payloads through it. */
  codecEndpoint?: string;
}

/**
 * Starts the Web UI server on 127.0.0.1:`port`. Its options are those of the module's
 * config/development.yaml that matter here; JSON is YAML. The codec is called with the browser's
 * cookies (`includeCredentials`), which is how the project's codec login works (docs/operations.md).
 */
export function startTemporalUi(options: TemporalUiOptions, output: (line: string) => void): Supervised {
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    ...(options.codecEndpoint === undefined ? {} : { codec: { endpoint: options.codecEndpoint, includeCredentials: true } }),
  };
  mkdirSync(join(options.configDir, 'config'), { recursive: true });
  writeFileSync(join(options.configDir, 'config/cluster.yaml'), JSON.stringify(config, null, 2));
  return spawnPrefixed('temporal-ui', options.binary, ['--root', options.configDir, '--env', 'cluster', 'start'], { output, ownProcessGroup: true });
}
