CREATE TABLE `session_readings` (
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`at` text NOT NULL,
	`energy_kwh` text,
	`power_kw` text,
	`current_a` text,
	`charging` integer,
	PRIMARY KEY(`session_id`, `seq`)
);
--> statement-breakpoint
/*
 * Session machine version 1 kept each session's samples inside its snapshot; version 2 stores its meter history
 * here (src/domain/cdr/meter-history.ts). An open session's samples become its first entries, as `sample` rows in
 * time order, the start sample first; while it has no start register yet their energy is left out, so the
 * register that becomes its baseline lifts them as version 1 would have.
 */
INSERT INTO `session_readings` (`session_id`, `seq`, `kind`, `at`, `energy_kwh`, `power_kw`, `current_a`, `charging`)
SELECT s.`id`, j.`key` + 1, 'sample', json_extract(j.`value`, '$.at'),
  CASE WHEN json_extract(s.`snapshot`, '$.context.meterStartKnown') THEN json_extract(j.`value`, '$.energy_kwh') END,
  json_extract(j.`value`, '$.power_kw'), json_extract(j.`value`, '$.current_a'), json_extract(j.`value`, '$.charging')
FROM `sessions` s, json_each(s.`snapshot`, '$.context.samples') j
WHERE s.`machine_version` = 1 AND s.`status` IN ('pending', 'active');
--> statement-breakpoint
/*
 * The snapshots lose their samples and gain what version 2 keeps instead: the entries recorded, the highest register
 * (the latest sample's energy) and, once completed, the final register (the closing sample's energy).
 */
UPDATE `sessions` SET `machine_version` = 2, `snapshot` = CASE
  WHEN `status` IN ('pending', 'active') THEN json_set(json_remove(`snapshot`, '$.context.samples'),
    '$.context.recorded', json_array_length(`snapshot`, '$.context.samples'),
    '$.context.registerKwh', json_extract(`snapshot`, '$.context.samples[#-1].energy_kwh'))
  WHEN `status` = 'completed' THEN json_set(json_remove(`snapshot`, '$.context.samples'),
    '$.context.recorded', 0,
    '$.context.registerKwh', json_extract(`snapshot`, '$.context.samples[#-1].energy_kwh'),
    '$.context.finalKwh', json_extract(`snapshot`, '$.context.samples[#-1].energy_kwh'))
  ELSE json_set(json_remove(`snapshot`, '$.context.samples'),
    '$.context.recorded', 0,
    '$.context.registerKwh', json_extract(`snapshot`, '$.context.samples[#-1].energy_kwh'))
END
WHERE `machine_version` = 1;
