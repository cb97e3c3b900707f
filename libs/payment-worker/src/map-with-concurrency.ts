/**
 * Runs `task` once per item with at most `limit` in flight; resolves with the results in order. The
 * callback worker's batches (deliverCallbacks) and the bench, drill and soak scripts' loads use it.
 */
export async function mapWithConcurrency<Item, Output>(items: readonly Item[], limit: number, task: (item: Item) => Promise<Output>): Promise<Output[]> {
  const results: Output[] = new Array<Output>(items.length);
  let nextIndex = 0;
  const lane = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await task(items[index] as Item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
