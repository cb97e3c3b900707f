import { Connection } from '@temporalio/client';
import { listedMerchantNamespaces } from './lib/merchant-namespaces';
import { temporal } from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { searchAttributes } from '../libs/contracts/src/search-attributes';
import { env, loadConfig, runOrExplain, temporalConnectionOptions, temporalConnectionVariables, type TemporalConnectionOptions } from '../libs/config/src';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** The server's name for each SDK search attribute type. */
const INDEXED_TYPES: Readonly<Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the project's custom search attributes in a namespace, skipping those already there,
 * so it can run on every deployment (`npm run start:cluster` runs it before the apps start;
 * docker compose does the same with the Temporal CLI). The dev server registers them itself
 * through `--search-attribute`.
 */
export async function registerSearchAttributes(connectionOptions: TemporalConnectionOptions, namespace: string): Promise<string[]> {
  const connection = await Connection.connect(connectionOptions);
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(searchAttributes).filter((key) => existing.customAttributes[key.name] === undefined);
    if (missing.length > 0) await addSearchAttributes(connection, namespace, missing);
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}

/**
 * Adds search attributes to a namespace without listing them first: the time-skipping test
 * server answers ListSearchAttributes with UNIMPLEMENTED but takes AddSearchAttributes.
 */
export async function addSearchAttributes(connection: Connection, namespace: string, keys: readonly { name: string; type: SearchAttributeType }[]): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((key) => [key.name, INDEXED_TYPES[key.type]])),
  });
}

if (require.main === module) {
  runOrExplain(async () => {
    const config = loadConfig({ ...temporalConnectionVariables, TEMPORAL_NAMESPACE: env.text('default') });
    // Every merchant's namespace: the first one's, and those MERCHANTS lists.
    for (const namespace of [config.TEMPORAL_NAMESPACE, ...listedMerchantNamespaces(process.env)]) {
      const added = await registerSearchAttributes(temporalConnectionOptions(config), namespace).catch((error: unknown) => {
        console.error(`cannot register search attributes at ${config.TEMPORAL_ADDRESS}:`, error instanceof Error ? error.message : error);
        process.exit(1);
      });
      console.log(added.length === 0 ? `search attributes already registered in "${namespace}"` : `registered ${added.join(', ')} in "${namespace}"`);
    }
  });
}
