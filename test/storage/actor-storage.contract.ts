/**
 * ActorStorage.transact: an accepted event commits the actor's snapshot together with the rows that go with it
 * (the rendered Session, a CDR, outbox rows) — all or nothing — before anyone is answered
 * (actors/system/actor-host.ts: "persist, then acknowledge"). Transactions nest: an actor persisting inside a
 * caller's transaction joins it.
 */
import { describe, expect, test } from 'bun:test';
import type { ActorStorage } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aCdr, aDelivery, aSession, aSessionSnapshot, T0 } from './mothers.ts';

const at = new Date(T0);

export function describeActorStorageContract(name: string, makeAdapter: () => AdapterUnderTest<ActorStorage>) {
  describe(`ActorStorage transactions contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const storage = () => fixture().adapter;
    /** What a completing session commits: snapshot, Session, CDR and the pushes to its eMSP. */
    const completeSession = (id: string) => {
      storage().sessions.snapshots.save(id, 1, aSessionSnapshot({ id, state: 'completed' }), at);
      storage().sessions.saveView(id, aSession(id));
      storage().sessions.insertCdr(aCdr(`cdr-${id}`, id));
      storage().outbox.enqueue(aDelivery('emsp-1', `session:${id}`), T0);
      storage().outbox.enqueue(aDelivery('emsp-1', `cdr:${id}`, { method: 'POST', module: 'cdrs' }), T0);
    };
    const committed = (id: string) => ({
      snapshot: storage().sessions.snapshots.load(id) !== undefined,
      view: storage().sessions.viewOf(id) !== undefined,
      cdr: storage().sessions.cdrOf(id) !== undefined,
      pushes: storage().outbox.list('emsp-1', ['pending'], 100).filter((d) => d.objectKey.endsWith(`:${id}`)).length,
    });
    const all = { snapshot: true, view: true, cdr: true, pushes: 2 };
    const none = { snapshot: false, view: false, cdr: false, pushes: 0 };

    test('what a transaction writes is there once it returns, and it returns what its function returned', () => {
      expect(storage().transact(() => (completeSession('s-1'), 'done'))).toBe('done');
      expect(committed('s-1')).toEqual(all);
    });

    test('a transaction that throws writes nothing, and its error reaches the caller', () => {
      const failure = new Error('render failed');
      expect(() =>
        storage().transact(() => {
          completeSession('s-1');
          throw failure;
        }),
      ).toThrow(failure);
      expect(committed('s-1')).toEqual(none);
      expect(storage().outbox.channelsWithPending()).toEqual([]);
    });

    test('a failing actor write undoes the writes before it in the same transaction', () => {
      // A charge point's snapshot is refused for an unregistered station; the outbox row made first goes too.
      expect(() =>
        storage().transact(() => {
          storage().outbox.enqueue(aDelivery('emsp-1', 'evse:CP-9'), T0);
          storage().chargePoints.snapshots.save('CP-9', 1, { value: 'online' }, at);
        }),
      ).toThrow();
      expect(storage().outbox.channelsWithPending()).toEqual([]);
    });

    test('a nested transaction commits with the one around it', () => {
      storage().transact(() => {
        storage().partnerSnapshots.save('emsp-1', 1, { value: 'registered' }, at);
        storage().transact(() => completeSession('s-1'));
      });
      expect(committed('s-1')).toEqual(all);
      expect(storage().partnerSnapshots.ids()).toEqual(['emsp-1']);
    });

    test('a nested transaction that fails, caught by the one around it, undoes only its own writes', () => {
      storage().transact(() => {
        completeSession('s-1');
        try {
          storage().transact(() => {
            completeSession('s-2');
            throw new Error('inner failure');
          });
        } catch {
          // The caller decides to go on without the inner part.
        }
      });
      expect(committed('s-1')).toEqual(all);
      expect(committed('s-2')).toEqual(none);
    });

    test('when the outer transaction fails, the nested one that succeeded is undone with it', () => {
      expect(() =>
        storage().transact(() => {
          storage().transact(() => completeSession('s-1'));
          throw new Error('outer failure');
        }),
      ).toThrow('outer failure');
      expect(committed('s-1')).toEqual(none);
    });
  });
}
