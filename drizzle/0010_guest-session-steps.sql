CREATE TABLE `guest_session_steps` (
	`guest_id` text NOT NULL,
	`step` text NOT NULL,
	PRIMARY KEY(`guest_id`, `step`)
);
