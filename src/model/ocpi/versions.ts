/** OCPI Versions module objects (digest 2.1–2.2). */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { StringEnum, Url } from './types.ts';
import * as S from './spec-examples.ts';

/** 2.1 and 2.2 are deprecated but still appear in partners' version lists. */
export const VersionNumber = StringEnum('VersionNumber', ['2.0', '2.1', '2.1.1', '2.2', '2.2.1']);
export type VersionNumber = Static<typeof VersionNumber>;

/** SENDER = data owner's interface (the other side pulls); RECEIVER = the owner pushes to it. */
export const InterfaceRole = StringEnum('InterfaceRole', ['SENDER', 'RECEIVER']);
export type InterfaceRole = Static<typeof InterfaceRole>;

export const StandardModuleID = StringEnum('StandardModuleID', [
  'cdrs',
  'chargingprofiles',
  'commands',
  'credentials',
  'hubclientinfo',
  'locations',
  'sessions',
  'tariffs',
  'tokens',
]);
export type StandardModuleID = Static<typeof StandardModuleID>;

/**
 * Custom modules are allowed (prefixed, e.g. `nltnm-tokens`, only towards partners that agreed),
 * so any other non-empty printable ASCII id is accepted too; the standard ids are listed for docs.
 */
export const ModuleID = t.Union([StandardModuleID, t.String({ minLength: 1, pattern: '^[\\x21-\\x7E]+$' })], {
  title: 'ModuleID',
});
export type ModuleID = Static<typeof ModuleID>;

export const Version = t.Object(
  {
    version: VersionNumber,
    /** That version's details endpoint. */
    url: Url,
  },
  { title: 'Version', examples: [S.versionsInfoExample[1]] },
);
export type Version = Static<typeof Version>;

/** For `credentials` the role is meaningless: publish SENDER, ignore partners' value (pitfall 16). */
export const Endpoint = t.Object(
  {
    identifier: ModuleID,
    role: InterfaceRole,
    /** Absolute URL of the module endpoint. */
    url: Url,
  },
  { title: 'Endpoint', examples: [S.versionDetailsExample.endpoints[1]] },
);
export type Endpoint = Static<typeof Endpoint>;

export const VersionDetails = t.Object(
  {
    version: VersionNumber,
    endpoints: t.Array(Endpoint, { minItems: 1 }),
  },
  { title: 'VersionDetails', examples: [S.versionDetailsExample] },
);
export type VersionDetails = Static<typeof VersionDetails>;
