import { spawnSync } from 'node:child_process';
import type { TemporalServerBuild } from './temporal-build';
import type { PrivatePostgres } from './private-postgres';

/** The server's SQL plugin for PostgreSQL 12 and later: the schema tool's and the server's `pluginName`. */
export const SQL_PLUGIN = 'postgres12';

/** The server's two databases, each with its folder of versioned schema steps. */
export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/** One run of temporal-sql-tool on one database; the connection comes from the environment (SQL_HOST …). */
export interface SchemaStep {
  database: string;
  args: readonly string[];
}

/**
 * Creates both databases and brings them to the server version's schema: `setup-schema -v 0.0`,
 * then `update-schema` with the schema built into the tool, as tools/sql/README.md of the server's
 * module describes. docker-compose.yml runs the same steps (test/deployment/docker-compose.spec.ts).
 */
export const SCHEMA_STEPS: readonly SchemaStep[] = (
  [
    [TEMPORAL_DATABASES.default, 'temporal'],
    [TEMPORAL_DATABASES.visibility, 'visibility'],
  ] as const
).flatMap(([database, schema]) => [
  { database, args: ['create-database'] },
  { database, args: ['setup-schema', '-v', '0.0'] },
  { database, args: ['update-schema', '--schema-name', `postgresql/v12/${schema}`] },
]);

/** Runs SCHEMA_STEPS against the private PostgreSQL. */
export function setUpTemporalSchemas(build: TemporalServerBuild, postgres: PrivatePostgres): void {
  // The tool reads its connection from these variables; the password in the environment is out of other users' `ps`.
  const connection = { SQL_PLUGIN, SQL_HOST: postgres.host, SQL_PORT: String(postgres.port), SQL_USER: postgres.user, SQL_PASSWORD: postgres.password };
  for (const { database, args } of SCHEMA_STEPS) {
    const result = spawnSync(build.sqlTool, ['--db', database, ...args], { env: { ...process.env, ...connection }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed:\n${result.stderr || result.stdout || result.error?.message}`);
  }
}
