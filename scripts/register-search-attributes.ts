import { Connection } from '@temporalio/client';
import { listedMerchantNamespaces } from './lib/merchant-namespaces';
import { temporal } from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { searchAttributes } from '../libs/contracts/src/search-attributes';

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
 * so it can run on every deployment (docker compose runs it before the apps start). The dev
 * server registers them itself through `--search-attribute`.
 */
export async function registerSearchAttributes(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
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
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  // Every merchant's namespace: the first one's, and those MERCHANTS lists.
  const namespaces = [process.env.TEMPORAL_NAMESPACE || 'default', ...listedMerchantNamespaces(process.env)];
  void (async () => {
    for (const namespace of namespaces) {
      const added = await registerSearchAttributes(address, namespace);
      console.log(added.length === 0 ? `search attributes already registered in "${namespace}"` : `registered ${added.join(', ')} in "${namespace}"`);
    }
  })().catch((error: unknown) => {
    console.error(`cannot register search attributes at ${address}:`, error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
