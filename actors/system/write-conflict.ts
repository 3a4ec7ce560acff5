/** Tries of one event against the actor as last stored, when another node's write came between read and save. */
export const CONFLICT_ATTEMPTS = 5;

/** Another node kept writing the actor while this one applied an event to it (see HostPolicy.versioned). */
export class ActorWriteConflict extends Error {
  constructor(id: string) {
    super(`Actor ${id} was changed by another node at the same time, ${CONFLICT_ATTEMPTS} times in a row; try again`);
  }
}

/** A compare-and-set save found another version stored (HostPolicy.versioned): the step rolls back, `send` tries again. */
export class StaleCopy extends Error {
  constructor(id: string) {
    super(`Actor ${id} was saved by another node since it was read`);
  }
}
