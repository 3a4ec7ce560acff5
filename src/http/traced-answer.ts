/**
 * What the protocol trace records as the answer of a request answered with finished bytes (a `Response`), which it
 * cannot read without copying them: the handler leaves a summary on the request's context, the trace's
 * after-response hook picks it up (src/ops/trace/trace-http.ts).
 */
const TRACED = Symbol('tracedAnswer');

export function traceAnswerAs(context: object, summary: unknown) {
  (context as { [TRACED]?: unknown })[TRACED] = summary;
}

export function tracedAnswerOf(context: object): unknown {
  return (context as { [TRACED]?: unknown })[TRACED];
}
