import type { Config } from '../config.ts';
import type { Credentials } from '../model/ocpi/credentials.ts';

/** Our Credentials object (OCPI 2.2.1 credentials) carrying the token a partner is to use with us. */
export function ourCredentials(config: Config) {
  return (token: string): Credentials => ({
    token,
    url: `${config.publicUrl}/ocpi/versions`,
    roles: [
      {
        role: 'CPO',
        country_code: config.cpo.countryCode,
        party_id: config.cpo.partyId,
        business_details: { name: config.cpo.name, ...(config.cpo.website ? { website: config.cpo.website } : {}) },
      },
    ],
  });
}
