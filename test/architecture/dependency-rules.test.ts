/** The architecture as a test: an import that crosses a layer the wrong way fails CI, naming the file and the rule. */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { importsOf, violation, type Import } from '../support/dependency-rules.ts';

const root = join(import.meta.dir, '../..');

describe('dependency rules', () => {
  test('no import in src/ or actors/ breaks a rule', () => {
    const broken = importsOf(root, ['src', 'actors'])
      .map((i) => ({ ...i, rule: violation(i) }))
      .filter((i) => i.rule !== undefined)
      .map((i) => `${i.from} → ${i.to}: ${i.rule}`);
    expect(broken).toEqual([]);
  });

  const check = (from: string, to: string, typeOnly = false): string | undefined => violation({ from, to, typeOnly } satisfies Import);

  test('an actor importing a SQLite module, an adapter or drizzle is refused', () => {
    expect(check('actors/session/sessions.ts', 'src/storage/sqlite/sessions.repo.ts', true)).toBeDefined();
    expect(check('actors/charge-point/charge-points.ts', 'src/ocpp/ocpp-gateway.ts', true)).toBeDefined();
    expect(check('actors/partner/deliveries.ts', 'drizzle-orm')).toBeDefined();
    expect(check('actors/session/sessions.ts', 'src/storage/ports.ts', true)).toBeUndefined();
    expect(check('actors/session/sessions.ts', 'src/domain/cdr/session-view.ts')).toBeUndefined();
  });

  test('an adapter taking an actor class instead of the actor system is refused', () => {
    expect(check('src/ocpp/handlers/handler-deps.ts', 'actors/charge-point/charge-points.ts')).toBeDefined();
    expect(check('src/ocpp/handlers/handler-deps.ts', 'actors/charge-point/charge-points.ts', true)).toBeUndefined();
    expect(check('src/app.ts', 'actors/system/actor-system.ts')).toBeUndefined();
    expect(check('src/api/guest-sessions.routes.ts', 'actors/guest/guest-error.ts')).toBeUndefined();
  });

  test('the domain stays pure and the model self-contained', () => {
    expect(check('src/domain/tariff/tariff-engine.ts', 'xstate')).toBeDefined();
    expect(check('src/domain/tariff/tariff-engine.ts', 'src/storage/ports.ts', true)).toBeDefined();
    expect(check('src/model/ocpi/cdr.ts', 'src/domain/money.ts')).toBeDefined();
    expect(check('src/domain/receipt/receipt-pdf.ts', 'pdf-lib')).toBeUndefined();
  });
});
