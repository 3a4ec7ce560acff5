/**
 * The layering rules of the code base, checked from the import statements themselves: adapters → actor system →
 * domain, model and ports; storage adapters implement ports; domain and model import nothing above them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export interface Import {
  /** Importing file, relative to the repository root. */
  from: string;
  /** Resolved target (a repository path) or a package name. */
  to: string;
  typeOnly: boolean;
}

const ADAPTERS = ['src/ocpp/', 'src/ocpi/', 'src/api/', 'src/dev/', 'src/sim/', 'src/ops/', 'src/http/', 'src/charging-network/'];
/** Modules the whole code base may lean on. */
const SHARED = ['src/model/', 'src/domain/', 'src/lib/'];
/** Ports: interfaces an adapter implements and actors depend on. */
const isPort = (path: string) => path === 'src/storage/ports.ts' || path.endsWith('.ports.ts');
const INFRASTRUCTURE_PACKAGES = ['elysia', 'xstate', 'drizzle-orm', 'bun:sqlite', 'redis', 'pg', 'bun'];

/** Every `import … from '…'` / `export … from '…'` of the TypeScript files under `dirs`. */
export function importsOf(root: string, dirs: string[]): Import[] {
  const files = dirs.flatMap((dir) => walk(join(root, dir))).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const from = relative(root, file);
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => {
      const spec = m[3]!;
      const to = spec.startsWith('.') ? normalize(join(dirname(from), spec)) : spec;
      return { from, to, typeOnly: Boolean(m[2]) };
    });
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const under = (path: string, prefixes: string[]) => prefixes.some((p) => path.startsWith(p));

/** The rule an import breaks, or undefined when it is allowed. */
export function violation({ from, to, typeOnly }: Import): string | undefined {
  const pkg = !to.startsWith('src/') && !to.startsWith('actors/') && !to.startsWith('test/') && !to.startsWith('bench/');
  if (from.startsWith('src/domain/')) {
    if (pkg && INFRASTRUCTURE_PACKAGES.includes(to)) return 'the domain is pure: no framework, actor library, database or Bun I/O';
    // lib/clock.ts: the Clock port and the OCPI DateTime format, both pure.
    if (!pkg && !under(to, ['src/domain/', 'src/model/']) && to !== 'src/lib/clock.ts') return 'the domain imports only the domain, the model and the clock';
  }
  if (from.startsWith('src/model/') && !pkg && !under(to, ['src/model/'])) return 'the model imports only the model';
  if (from.startsWith('actors/')) {
    if (pkg && ['elysia', 'drizzle-orm', 'bun:sqlite', 'redis', 'pg'].includes(to)) return 'actors reach storage and HTTP only through ports';
    if (!pkg && to.startsWith('src/') && !under(to, SHARED) && !isPort(to)) return 'actors import only the model, the domain, lib and ports';
  }
  if (under(from, ADAPTERS) && to.startsWith('actors/')) {
    // Types describe what an adapter reads (views, events); values — classes to construct or call — come from the system.
    const allowed = typeOnly || to.startsWith('actors/system/') || /-error\.ts$/.test(to);
    if (!allowed) return 'adapters reach actors through the actor system (values), or name their types';
  }
  if (under(from, ADAPTERS) && to.startsWith('src/storage/sqlite/')) {
    if (!typeOnly) return 'adapters use storage through the composition root, not SQLite modules';
  }
  if (from.startsWith('src/storage/') && to.startsWith('actors/')) return 'storage implements ports; it does not know actors';
  return undefined;
}
