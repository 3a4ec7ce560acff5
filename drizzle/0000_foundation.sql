CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_idx` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `cdrs` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`session_id` text NOT NULL,
	`token_country_code` text NOT NULL,
	`token_party_id` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cdrs_id_idx` ON `cdrs` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cdrs_session_idx` ON `cdrs` (`session_id`);--> statement-breakpoint
CREATE INDEX `cdrs_owner_idx` ON `cdrs` (`token_country_code`,`token_party_id`,`last_updated_ms`);--> statement-breakpoint
CREATE TABLE `charge_points` (
	`id` text PRIMARY KEY NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`machine_version` integer,
	`snapshot` text
);
--> statement-breakpoint
CREATE TABLE `commands` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`charge_point_id` text,
	`ocpp_evse_id` integer,
	`ocpp_id_tag` text,
	`created_at_ms` integer NOT NULL,
	`deadline_ms` integer NOT NULL,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `commands_open_idx` ON `commands` (`result`,`deadline_ms`);--> statement-breakpoint
CREATE INDEX `commands_start_idx` ON `commands` (`charge_point_id`,`ocpp_id_tag`);--> statement-breakpoint
CREATE TABLE `credentials_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`revoked_at` text,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `credentials_tokens_partner_idx` ON `credentials_tokens` (`partner_id`);--> statement-breakpoint
CREATE TABLE `evses` (
	`uid_key` text PRIMARY KEY NOT NULL,
	`location_key` text NOT NULL,
	`charge_point_id` text,
	`ocpp_evse_id` integer,
	FOREIGN KEY (`location_key`) REFERENCES `locations`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `evses_location_idx` ON `evses` (`location_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `evses_ocpp_idx` ON `evses` (`charge_point_id`,`ocpp_evse_id`);--> statement-breakpoint
CREATE TABLE `guest_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`id_tag` text NOT NULL,
	`machine_version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guest_sessions_id_tag_idx` ON `guest_sessions` (`id_tag`);--> statement-breakpoint
CREATE TABLE `integration_request_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`by` text NOT NULL,
	`by_key_id` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `integration_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `integration_request_events_request_idx` ON `integration_request_events` (`request_id`,`seq`);--> statement-breakpoint
CREATE TABLE `integration_requests` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`integration_type` text NOT NULL,
	`partner_name` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_requests_id_idx` ON `integration_requests` (`id`);--> statement-breakpoint
CREATE INDEX `integration_requests_status_idx` ON `integration_requests` (`status`,`seq`);--> statement-breakpoint
CREATE TABLE `locations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`published` integer NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `locations_key_idx` ON `locations` (`key`);--> statement-breakpoint
CREATE INDEX `locations_last_updated_idx` ON `locations` (`last_updated_ms`,`seq`);--> statement-breakpoint
CREATE TABLE `ocpp16_transactions` (
	`transaction_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charge_point_id` text NOT NULL,
	`connector_id` integer NOT NULL,
	`id_tag` text NOT NULL,
	`timestamp` text NOT NULL,
	`meter_start` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocpp16_transactions_start_idx` ON `ocpp16_transactions` (`charge_point_id`,`connector_id`,`id_tag`,`timestamp`,`meter_start`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`object_key` text NOT NULL,
	`method` text NOT NULL,
	`module` text,
	`path` text NOT NULL,
	`body` text,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at_ms` integer NOT NULL,
	`next_attempt_at_ms` integer NOT NULL,
	`last_error` text,
	`delivered_at_ms` integer,
	`response_location` text
);
--> statement-breakpoint
CREATE INDEX `outbox_channel_status_idx` ON `outbox` (`channel`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_object_idx` ON `outbox` (`channel`,`object_key`,`id`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`machine_version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `remote_starts` (
	`remote_start_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`command_id` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reservations` (
	`reservation_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner_id` text NOT NULL,
	`emsp_reservation_id` text NOT NULL,
	`charge_point_id` text NOT NULL,
	`ocpp_evse_id` integer NOT NULL,
	`response_url` text NOT NULL,
	`expiry_ms` integer NOT NULL,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_emsp_idx` ON `reservations` (`partner_id`,`emsp_reservation_id`);--> statement-breakpoint
CREATE INDEX `reservations_expiry_idx` ON `reservations` (`status`,`expiry_ms`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`charge_point_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`ocpp_evse_id` integer NOT NULL,
	`token_country_code` text NOT NULL,
	`token_party_id` text NOT NULL,
	`status` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`machine_version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`body` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_id_idx` ON `sessions` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_transaction_idx` ON `sessions` (`charge_point_id`,`transaction_id`);--> statement-breakpoint
CREATE INDEX `sessions_owner_idx` ON `sessions` (`token_country_code`,`token_party_id`,`last_updated_ms`);--> statement-breakpoint
CREATE INDEX `sessions_running_idx` ON `sessions` (`charge_point_id`,`ocpp_evse_id`,`status`);--> statement-breakpoint
CREATE TABLE `tariffs` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tariffs_key_idx` ON `tariffs` (`key`);--> statement-breakpoint
CREATE INDEX `tariffs_last_updated_idx` ON `tariffs` (`last_updated_ms`,`seq`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner_id` text NOT NULL,
	`country_code` text NOT NULL,
	`party_id` text NOT NULL,
	`uid_key` text NOT NULL,
	`type` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_identity_idx` ON `tokens` (`country_code`,`party_id`,`uid_key`,`type`);--> statement-breakpoint
CREATE INDEX `tokens_uid_idx` ON `tokens` (`uid_key`,`type`);--> statement-breakpoint
CREATE TABLE `transaction_events` (
	`charge_point_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`seq_no` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_events_idx` ON `transaction_events` (`charge_point_id`,`transaction_id`,`seq_no`);