import type { Durability } from '../../actors/system/group-commit.ts';

/**
 * Persist, then acknowledge, for HTTP: the response leaves only once the group commit holding what its handler
 * wrote is committed (actors/system/group-commit.ts). A request that wrote nothing in a turn with no open batch
 * is answered at once. If the commit failed, the change is not stored: the caller gets `failed`'s error instead.
 */
export function answerAfterCommit(handle: (request: Request) => Promise<Response>, durability: Durability, failed: (request: Request, error: unknown) => Response) {
  return async (request: Request): Promise<Response> => {
    const since = durability.mark();
    const response = await handle(request);
    const committed = durability.settled(since);
    if (!committed) return response;
    try {
      await committed;
      return response;
    } catch (error) {
      return failed(request, error);
    }
  };
}
