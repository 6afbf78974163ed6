import DataLoader from 'dataloader';

const loaders = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

/**
 * A DataLoader for one kind of load, per operation context: the loads that resolvers of one
 * execution level make in the same tick become one query. Caching is off: a subscription keeps its
 * context for every event, and each event must see the rows as they are now.
 */
export function loaderOf<V>(ctx: object, name: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  let byName = loaders.get(ctx);
  if (!byName) loaders.set(ctx, (byName = new Map()));
  let loader = byName.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>(batch, { cache: false, maxBatchSize: 10_000 });
    byName.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}

/** For batch functions: the rows grouped under each key, in the order of `keys` (empty when none). */
export function groupedBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
