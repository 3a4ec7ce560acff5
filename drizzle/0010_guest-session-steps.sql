CREATE TABLE `guest_session_steps` (
	`guest_id` text NOT NULL,
	`step` text NOT NULL,
	PRIMARY KEY(`guest_id`, `step`)
);
--> statement-breakpoint
CREATE INDEX `guest_sessions_created_idx` ON `guest_sessions` (`created_at_ms`);