/**
 * The project's test command: runs `bun test`, passes its output through, and ends with the one line CI reads,
 * `P passed, F failed, S skipped` (bun prints its own counts on stderr, in a form CI does not parse).
 */
export {};

const args = process.argv.slice(2);
const proc = Bun.spawn(['bun', 'test', '--timeout', '30000', ...args], { stdout: 'pipe', stderr: 'pipe', env: process.env });
let output = '';
const pump = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    output += text;
    sink.write(text);
  }
};
await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)]);
const code = await proc.exited;
const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm').exec(output)?.[1] ?? 0);
const passed = count('pass');
let failed = count('fail');
const skipped = count('skip') + count('todo');
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code);
