import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from '../answers/read';
import { EXIT, formatDiagnostic, UsageError } from '../errors';
import { entryPath, readRegister, sha256File, type RegisterEntry } from '../register';
import { textTable } from '../status/format';
import type { CliContext } from './context';

interface Options {
  json?: boolean;
  register?: string;
  affectedBy?: string;
  format?: string;
  output?: string;
}

type FileState = 'ok' | 'missing' | 'changed';

function fileState(registerFile: string, e: RegisterEntry): FileState {
  const abs = entryPath(registerFile, e.file);
  if (!fs.existsSync(abs)) return 'missing';
  try {
    return sha256File(abs) === e.sha256 ? 'ok' : 'changed';
  } catch {
    return 'missing';
  }
}

/** Columns that give up width first, and how: FILE keeps its end (the name), the rest their start. */
const SHRINKABLE: { column: number; keep: 'end' | 'start' }[] = [
  { column: 1, keep: 'end' },
  { column: 5, keep: 'start' },
  { column: 6, keep: 'start' },
  { column: 4, keep: 'start' },
];

/** `text` cut to `width` characters with "…", keeping its start or its end. */
export function shorten(text: string, width: number, keep: 'end' | 'start'): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…';
  return keep === 'end'
    ? `…${text.slice(text.length - width + 1)}`
    : `${text.slice(0, width - 1)}…`;
}

/**
 * Shortens the shrinkable columns (widest first, never below their heading or 8 characters)
 * until the table, two spaces between columns, fits in `columns` characters.
 */
export function fitColumns(
  head: string[],
  rows: string[][],
  {
    columns,
    shrinkable,
  }: { columns: number; shrinkable: { column: number; keep: 'end' | 'start' }[] },
): string[][] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const floor = (i: number) => Math.max(head[i].length, 8);
  while (total() > columns) {
    const wide = shrinkable
      .filter((s) => widths[s.column] > floor(s.column))
      .sort((a, b) => widths[b.column] - widths[a.column])[0];
    if (!wide) break;
    widths[wide.column]--;
  }
  return rows.map((r) =>
    r.map((c, i) => {
      const s = shrinkable.find((x) => x.column === i);
      return s ? shorten(c, widths[i], s.keep) : c;
    }),
  );
}

/** srq register: the issued-documents register, and whether each file is still as issued. */
export async function run(ctx: CliContext, opts: Options): Promise<number> {
  const registerFile = path.resolve(
    ctx.cwd,
    opts.register ?? path.join('output', 'register.jsonl'),
  );
  const shown = displayPath(registerFile, ctx.cwd);
  if (opts.affectedBy) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runAffected } = require('./affected') as typeof import('./affected');
    return runAffected(ctx, { ...opts, affectedBy: opts.affectedBy, registerFile });
  }
  if (opts.format || opts.output) {
    throw new UsageError('--format and -o go with --affected-by FILE (the change notices)');
  }
  const { entries, problems } = readRegister(registerFile);
  const rel = (p: string) => displayPath(entryPath(registerFile, p), ctx.cwd);
  const rows = entries.map((e) => ({ ...e, state: fileState(registerFile, e) }));
  if (opts.json) {
    ctx.stdout(
      JSON.stringify(
        {
          register: shown,
          entries: rows.map((e) => ({ ...e, path: rel(e.file), answersPath: rel(e.answersFile) })),
          problems,
        },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const d of problems) ctx.stderr(formatDiagnostic(d));
  if (!entries.length) {
    ctx.stdout(`${shown}: no documents recorded yet (srq build adds one line per document)`);
    return EXIT.ok;
  }
  const head = [
    'TIME',
    'FILE',
    'VERSION',
    'TEMPLATE',
    'TIERS',
    'FOR',
    'SIGNED BY',
    'SHA-256',
    'STATE',
  ];
  const cells = rows.map((e) => [
    e.time.replace(/\.\d+Z$/, 'Z'),
    rel(e.file),
    e.version,
    e.draft ? `${e.template} DRAFT` : e.template,
    e.tiers.join(',') || 'all',
    [e.buyer, e.reference].filter(Boolean).join(' / '),
    e.signerSubject ?? '',
    e.sha256.slice(0, 16),
    e.state,
  ]);
  // On a terminal the table fits its width; piped (or --json) every cell is whole.
  ctx.stdout(
    textTable(
      head,
      ctx.columns
        ? fitColumns(head, cells, { columns: ctx.columns, shrinkable: SHRINKABLE })
        : cells,
    ),
  );
  const signed = entries.filter((e) => e.signerSubject).length;
  ctx.stdout(
    `\n${entries.length} document(s) in ${shown}, ${signed} signed; state: ok = file matches its recorded SHA-256`,
  );
  return EXIT.ok;
}
