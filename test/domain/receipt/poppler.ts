/**
 * Runs Debian poppler-utils (pdftotext, pdftoppm) on PDF bytes: an independent PDF reader that proves the
 * receipt parses, carries extractable text, and renders. CI installs poppler-utils; a missing tool fails loudly.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function run(command: string[]): Promise<{ stdout: Uint8Array; stderr: string }> {
  if (!Bun.which(command[0]!)) {
    throw new Error(`${command[0]} not found: install poppler-utils (apt-get install -y poppler-utils)`);
  }
  const proc = Bun.spawn(command, { stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).bytes(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${command.join(' ')} exited ${code}: ${stderr}`);
  return { stdout, stderr };
}

/** Runs `use` with the PDF written to a fresh temporary directory, which is removed afterwards. */
async function withPdfFile<T>(pdf: Uint8Array, use: (dir: string, file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'receipt-'));
  try {
    const file = join(dir, 'receipt.pdf');
    await Bun.write(file, pdf);
    return await use(dir, file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of the PDF as pdftotext sees it (UTF-8); `layout` keeps each table row on one line. */
export function pdfToText(pdf: Uint8Array, options: { layout?: boolean } = {}): Promise<string> {
  return withPdfFile(pdf, async (_dir, file) => {
    const args = ['pdftotext', '-enc', 'UTF-8', ...(options.layout ? ['-layout'] : []), file, '-'];
    const { stdout, stderr } = await run(args);
    if (stderr.trim() !== '') throw new Error(`pdftotext complained: ${stderr}`);
    return new TextDecoder().decode(stdout);
  });
}

export interface WordBox {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its bounding box in points (pdftotext -bbox), plus each page's size. */
export function pdfWordBoxes(pdf: Uint8Array): Promise<{ pages: { width: number; height: number }[]; words: WordBox[] }> {
  return withPdfFile(pdf, async (_dir, file) => {
    const { stdout } = await run(['pdftotext', '-enc', 'UTF-8', '-bbox', file, '-']);
    const html = new TextDecoder().decode(stdout);
    const pages: { width: number; height: number }[] = [];
    const words: WordBox[] = [];
    const unescape = (s: string) =>
      s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    for (const match of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      if (match[1] !== undefined) {
        pages.push({ width: Number(match[1]), height: Number(match[2]) });
        continue;
      }
      words.push({
        text: unescape(match[7]!),
        page: pages.length,
        xMin: Number(match[3]),
        yMin: Number(match[4]),
        xMax: Number(match[5]),
        yMax: Number(match[6]),
      });
    }
    return { pages, words };
  });
}

/** Renders each page to PNG at `dpi` (pdftoppm -png -r), returning the images in page order. */
export function pdfToPngs(pdf: Uint8Array, dpi = 80): Promise<Uint8Array[]> {
  return withPdfFile(pdf, async (dir, file) => {
    await run(['pdftoppm', '-png', '-r', String(dpi), file, join(dir, 'page')]);
    const names = (await Array.fromAsync(new Bun.Glob('page-*.png').scan(dir))).sort();
    return Promise.all(names.map(async (name) => new Uint8Array(await readFile(join(dir, name)))));
  });
}

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, i) => png[i] === byte)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
