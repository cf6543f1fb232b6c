import { isCalendarDay } from '../today';
import path from 'node:path';
// NOTE: per-function entry points: the package root loads all ~800 date-fns modules.
import { addYears } from 'date-fns/addYears';
import { format } from 'date-fns/format';
import { YamlEditor } from '../answers/edit';
import type { AssuranceLevel, Responsibility } from '../answers/schema';
import { writeFileAtomic } from '../fsx';
import { readTextFile } from '../fsx';
import fs from 'node:fs';
import { SCHEMA_DIR } from '../paths';
import type { Prompts } from './prompts';
import type { CatalogueItem } from '../catalogue';
import { slug as toSlug } from '../text/slug';

/**
 * The first line of a file srq creates: tells YAML-aware editors (VS Code's YAML extension and
 * others using yaml-language-server) which schema checks it, as a path relative to the file.
 */
export function schemaLine(file: string, schema: 'answers' | 'customer'): string {
  const target = path.join(SCHEMA_DIR, `${schema}.schema.json`);
  const rel = path.relative(path.dirname(file), target).split(path.sep).join('/');
  return `# yaml-language-server: $schema=${rel}\n`;
}

/** What every flow needs from outside: the prompts, the clock, and a save listener (tests). */
export interface FlowDeps {
  prompts: Prompts;
  now: () => Date;
  /** Called after every atomic save with what was saved (e.g. "answers.2.1"). */
  onSave?: (what: string) => void;
}

/** An answers (or customer) file open for editing: every `save` is atomic. */
export class EditSession {
  readonly editor: YamlEditor;
  readonly isNew: boolean;
  private readonly onSave: ((what: string) => void) | undefined;
  constructor(
    readonly file: string,
    readonly shown: string,
    {
      header,
      onSave,
    }: {
      /** The text a new file starts with. */
      header: string;
      /** Told of each save (`what` was saved). */
      onSave?: ((what: string) => void) | undefined;
    },
  ) {
    this.onSave = onSave;
    this.isNew = !fs.existsSync(file);
    const text = this.isNew ? header : readTextFile(file);
    // A file with Windows (CRLF) line endings keeps them: new lines are saved as CRLF too.
    this.crlf = text.includes('\r\n');
    this.editor = new YamlEditor(text, shown);
  }

  private readonly crlf: boolean;

  save(what: string): void {
    if (this.isNew) fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const text = this.crlf ? this.editor.text.replace(/\r?\n/g, '\r\n') : this.editor.text;
    writeFileAtomic(this.file, text, { replacesInput: true });
    this.onSave?.(what);
  }
}

export const ASSURANCE_HELP: Record<AssuranceLevel, string> = {
  'provider-assertion': 'you say so; nothing else backs it',
  'contractual-commitment': 'your contract with the customer commits you to it',
  'independent-validation': 'an independent body has checked it (e.g. ISO 27001 certification)',
  'independent-testing': 'independent testers have tested it (e.g. a penetration test)',
  'assured-design': 'an assurance scheme has assessed its design',
  'assured-components': 'it is built from components assured under a scheme',
};

export const RESPONSIBILITY_HELP: Record<Responsibility, string> = {
  provider: 'the provider does all of it; nothing for the customer',
  customer: 'the customer does all of it',
  shared: 'both have a part; say what the customer must do',
  'not-applicable': 'does not apply to this tier',
};

/** Today as the interviews stamp it: the local calendar day (src/today.ts). */
export { today } from '../today';

export function oneYearOn(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return format(addYears(new Date(y, m - 1, d), 1), 'yyyy-MM-dd');
}

/** Word-wraps prose for the terminal, keeping paragraphs. */
export function wrap(text: string, width = 78, indent = '  '): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((para) => {
      const words = para.split(/\s+/).filter(Boolean);
      const lines: string[] = [];
      let line = '';
      for (const w of words) {
        if (line && line.length + 1 + w.length > width - indent.length) {
          lines.push(line);
          line = w;
        } else line = line ? `${line} ${w}` : w;
      }
      if (line) lines.push(line);
      return lines.map((l) => indent + l).join('\n');
    })
    .join('\n\n');
}

/** "5 of 14 · 38%". */
export function progressLabel(position: number, total: number, fraction: number): string {
  return `${position} of ${total} · ${Math.round(fraction * 100)}%`;
}

export function itemHeading(item: CatalogueItem, parentTitle?: string): string {
  return parentTitle
    ? `${item.id} ${item.title} (part of ${item.parent} ${parentTitle})`
    : `${item.id} ${item.title}`;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
export function validDate(v: string): true | string {
  if (!ISO.test(v.trim())) return 'Use an ISO date, YYYY-MM-DD, e.g. 2027-03-31';
  return isCalendarDay(v.trim()) ? true : 'Not a real date';
}

export function validId(v: string): true | string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v.trim())
    ? true
    : 'Letters, digits, dot, dash and underscore only, e.g. fully-managed';
}

/** A readable id from a name: "ISO/IEC 27001:2022 certification" → "iso-iec-27001-2022-certification". */
export function slug(name: string): string {
  return toSlug(name, { maxLength: 40, fallback: 'item' });
}

export function optional(v: string): string | undefined {
  const t = v.trim();
  return t ? t : undefined;
}

/** Drops undefined fields so they are not written. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Bumps "3.0" to "3.1" (minor) or "4.0" (major); undefined when the version is not numeric. */
export function bumpVersion(version: string, kind: 'major' | 'minor'): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(version.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return kind === 'major' ? `${major + 1}.0` : `${major}.${minor + 1}`;
}
