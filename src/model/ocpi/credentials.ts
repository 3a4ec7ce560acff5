/** OCPI 2.2.1 Credentials module objects (digest 3.1). */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { BusinessDetails, CiString, Role, Url } from './types.ts';
import * as S from './spec-examples.ts';

/** A party identity hosted on the platform; role + party_id + country_code is unique per Credentials. */
export const CredentialsRole = t.Object(
  {
    role: Role,
    business_details: BusinessDetails,
    party_id: CiString(3),
    /** ISO 3166-1 alpha-2 */
    country_code: CiString(2),
  },
  { title: 'CredentialsRole', examples: [S.credentialsExample.roles[0]] },
);
export type CredentialsRole = Static<typeof CredentialsRole>;

export const Credentials = t.Object(
  {
    /** The token the other party must present to me; printable non-whitespace ASCII (U+0021..U+007E). */
    token: t.String({ maxLength: 64, minLength: 1, pattern: '^[\\x21-\\x7E]+$' }),
    /** My versions (version information) endpoint, not the 2.2.1 details URL. */
    url: Url,
    roles: t.Array(CredentialsRole, { minItems: 1 }),
  },
  { title: 'Credentials', examples: [S.credentialsExample] },
);
export type Credentials = Static<typeof Credentials>;
