// A map with nested scopes: a region's pass sees everything its enclosing regions know, and what it
// adds stays in its own scope. Entering a scope costs O(1), not a copy of everything known so far
// (copying made a function of n sequential ifs cost O(n²)).
export class ScopedMap<K, V> {
  private readonly own = new Map<K, V>();

  constructor(private readonly parent?: ScopedMap<K, V>) {}

  get(key: K): V | undefined {
    return this.own.has(key) ? this.own.get(key) : this.parent?.get(key);
  }

  set(key: K, value: V): this {
    this.own.set(key, value);
    return this;
  }

  /** A nested scope that reads through to this one. */
  child(): ScopedMap<K, V> {
    return new ScopedMap(this);
  }

  /** What was set in this scope itself. */
  ownEntries(): IterableIterator<[K, V]> {
    return this.own.entries();
  }
}
