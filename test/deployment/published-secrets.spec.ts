import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '@app/config';
import { loadApiConfig } from '../../apps/api/src/api-config';
import { loadSimulatorConfig } from '../../apps/simulator/src/simulator-config';
import { loadWorkerConfig } from '../../apps/worker/src/worker-config';
import { repoRoot } from '../../scripts/lib/paths';

/** Every app reads its secrets through the shared loadConfig; this pins that each one refuses the published ones. */
describe(".env.example's secrets under NODE_ENV=production", () => {
  const exampleText = readFileSync(join(repoRoot, '.env.example'), 'utf8');
  const example = parseEnv(exampleText);

  /** The variables a failed load names as holding a published secret, or [] when it loads. */
  const namedBy = (load: () => unknown): string[] => {
    try {
      load();
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Production also wants settings .env.example leaves empty (METRICS_TOKEN): not this test's concern.
      return error.problems.filter((problem) => problem.includes('published in .env.example')).map((problem) => problem.split(' ')[0]!);
    }
  };

  it.each<[string, string[], (environment: NodeJS.ProcessEnv) => unknown]>([
    ['API', ['API_TOKENS', 'OPERATOR_TOKENS', 'CODEC_SESSION_SECRET', 'UPSTREAM_ACCESS_TOKEN', 'PAYLOAD_ENCRYPTION_KEYS', 'MERCADOPAGO_WEBHOOK_SECRET'], loadApiConfig],
    ['worker', ['UPSTREAM_ACCESS_TOKEN', 'PAYLOAD_ENCRYPTION_KEYS'], loadWorkerConfig],
    ['simulator', ['SIMULATOR_ACCESS_TOKENS', 'SIMULATOR_WEBHOOK_SECRETS'], loadSimulatorConfig],
  ])('stop the %s, naming %j, and only in production', (_app, names, load) => {
    expect(namedBy(() => load({ ...example, NODE_ENV: 'production' })).sort()).toEqual([...names].sort());
    expect(namedBy(() => load(example))).toEqual([]);
  });
});
