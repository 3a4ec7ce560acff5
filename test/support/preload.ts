// Loaded before every test file (bunfig.toml). Tests build their own Config; nothing leaks in from the shell.
import { afterAll } from 'bun:test';
import { dropTestDatabases } from './test-database.ts';

process.env.TZ = 'Europe/Amsterdam';
// On PostgreSQL (TEST_DATABASE_URL): the databases this test process made go when its files are done.
afterAll(dropTestDatabases);
