import fs from 'node:fs';
import path from 'node:path';
import { readAnswers, displayPath } from '../answers/read';
import { looksLikeCustomerFile } from '../answers/parse';
import { readAtRevision, parseVersionRef } from '../diff/load';
import { CheckError, EXIT, UsageError } from '../errors';
import { readTextFile, writeFileAtomic } from '../fsx';
import { affectedDocuments, changeNotices } from '../register/affected';
import { entryPath, type RegisterEntry } from '../register';
import { textTable } from '../status/format';
import { slug } from '../text/slug';
import type { CliContext } from './context';

interface Options {
  affectedBy: string;
  registerFile: string;
  json?: boolean;
  format?: string;
  output?: string;
}

/**
 * srq register --affected-by FILE[@REV]: every issued document whose answers changed since it
 * was built, with what changed; --format md: one change notice per buyer.
 */
export function runAffected(ctx: CliContext, opts: Options): number {
  const format = opts.format ?? (opts.json ? 'json' : 'text');
  if (!['text', 'md', 'json'].includes(format))
    throw new UsageError(`--format must be text, md or json (got "${format}")`);
  const { file, rev } = parseVersionRef(opts.affectedBy, ctx.cwd);
  const label = rev ? `${displayPath(file, ctx.cwd)}@${rev}` : displayPath(file, ctx.cwd);
  const text = rev ? readAtRevision(file, rev) : readTextFile(file);
  if (looksLikeCustomerFile(text)) {
    throw new UsageError(
      `${label}: a customer file; --affected-by takes the provider's answers file the documents were built from`,
    );
  }
  const res = readAnswers(file, text);
  if (!res.value) {
    throw new CheckError(
      `${label}: ${res.errors.length} error(s) in this version; fix them (srq validate) first`,
      res.errors,
    );
  }
  const report = affectedDocuments({
    registerFile: opts.registerFile,
    answersFile: file,
    current: res.value,
  });
  const rel = (p: string) => displayPath(entryPath(opts.registerFile, p), ctx.cwd);
  const row = (e: RegisterEntry) => ({
    time: e.time,
    file: rel(e.file),
    version: e.version,
    ...(e.buyer ? { buyer: e.buyer } : {}),
    ...(e.reference ? { reference: e.reference } : {}),
    signed: Boolean(e.signerSubject),
  });
  if (format === 'json') {
    ctx.stdout(
      JSON.stringify(
        {
          answers: label,
          affected: report.affected.map((a) => ({
            ...row(a.entry),
            foundIn: a.source === 'git' ? `git ${a.rev}` : a.source,
            changed: a.changed.map((i) => i.id),
            changes: a.lines,
          })),
          unchanged: report.unchanged.map(row),
          unknown: report.unknown.map(row),
        },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const e of report.unknown) {
    ctx.stderr(
      `srq: warning: ${rel(e.file)}: the answers it was built from are not in ${displayPath(path.dirname(opts.registerFile), ctx.cwd)}/answers, unchanged on disk or in git history; it cannot be compared`,
    );
  }
  if (format === 'md') {
    const notices = changeNotices(report);
    if (!notices.length) {
      ctx.stderr(`srq: no issued document is affected by changes to ${label}; no notices written`);
      return EXIT.ok;
    }
    if (!opts.output) {
      ctx.stdout(notices.map((n) => n.markdown).join('\n---\n\n'));
      return EXIT.ok;
    }
    const dir = path.resolve(ctx.cwd, opts.output);
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
      throw new UsageError(
        `-o ${opts.output}: not a folder (give a folder for the change notices)`,
      );
    fs.mkdirSync(dir, { recursive: true });
    for (const n of notices) {
      const out = path.join(dir, `${slug(n.buyer || 'no-buyer')}-change-notice.md`);
      writeFileAtomic(out, n.markdown);
      ctx.stdout(`wrote ${displayPath(out, ctx.cwd)}${n.buyer ? ` for ${n.buyer}` : ''}`);
    }
    return EXIT.ok;
  }
  if (!report.affected.length) {
    ctx.stdout(
      `No issued document is affected by changes to ${label} (${report.unchanged.length} document(s) say what it says now).`,
    );
    return EXIT.ok;
  }
  ctx.stdout(
    textTable(
      ['ISSUED', 'FILE', 'VERSION', 'FOR', 'SIGNED', 'CHANGED ANSWERS'],
      report.affected.map((a) => [
        a.entry.time.slice(0, 10),
        rel(a.entry.file),
        a.entry.version,
        [a.entry.buyer, a.entry.reference].filter(Boolean).join(' / ') || '—',
        a.entry.signerSubject ? 'yes' : 'no',
        a.changed.map((i) => i.id).join(', '),
      ]),
    ),
  );
  for (const a of report.affected) {
    ctx.stdout(`\n${rel(a.entry.file)}${a.entry.buyer ? ` (${a.entry.buyer})` : ''}:`);
    for (const l of a.lines) ctx.stdout(`  ${l}`);
  }
  ctx.stdout(
    `\n${report.affected.length} issued document(s) affected by changes to ${label}; ${report.unchanged.length} unchanged. Send change notices with: srq register --affected-by ${opts.affectedBy} --format md -o notices`,
  );
  return EXIT.ok;
}
