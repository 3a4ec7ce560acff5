/**
 * A stand-in for api.stripe.com inside a test: records every request exactly as the `stripe` package sent it
 * (method, path, headers, form body) and answers from a script, in Stripe's JSON shapes.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  /** The raw form-encoded body. */
  body: string;
  form: URLSearchParams;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Responder = (req: RecordedRequest) => FakeResponse;

export function startFakeStripe() {
  const requests: RecordedRequest[] = [];
  const queue: Responder[] = [];
  let fallback: Responder = (req) => ({
    status: 404,
    body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.path})` } },
  });
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const body = await request.text();
      const recorded: RecordedRequest = {
        method: request.method,
        path: new URL(request.url).pathname,
        headers: request.headers,
        body,
        form: new URLSearchParams(body),
      };
      requests.push(recorded);
      const answer = (queue.shift() ?? fallback)(recorded);
      return Response.json(answer.body, {
        status: answer.status,
        headers: { 'request-id': `req_fake${requests.length}`, ...answer.headers },
      });
    },
  });
  return {
    port: server.port as number,
    requests,
    /** Answers the next request(s) in order; after the queue, the fallback. */
    respond(...responders: Responder[]) {
      queue.push(...responders);
    },
    setFallback(responder: Responder) {
      fallback = responder;
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    stop: () => server.stop(true),
  };
}

export type FakeStripe = ReturnType<typeof startFakeStripe>;

/** A PaymentIntent as Stripe returns it (the fields the adapter reads, and a few around them). */
export function paymentIntent(fields: Record<string, unknown> = {}) {
  return {
    id: 'pi_3QfakeHoldAbc123',
    object: 'payment_intent',
    amount: 5000,
    amount_capturable: 5000,
    amount_received: 0,
    capture_method: 'manual',
    confirmation_method: 'automatic',
    currency: 'eur',
    livemode: false,
    payment_method: 'pm_1QfakeCardVisa',
    status: 'requires_capture',
    last_payment_error: null,
    latest_charge: {
      id: 'ch_3QfakeCharge',
      object: 'charge',
      amount: 5000,
      amount_captured: 0,
      captured: false,
      currency: 'eur',
      status: 'succeeded',
      payment_method_details: {
        type: 'card',
        card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, funding: 'credit', country: 'US' },
      },
    },
    ...fields,
  };
}

/** Stripe's card_error body (HTTP 402). */
export function cardError(fields: { code: string; decline_code?: string; message: string }) {
  return {
    status: 402,
    body: {
      error: {
        type: 'card_error',
        charge: 'ch_3QfakeDeclined',
        doc_url: `https://stripe.com/docs/error-codes/${fields.code.replaceAll('_', '-')}`,
        request_log_url: 'https://dashboard.stripe.com/test/logs/req_fake',
        payment_intent: paymentIntent({
          id: 'pi_3QfakeDeclined',
          status: 'requires_payment_method',
          amount_capturable: 0,
          latest_charge: 'ch_3QfakeDeclined',
        }),
        ...fields,
      },
    },
  } satisfies FakeResponse;
}
