/** The outcome of authorizing a driver's token at a charge point, whoever decided it (whitelist, eMSP, command). */
import type { AuthMethod } from '../model/ocpi/session.ts';
import type { TariffType } from '../model/ocpi/tariff.ts';
import type { AuthorizationInfo, Token } from '../model/ocpi/token.ts';

export type Decision = AuthorizationInfo['allowed'] | 'UNKNOWN';

export interface Authorization {
  decision: Decision;
  token?: Token;
  authMethod: AuthMethod;
  authorizationReference?: string;
  /** Which of the connector's tariffs prices the session (AD_HOC_PAYMENT for guests paying by card). */
  tariffType?: TariffType;
}

