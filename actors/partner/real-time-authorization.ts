import { joinUrl } from '../../src/model/ocpi/endpoints.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { AuthorizationInfo, LocationReferences } from '../../src/model/ocpi/token.ts';
import { addresseeOf, endpointOf } from './partner-push.ts';
import type { Party, PartnerGateway } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

export type RealTimeAnswer = { answer: AuthorizationInfo; partnerId: string } | 'unknown' | 'unreachable';

/**
 * Asks eMSPs about a token presented at a charge point (OCPI 2.2.1: POST {tokens}/{uid}/authorize?type=, called by
 * the CPO): the token's owner when we know it, otherwise every registered eMSP with a tokens Sender endpoint, in
 * parallel. The first real answer wins; 2004 from everyone is 'unknown'; silence or errors are 'unreachable'.
 */
export class RealTimeAuthorization {
  constructor(
    private readonly deps: { partners: Partners; gateway: PartnerGateway; logger: Logger; timeoutMs: number },
  ) {}

  async ask(uid: string, type: string, where: LocationReferences | undefined, owner?: { country_code: string; party_id: string }): Promise<RealTimeAnswer> {
    const candidates = this.deps.partners
      .list()
      .filter((p) => p.status === 'registered' && endpointOf(p, 'tokens', 'SENDER') && (!owner || ownsRole(p, owner)));
    if (candidates.length === 0) return 'unreachable';
    const answers = await Promise.all(candidates.map((partner) => this.askOne(partner, uid, type, where, owner)));
    const found = answers.find((a): a is { answer: AuthorizationInfo; partnerId: string } => typeof a === 'object');
    if (found) return found;
    return answers.every((a) => a === 'unknown') ? 'unknown' : 'unreachable';
  }

  private async askOne(partner: PartnerView, uid: string, type: string, where: LocationReferences | undefined, owner: Party | undefined): Promise<RealTimeAnswer> {
    const url = joinUrl(endpointOf(partner, 'tokens', 'SENDER')!, `${encodeURIComponent(uid)}/authorize?type=${encodeURIComponent(type)}`);
    try {
      // Addressed to the token's owner when we know it, else to the partner's eMSP role.
      const answer = await this.deps.gateway.authorize(url, this.deps.partners.tokenFor(partner)!, addresseeOf(partner, owner), where, this.deps.timeoutMs);
      return answer === 'unknown' ? 'unknown' : { answer, partnerId: partner.id };
    } catch (error) {
      this.deps.logger.warn('Real-time authorization failed', { partnerId: partner.id, error: error as Error });
      return 'unreachable';
    }
  }
}

function ownsRole(partner: PartnerView, owner: { country_code: string; party_id: string }) {
  return partner.roles?.some((r) => r.country_code.toUpperCase() === owner.country_code.toUpperCase() && r.party_id.toUpperCase() === owner.party_id.toUpperCase()) ?? false;
}
