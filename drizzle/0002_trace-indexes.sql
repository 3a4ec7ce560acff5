DROP INDEX `protocol_trace_partner_idx`;--> statement-breakpoint
DROP INDEX `protocol_trace_session_idx`;--> statement-breakpoint
CREATE INDEX `protocol_trace_partner_idx` ON `protocol_trace` (`partner_id`,`at_ms`) WHERE partner_id is not null;--> statement-breakpoint
CREATE INDEX `protocol_trace_session_idx` ON `protocol_trace` (`session_id`,`at_ms`) WHERE session_id is not null;