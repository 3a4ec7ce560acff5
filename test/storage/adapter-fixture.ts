/**
 * What a contract suite gets from the adapter under test: the port, the arrangements the port itself does not
 * offer (e.g. registering a charge point), and `close()`, which must leave nothing behind. Every test gets a fresh
 * adapter, so tests state one behaviour each and never depend on one another's rows.
 */
import { afterEach, beforeEach } from 'bun:test';

export interface AdapterUnderTest<T> {
  adapter: T;
  close(): void;
}

/** A fresh adapter for each test of the enclosing `describe`; read it with the returned function. */
export function freshPerTest<F extends { close(): void }>(make: () => F): () => F {
  let current: F | undefined;
  beforeEach(() => {
    current = make();
  });
  afterEach(() => {
    current?.close();
    current = undefined;
  });
  return () => current!;
}
