import type { AnyActor, AnyMachineSnapshot } from 'xstate';

/**
 * What the actor host stores for an actor: XState's persisted snapshot, built directly when the actor has no child
 * running and no history: the same object as `actor.getPersistedSnapshot()`, without its walk of the whole context
 * for actor references (about 5 % of a charge point's step). Our machines keep plain data in their context; an
 * actor they run (an invoked call, a delivery) is a child, and with a child the walk is XState's own.
 */
export function persistedSnapshot(actor: AnyActor): unknown {
  const snapshot = actor.getSnapshot() as AnyMachineSnapshot;
  if (!isEmpty(snapshot.children) || !isEmpty(snapshot.historyValue)) return actor.getPersistedSnapshot();
  const { status, output, error, value, context } = snapshot;
  // Absent rather than undefined: the same JSON, and JSON.stringify leaves its fast path for undefined members.
  const persisted: Record<string, unknown> = { status, value, historyValue: {}, context, children: {} };
  if (output !== undefined) persisted.output = output;
  if (error !== undefined) persisted.error = error;
  return persisted;
}

function isEmpty(record: object | undefined): boolean {
  for (const _ in record) return false;
  return true;
}
