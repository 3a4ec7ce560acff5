/**
 * The baseline of bench/restart.ts: a bare Bun server on PORT that answers HTTP with 200 and every OCPP CALL at
 * once — BootNotification with Accepted, anything else with `[3,id,{}]` — with no storage and no state. What a
 * restart and a reconnect storm cost on this machine before any work of ours.
 */
const server = Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  fetch(request, server) {
    if (request.headers.get('upgrade') !== 'websocket') return new Response('ok');
    // Same subprotocol handling as the gateway (stack gotcha 7), so clients see the same handshake.
    if (server.upgrade(request, { data: undefined, headers: { 'sec-websocket-protocol': 'ocpp1.6' } })) return undefined;
    return new Response('Expected a WebSocket upgrade', { status: 426 });
  },
  websocket: {
    maxPayloadLength: 1024 * 1024,
    idleTimeout: 60,
    message(ws, message) {
      const [, id, action] = JSON.parse(String(message)) as [number, string, string];
      const payload = action === 'BootNotification' ? { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 } : {};
      ws.send(JSON.stringify([3, id, payload]));
    },
  },
});
process.on('SIGTERM', () => {
  server.stop(true);
  process.exit(0);
});
