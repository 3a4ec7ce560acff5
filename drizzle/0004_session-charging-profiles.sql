CREATE TABLE `session_charging_profiles` (
	`ocpp_profile_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`profile` text,
	`accepted_at_ms` integer,
	`unit` text,
	`active` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_charging_profiles_session_idx` ON `session_charging_profiles` (`session_id`);