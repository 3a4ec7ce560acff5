CREATE TABLE `protocol_trace` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at_ms` integer NOT NULL,
	`protocol` text NOT NULL,
	`direction` text NOT NULL,
	`charge_point_id` text,
	`partner_id` text,
	`session_id` text,
	`guest_session_id` text,
	`action` text NOT NULL,
	`message_id` text,
	`correlation_id` text,
	`status` text NOT NULL,
	`error_code` text,
	`http_status` integer,
	`ocpi_status` integer,
	`duration_ms` real,
	`method` text,
	`url` text,
	`payload` text
);
--> statement-breakpoint
CREATE INDEX `protocol_trace_at_idx` ON `protocol_trace` (`at_ms`);--> statement-breakpoint
CREATE INDEX `protocol_trace_charge_point_idx` ON `protocol_trace` (`charge_point_id`,`at_ms`);--> statement-breakpoint
CREATE INDEX `protocol_trace_partner_idx` ON `protocol_trace` (`partner_id`,`at_ms`);--> statement-breakpoint
CREATE INDEX `protocol_trace_session_idx` ON `protocol_trace` (`session_id`,`at_ms`);--> statement-breakpoint
CREATE INDEX `protocol_trace_guest_idx` ON `protocol_trace` (`guest_session_id`) WHERE guest_session_id is not null;