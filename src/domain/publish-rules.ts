import type { Location, PublishTokenType } from '../model/ocpi/location.ts';
import type { Token } from '../model/ocpi/token.ts';
import { idKey } from '../model/ocpi/ci-string.ts';

/**
 * PublishTokenType rules the schema cannot express (OCPI 2.2.1 Locations, PublishTokenType): at least one of
 * uid / visual_number / group_id; `type` with `uid`; `issuer` with `visual_number`; and the list only when
 * `publish` is false. Returns the first problem, naming the field.
 */
export function publishProblem(location: Pick<Location, 'publish' | 'publish_allowed_to'>): string | undefined {
  const entries = location.publish_allowed_to ?? [];
  if (location.publish && entries.length > 0) return 'publish_allowed_to is only allowed when publish is false';
  return entries.map(entryProblem).map((p, i) => p && `publish_allowed_to/${i}: ${p}`).find(Boolean);
}

function entryProblem(entry: PublishTokenType): string | undefined {
  if (entry.uid === undefined && entry.visual_number === undefined && entry.group_id === undefined)
    return 'needs at least one of uid, visual_number or group_id';
  if (entry.uid !== undefined && entry.type === undefined) return 'type is required when uid is set';
  if (entry.visual_number !== undefined && entry.issuer === undefined) return 'issuer is required when visual_number is set';
  return undefined;
}

/**
 * Whether a token matches a publish_allowed_to entry: every field the entry sets is the token's (uid and group_id
 * are CiStrings). The same test as the SQL of src/storage/sqlite/tokens.repo.ts `holdersMatching`.
 */
export function tokenMatchesEntry(entry: PublishTokenType, token: Pick<Token, 'uid' | 'type' | 'visual_number' | 'issuer' | 'group_id'>): boolean {
  return (
    (entry.uid === undefined || idKey(entry.uid) === idKey(token.uid)) &&
    (entry.type === undefined || entry.type === token.type) &&
    (entry.visual_number === undefined || entry.visual_number === token.visual_number) &&
    (entry.issuer === undefined || entry.issuer === token.issuer) &&
    (entry.group_id === undefined || (token.group_id !== undefined && idKey(entry.group_id) === idKey(token.group_id)))
  );
}

/** Hours rules beyond the schema: regular_hours only (and then at least one) when not 24/7. */
export function hoursProblem(location: Pick<Location, 'opening_times'>): string | undefined {
  const hours = location.opening_times;
  if (!hours) return undefined;
  const regular = hours.regular_hours ?? [];
  if (hours.twentyfourseven && regular.length > 0) return 'opening_times/regular_hours is only allowed when twentyfourseven is false';
  if (!hours.twentyfourseven && regular.length === 0) return 'opening_times/regular_hours needs at least one entry when twentyfourseven is false';
  const bad = regular.findIndex((r) => r.period_end <= r.period_begin && r.period_end !== '00:00');
  return bad >= 0 ? `opening_times/regular_hours/${bad}: period_end must be later than period_begin` : undefined;
}
