DROP INDEX `locations_last_updated_idx`;--> statement-breakpoint
CREATE INDEX `locations_unpublished_idx` ON `locations` (`seq`) WHERE "locations"."published" = 0;--> statement-breakpoint
DROP INDEX `tariffs_last_updated_idx`;--> statement-breakpoint
DROP INDEX `cdrs_owner_idx`;--> statement-breakpoint
CREATE INDEX `cdrs_owner_idx` ON `cdrs` (`token_country_code`,`token_party_id`);--> statement-breakpoint
DROP INDEX `sessions_owner_idx`;--> statement-breakpoint
CREATE INDEX `sessions_owner_idx` ON `sessions` (`token_country_code`,`token_party_id`);