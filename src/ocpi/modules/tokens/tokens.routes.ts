import { Elysia, t } from 'elysia';
import { AuthorizationInfo, LocationReferences, Token, TokenPatch, TokenType } from '../../../model/ocpi/token.ts';
import { CiString } from '../../../model/ocpi/types.ts';
import { EmptyEnvelope, envelope, Envelope, OcpiErrorResponses } from '../../transport/envelope.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const tokensModule: OcpiModule = { identifier: 'tokens', role: 'RECEIVER' };

const TokenParams = t.Object({ country_code: CiString(2), party_id: CiString(3), token_uid: CiString(36) });
/** `type` defaults to RFID (OCPI 2.2.1 tokens): an APP_USER token needs ?type=APP_USER. */
const TypeQuery = t.Object({ type: t.Optional(TokenType) });

/** Tokens Receiver interface: eMSPs keep their driver tokens here for our whitelist. */
export function tokensRoutes(deps: OcpiDeps) {
  const { config, clock, partners, driverTokens } = deps;
  const address = (params: typeof TokenParams.static, query: typeof TypeQuery.static) => ({
    country_code: params.country_code,
    party_id: params.party_id,
    uid: params.token_uid,
    type: query.type ?? 'RFID',
  });
  return new Elysia({ name: 'ocpi.tokens', prefix: `${cpoBasePath}/tokens`, detail: { tags: ['OCPI tokens'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .get('/:country_code/:party_id/:token_uid', ({ partner, params, query }) => envelope(clock, driverTokens.get(partner, address(params, query))), {
      params: TokenParams,
      query: TypeQuery,
      response: { 200: Envelope(Token), 404: OcpiErrorResponses.unknownToken },
      detail: { summary: 'A token we hold for you' },
    })
    .put(
      '/:country_code/:party_id/:token_uid',
      ({ partner, params, query, body, set }) => {
        const { created } = driverTokens.put(partner, address(params, query), body);
        set.status = created ? 201 : 200;
        return envelope(clock, undefined);
      },
      { params: TokenParams, query: TypeQuery, body: Token, response: { 200: EmptyEnvelope, 201: EmptyEnvelope }, detail: { summary: 'Create or replace a token' } },
    )
    .patch(
      '/:country_code/:party_id/:token_uid',
      ({ partner, params, query, body }) => {
        driverTokens.patch(partner, address(params, query), body);
        return envelope(clock, undefined);
      },
      { params: TokenParams, query: TypeQuery, body: TokenPatch, response: { 200: EmptyEnvelope, 404: OcpiErrorResponses.unknownToken }, detail: { summary: 'Change given fields (last_updated required)' } },
    )
    .post(
      '/:token_uid/authorize',
      ({ partner, params, query, body }) => envelope(clock, driverTokens.authorize(partner, params.token_uid, query.type ?? 'RFID', (body ?? undefined) as LocationReferences | undefined)),
      {
        params: t.Object({ token_uid: CiString(36) }),
        query: TypeQuery,
        // MaybeEmpty, not Optional: with Optional, Elysia lets any body through unchecked (`true` arrives as `{}`).
        body: t.MaybeEmpty(LocationReferences, { examples: LocationReferences.examples }),
        response: { 200: Envelope(AuthorizationInfo), 404: OcpiErrorResponses.unknownTokenOrLocation },
        detail: {
          summary: 'Authorize one of your tokens (proprietary extension: in OCPI 2.2.1 authorization is asked of the eMSP)',
        },
      },
    );
}
