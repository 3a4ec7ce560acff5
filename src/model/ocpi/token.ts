/** OCPI 2.2.1 Tokens module objects (digest 5.5). The eMSP owns Tokens; our CPO is the Receiver. */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { CiString, DateTime, DisplayText, Language, OcpiString, PatchOf, StringEnum } from './types.ts';
import * as S from './spec-examples.ts';

/** Part of a Token's identity: (country_code, party_id, uid, type); `?type=` defaults to RFID (pitfall 18). */
export const TokenType = StringEnum('TokenType', ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);
export type TokenType = Static<typeof TokenType>;

/** Decides between local (cached) and real-time authorization. */
export const WhitelistType = StringEnum('WhitelistType', ['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER']);
export type WhitelistType = Static<typeof WhitelistType>;

/** Driver's default charging preference; maps onto the PROFILE_* TariffTypes. */
export const ProfileType = StringEnum('ProfileType', ['CHEAP', 'FAST', 'GREEN', 'REGULAR']);
export type ProfileType = Static<typeof ProfileType>;

export const AllowedType = StringEnum('AllowedType', ['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED']);
export type AllowedType = Static<typeof AllowedType>;

/** The driver's own energy supplier contract. */
export const EnergyContract = t.Object(
  {
    supplier_name: OcpiString(64),
    contract_id: t.Optional(OcpiString(64)),
  },
  { title: 'EnergyContract', examples: [S.tokenExample2FullRfid.energy_contract] },
);
export type EnergyContract = Static<typeof EnergyContract>;

export const Token = t.Object(
  {
    country_code: CiString(2),
    party_id: CiString(3),
    /** RFID UID, or eMSP-generated for APP_USER/AD_HOC_USER; compared case-insensitively. */
    uid: CiString(36),
    type: TokenType,
    /** eMA-ID */
    contract_id: CiString(36),
    visual_number: t.Optional(OcpiString(64)),
    issuer: OcpiString(64),
    /** Spec allows 36, but OCPP 1.5/1.6 parentIdTag holds 20 (pitfall 26) — not enforced here. */
    group_id: t.Optional(CiString(36)),
    valid: t.Boolean(),
    whitelist: WhitelistType,
    /** ISO 639-1 */
    language: t.Optional(Language),
    default_profile_type: t.Optional(ProfileType),
    energy_contract: t.Optional(EnergyContract),
    last_updated: DateTime,
  },
  { title: 'Token', examples: [S.tokenExample2FullRfid, S.tokenExample1AppUser] },
);
export type Token = Static<typeof Token>;

/** PATCH on `{tokens}/{cc}/{pid}/{uid}[?type=]`, e.g. `{ valid: false, last_updated }` (4.5). */
export const TokenPatch = PatchOf(Token, 'TokenPatch', [S.tokenPatchExample]);
export type TokenPatch = Static<typeof TokenPatch>;

/** Body of the real-time authorization POST; in AuthorizationInfo only the EVSEs the driver may use. */
export const LocationReferences = t.Object(
  {
    location_id: CiString(36),
    evse_uids: t.Optional(t.Array(CiString(36))),
  },
  { title: 'LocationReferences', examples: [{ location_id: S.locationExample.id, evse_uids: [S.locationExample.evses[0]!.uid] }] },
);
export type LocationReferences = Static<typeof LocationReferences>;

/** `data` of the eMSP's answer to `POST {tokens}/{uid}/authorize[?type=]`. */
export const AuthorizationInfo = t.Object(
  {
    allowed: AllowedType,
    /** The complete Token object. */
    token: Token,
    location: t.Optional(LocationReferences),
    /** To be copied into the Session and CDR. */
    authorization_reference: t.Optional(CiString(36)),
    /** Message for the driver. */
    info: t.Optional(DisplayText),
  },
  { title: 'AuthorizationInfo', examples: [{ allowed: 'ALLOWED', token: S.tokenExample2FullRfid, location: { location_id: S.locationExample.id, evse_uids: [S.locationExample.evses[0]!.uid] } }] },
);
export type AuthorizationInfo = Static<typeof AuthorizationInfo>;
