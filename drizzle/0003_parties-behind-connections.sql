ALTER TABLE `commands` ADD `to_country_code` text;--> statement-breakpoint
ALTER TABLE `commands` ADD `to_party_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `to_country_code` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `to_party_id` text;