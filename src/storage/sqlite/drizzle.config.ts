import { defineConfig } from 'drizzle-kit';

// Paths resolve from the project root (drizzle-kit runs there through `bun run db:generate`).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/sqlite/schema/index.ts',
  out: './drizzle',
});
