/**
 * What the protocol trace records as the answer of a request answered with finished bytes (a `Response`), which it
 * cannot read without copying them: the handler leaves a summary for the request, the trace's after-response hook
 * picks it up (src/ops/trace/trace-http.ts).
 */
const answers = new WeakMap<Request, unknown>();

export function traceAnswerAs(request: Request, summary: unknown) {
  answers.set(request, summary);
}

export function tracedAnswerOf(request: Request): unknown {
  return answers.get(request);
}
