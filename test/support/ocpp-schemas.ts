/**
 * The official OCPP JSON schemas shipped by ocpp-rpc, read as files. A JSON `import` of them would make Bun hand
 * ocpp-rpc's own later `require` of the same file a module object, which breaks every strict station client in
 * the same test process (src/ocpp/rpc/schema-validation.ts reads them the same way).
 */
import { readFileSync } from 'node:fs';

const read = (file: string) => JSON.parse(readFileSync(Bun.resolveSync(`ocpp-rpc/lib/schemas/${file}`, import.meta.dir), 'utf8')) as { $id: string }[];

export const ocpp16Schemas = read('ocpp1_6.json');
export const ocpp201Schemas = read('ocpp2_0_1.json');
