/** The ids of bench stations, in seeding order (network-seed.ts writes them, the load generators use them). */
export const stationId = (i: number) => `CP-${String(i + 1).padStart(6, '0')}`;
