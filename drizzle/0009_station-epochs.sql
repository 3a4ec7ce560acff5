CREATE TABLE `station_epochs` (
	`charge_point_id` text PRIMARY KEY NOT NULL,
	`epoch` integer NOT NULL
);
