/** Calls from the simulated eMSP to the CPO ({@link ocpiExchange}), answered in the shape its flows read. */
import { ocpiExchange, type OcpiAnswer } from '../../ocpi/client/ocpi-exchange.ts';

export interface CpoRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  token: string;
  body?: unknown;
  /** Routing headers and the like. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface CpoReply {
  httpStatus: number;
  /** OCPI status_code, when the body was an envelope. */
  statusCode: number | undefined;
  message: string;
  data: unknown;
  headers: Headers;
}

export class CpoCallError extends Error {
  constructor(
    message: string,
    readonly reply?: CpoReply,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** One exchange. Rejects only when no HTTP answer came (network error, timeout); any answer is returned. */
export async function callCpo(request: CpoRequest): Promise<CpoReply> {
  let answer: OcpiAnswer;
  try {
    answer = await ocpiExchange({ ...request, timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  } catch (error) {
    throw new CpoCallError(`${request.method} ${request.url}: ${(error as Error).message}`);
  }
  const { response, envelope, code, message } = answer;
  return { httpStatus: response.status, statusCode: code, message, data: envelope?.data, headers: response.headers };
}

/** A 2xx whose envelope says 1xxx; `data` is never required (spec: responders may leave it out). */
export function succeeded(reply: CpoReply): boolean {
  return reply.httpStatus >= 200 && reply.httpStatus < 300 && reply.statusCode !== undefined && reply.statusCode >= 1000 && reply.statusCode < 2000;
}

export function describeReply(request: Pick<CpoRequest, 'method' | 'url'>, reply: CpoReply): string {
  return `${request.method} ${request.url}: HTTP ${reply.httpStatus}, OCPI ${reply.statusCode ?? 'no envelope'} ${reply.message}`.trim();
}

/** `data` of a successful exchange, or a CpoCallError saying what the CPO answered instead. */
export async function requireData(request: CpoRequest): Promise<unknown> {
  const reply = await callCpo(request);
  if (!succeeded(reply)) throw new CpoCallError(describeReply(request, reply), reply);
  return reply.data;
}
