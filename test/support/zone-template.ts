// Zone files with live values: fixture zones carry {{NAME}} placeholders (SRV ports) that tests fill in.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Placeholder name (without braces) → value. */
export type TemplateValues = Readonly<Record<string, string | number>>;

/** Replace every `{{NAME}}`; a placeholder without a value is an error, so a test never loads half a zone. */
export function renderZoneTemplate(text: string, values: TemplateValues, source = 'zone template'): string {
  return text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${source}: no value for placeholder {{${name}}}`);
    return String(value);
  });
}

/** Zone files written from templates. */
export interface RenderedZones {
  dir: string;
  /** Rendered files, in the order given, with their original base names. */
  files: string[];
  remove(): Promise<void>;
}

/** Render zone templates into a new temp dir (or `dir`), keeping their base names. */
export async function writeZoneFiles(templates: readonly string[], values: TemplateValues, dir?: string): Promise<RenderedZones> {
  const target = dir ?? (await mkdtemp(path.join(tmpdir(), 'zones-')));
  const files: string[] = [];
  for (const template of templates) {
    const file = path.join(target, path.basename(template));
    await writeFile(file, renderZoneTemplate(await readFile(template, 'utf8'), values, template));
    files.push(file);
  }
  return { dir: target, files, remove: () => rm(target, { recursive: true, force: true }) };
}
