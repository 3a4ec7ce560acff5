import { isHub, partyOf, sameParty, speaksFor, type Party } from '../../src/domain/parties.ts';
import { joinUrl } from '../../src/model/ocpi/endpoints.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { AuthorizationInfo, LocationReferences } from '../../src/model/ocpi/token.ts';
import type { TokenKey } from '../../src/storage/ports.ts';
import { endpointOf } from './partner-push.ts';
import type { PartnerGateway } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

export type RealTimeAnswer = { answer: AuthorizationInfo; partnerId: string } | 'unknown' | 'unreachable';

/** One question: to which connection, addressed to which party behind it (undefined: the hub routes it). */
type Question = { partner: PartnerView; to: Party | undefined };

/**
 * Asks eMSPs about a token presented at a charge point (OCPI 2.2.1: POST {tokens}/{uid}/authorize?type=, called by
 * the CPO). A token we hold goes to the connection that brought it, addressed to its party. A token we do not
 * know goes to every registered connection with a tokens Sender endpoint, in parallel: to each eMSP role of a
 * platform, and to a hub without OCPI-to-* (an open routing request: the hub finds the token's eMSP). The first
 * real answer wins — only for a token of a party that connection speaks for; 2004 from everyone is 'unknown';
 * silence or errors are 'unreachable'.
 */
export class RealTimeAuthorization {
  constructor(
    private readonly deps: { partners: Partners; gateway: PartnerGateway; logger: Logger; timeoutMs: number; holderOf: (token: TokenKey) => string | undefined },
  ) {}

  async ask(uid: string, type: string, where: LocationReferences | undefined, known?: TokenKey): Promise<RealTimeAnswer> {
    const questions = this.questions(known);
    if (questions.length === 0) return 'unreachable';
    const answers = await Promise.all(questions.map((q) => this.askOne(q, uid, type, where)));
    const found = answers.find((a): a is { answer: AuthorizationInfo; partnerId: string } => typeof a === 'object');
    if (found) return found;
    return answers.every((a) => a === 'unknown') ? 'unknown' : 'unreachable';
  }

  private questions(known: TokenKey | undefined): Question[] {
    const askable = this.deps.partners.list().filter((p) => p.status === 'registered' && endpointOf(p, 'tokens', 'SENDER'));
    if (known) {
      const holder = this.deps.holderOf(known);
      const owners = holder === undefined ? askable.filter((p) => p.roles?.some((r) => sameParty(r, known))) : askable.filter((p) => p.id === holder);
      return owners.map((partner) => ({ partner, to: partyOf(known) }));
    }
    return askable.flatMap((partner): Question[] => {
      const roles = partner.roles ?? [];
      const emsps = roles.filter((r) => r.role === 'EMSP');
      if (isHub(roles) || emsps.length === 0) return [{ partner, to: undefined }];
      return emsps.map((r) => ({ partner, to: partyOf(r) }));
    });
  }

  private async askOne({ partner, to }: Question, uid: string, type: string, where: LocationReferences | undefined): Promise<RealTimeAnswer> {
    const url = joinUrl(endpointOf(partner, 'tokens', 'SENDER')!, `${encodeURIComponent(uid)}/authorize?type=${encodeURIComponent(type)}`);
    try {
      const answer = await this.deps.gateway.authorize(url, this.deps.partners.tokenFor(partner)!, to, where, this.deps.timeoutMs);
      if (answer === 'unknown') return 'unknown';
      if (!speaksFor(partner.roles ?? [], answer.token)) {
        this.deps.logger.warn('Real-time authorization answered for a party the connection does not speak for', { partnerId: partner.id, party: partyOf(answer.token) });
        return 'unknown';
      }
      return { answer, partnerId: partner.id };
    } catch (error) {
      this.deps.logger.warn('Real-time authorization failed', { partnerId: partner.id, error: error as Error });
      return 'unreachable';
    }
  }
}
