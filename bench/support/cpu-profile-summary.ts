// Where a process spent its CPU: top self-time functions and code areas of a V8 `.cpuprofile` (node --cpu-prof).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

/** One line of the summary: self time share of all busy (non-idle) samples. */
export interface ProfileEntry {
  name: string;
  percent: number;
}

/** Where a profiled process spent its busy samples. */
export interface ProfileSummary {
  busySamples: number;
  topFunctions: ProfileEntry[];
  /** Self time by area: `src/<folder>`, an npm package, `node:internal`, or a V8 pseudo-frame such as (garbage collector). */
  areas: ProfileEntry[];
}

/** Which part of the code a frame belongs to. */
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /dist\/(src\/[^/]+)/.exec(url);
  if (own) return own[1] as string;
  return url.startsWith('node:') ? 'node:internal' : url;
}

function shortUrl(url: string): string {
  const own = /dist\/(src\/.+)$/.exec(url);
  if (own) return own[1] as string;
  const pkg = /node_modules\/(.+)$/.exec(url);
  return pkg ? (pkg[1] as string) : url;
}

/** Summarise a profile: `top` functions by self samples, and every area above 0.5 %. */
export function summariseCpuProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfByNode = new Map<number, number>();
  for (const id of profile.samples) selfByNode.set(id, (selfByNode.get(id) ?? 0) + 1);
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const samples = selfByNode.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (samples === 0 || functionName === '(idle)') continue;
    busy += samples;
    const key = url === '' ? functionName || '(anonymous)' : `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + samples);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + samples);
  }
  const ranked = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, samples]) => ({ name, percent: Math.round((samples / busy) * 1000) / 10 }));
  return { busySamples: busy, topFunctions: ranked(functions).slice(0, top), areas: ranked(areas).filter((entry) => entry.percent >= 0.5) };
}

/** The summary as text lines for stderr. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const lines = [`busy samples: ${summary.busySamples}`, 'self time by area:'];
  for (const area of summary.areas) lines.push(`  ${area.percent.toFixed(1).padStart(5)} %  ${area.name}`);
  lines.push('top self-time functions:');
  for (const fn of summary.topFunctions) lines.push(`  ${fn.percent.toFixed(1).padStart(5)} %  ${fn.name}`);
  return lines.join('\n');
}
