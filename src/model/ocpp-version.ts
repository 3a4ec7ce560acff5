/** The OCPP-J versions we speak, as WebSocket subprotocol names (OCPP-J 1.6 §3.1, OCPP 2.0.1 part 4 §3.1). */
export const OCPP_VERSIONS = ['ocpp2.0.1', 'ocpp1.6'] as const;
export type OcppVersion = (typeof OCPP_VERSIONS)[number];
