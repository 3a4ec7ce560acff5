import type { Db } from './db.ts';
import type { StationEpochs } from '../ports.ts';

export function stationEpochsRepo(db: Db): StationEpochs {
  const read = db.$client.prepare<{ e: number }, [string]>('SELECT epoch AS e FROM station_epochs WHERE charge_point_id = ?');
  // Epochs only grow: a claim that lost the race to a newer one leaves the newer one in place.
  const advance = db.$client.prepare<unknown, [string, number]>(
    'INSERT INTO station_epochs (charge_point_id, epoch) VALUES (?1, ?2) ON CONFLICT (charge_point_id) DO UPDATE SET epoch = excluded.epoch WHERE excluded.epoch > station_epochs.epoch',
  );
  return {
    current: (chargePointId) => read.get(chargePointId)?.e,
    advance: (chargePointId, epoch) => void advance.run(chargePointId, epoch),
  };
}
