/**
 * CDRs Receiver (OCPI 2.2.1 cdrs, eMSP side): the CPO POSTs each final CDR once; we answer 201 with a `Location`
 * header where it can read our copy back. A second copy of the same CDR is stored too, and reported.
 */
import type { CDR } from '../../model/ocpi/cdr.ts';
import type { EmspContext } from './context.ts';
import { ok, problems } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { requireObject, requireStrings } from './validate.ts';

const CDR_FIELDS = [
  'country_code',
  'party_id',
  'id',
  'start_date_time',
  'end_date_time',
  'cdr_token',
  'auth_method',
  'cdr_location',
  'currency',
  'charging_periods',
  'total_cost',
  'total_energy',
  'total_time',
  'last_updated',
] as const;

export function cdrsRoutes(ctx: EmspContext): Route[] {
  const { cdrs } = ctx;
  return [
    {
      method: 'POST',
      path: `${MODULES_PATH}/cdrs`,
      access: 'functional',
      handle({ body }) {
        const cdr = requireObject<CDR>(body, 'CDR', CDR_FIELDS);
        requireStrings(cdr, 'CDR', ['country_code', 'party_id', 'id', 'currency', 'last_updated']);
        const { n, duplicate } = cdrs.receive(cdr);
        if (duplicate) ctx.emit('duplicate-cdr', `CDR ${cdr.id} arrived again (copy #${n}): it must be POSTed once`);
        else ctx.emit('cdr', `${cdr.id} for session ${cdr.session_id ?? '?'}: ${cdr.total_energy} kWh, ${cdr.total_cost?.incl_vat ?? cdr.total_cost?.excl_vat} ${cdr.currency}`);
        return ok(undefined, { status: duplicate ? 200 : 201, headers: { location: ctx.urls.cdr(n) } });
      },
    },
    {
      method: 'GET',
      path: `${MODULES_PATH}/cdrs/:n`,
      access: 'functional',
      handle({ params }) {
        const cdr = cdrs.byNumber(Number(params.n));
        if (!cdr) throw problems.notFound(`No CDR ${params.n} here`);
        return ok(cdr);
      },
    },
  ];
}
