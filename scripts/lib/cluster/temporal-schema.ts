import { spawnSync } from 'node:child_process';
import type { TemporalServerBuild } from './temporal-build';
import type { PrivatePostgres } from './private-postgres';

/** The server's two databases, each with its folder of versioned schema steps. */
export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * Creates both databases and brings them to the server version's schema: `setup-schema -v 0.0`,
 * then `update-schema` with the schema built into the tool, as tools/sql/README.md of the server's
 * module describes. The password goes in the environment, where other users' `ps` cannot see it.
 */
export function setUpTemporalSchemas(build: TemporalServerBuild, postgres: PrivatePostgres): void {
  const steps: [database: string, schema: string][] = [
    [TEMPORAL_DATABASES.default, 'temporal'],
    [TEMPORAL_DATABASES.visibility, 'visibility'],
  ];
  for (const [database, schema] of steps) {
    const tool = (...args: string[]) => runSqlTool(build.sqlTool, postgres, database, args);
    tool('create-database');
    tool('setup-schema', '-v', '0.0');
    tool('update-schema', '--schema-name', `postgresql/v12/${schema}`);
  }
}

function runSqlTool(sqlTool: string, postgres: PrivatePostgres, database: string, args: readonly string[]): void {
  const connection = ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user, '--db', database];
  const result = spawnSync(sqlTool, [...connection, ...args], { env: { ...process.env, SQL_PASSWORD: postgres.password }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed:\n${result.stderr || result.stdout || result.error?.message}`);
}
