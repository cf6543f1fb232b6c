import { Command, CommanderError, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import {
  EXIT,
  SrqError,
  CheckError,
  CancelledError,
  UsageError,
  formatDiagnostic,
} from '../errors';
import { isCancel } from '../interview/prompts';
import { withInputScope } from '../fsx';
import { PACKAGE_ROOT } from '../paths';
import { isTerminal, processContext, type CliContext } from './context';

/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * The srq command line. Each command lives in its own module, loaded only when that command
 * runs (validate must not pay for the PDF stack). This file is the only top-level catch.
 */

type Action = (ctx: CliContext, ...args: unknown[]) => Promise<number | void>;
interface CommandModule {
  run: Action;
}
// NOTE: require(), not import(): in CommonJS output import() goes through Node's ESM loader,
// which is slower to start and needs file extensions. Commands load only when they run.
type Loader = () => CommandModule;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** srq's version, from its package.json (two folders up from src/cli and from dist/cli). */
export function srqVersion(): string {
  const file = path.join(PACKAGE_ROOT, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export function buildProgram(ctx: CliContext, onExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('srq')
    .version(srqVersion(), '-V, --version', 'print the version of srq')
    .helpOption('-h, --help', 'print this help')
    .description(
      'Signed, accessible statements of how a cloud service meets the NCSC Cloud Security Principles.',
    )
    .option('--debug', 'print stack traces for errors')
    .option(
      '--today <YYYY-MM-DD>',
      'act as if today were this day (review dates, status, issue dates)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout(s),
      writeErr: (s) => ctx.stderr(s),
      // NOTE: commander's own ask process.stdout and process.stderr, whose first use makes the
      // stream (node:net, node:stream, node:tty: ~4 ms of every start). srq's help has no
      // colours of its own, so "has colours" only decides whether commander strips them.
      getOutHelpWidth: () => ctx.columns ?? 80,
      getErrHelpWidth: () => (isTerminal(2) && process.stderr.columns) || 80,
      getOutHasColors: () => ctx.colour,
      getErrHasColors: () => isTerminal(2) && !ctx.env.NO_COLOR,
      // NOTE: commander quotes an unknown `--name=value` whole; the value may be a secret someone
      // tried to pass on the command line (`--passphrase=…`), so it is never echoed.
      outputError: (s, write) => write(s.replace(/'(--?[^'=\s]+)=[^']*'/g, "'$1=…'")),
    });

  /** `pack`: a command with two arguments takes them as one object, named so (ctx, args, opts). */
  const wire = (cmd: Command, load: Loader, pack?: readonly string[]) =>
    cmd.action(async (...args: unknown[]) => {
      const mod = load();
      // commander passes (...positionals, options, command); drop the command object.
      const given = args.slice(0, -2);
      const positional = pack ? [Object.fromEntries(pack.map((k, i) => [k, given[i]]))] : given;
      const code = await mod.run(ctx, ...positional, args[args.length - 2]);
      onExit(typeof code === 'number' ? code : EXIT.ok);
    });

  wire(
    program
      .command('validate')
      .description('check a provider or customer answers file')
      .argument('<answers>', 'answers file (provider or customer), or - for standard input')
      .option('--strict', 'treat warnings (unanswered principles, expiring evidence) as errors')
      .option('--json', 'print the result as JSON'),
    () => require('./validate') as CommandModule,
  );

  wire(
    program
      .command('build')
      .description('build a PDF document from a provider or customer answers file')
      .argument('<answers...>', 'answers file(s)')
      .option(
        '-o, --output <file>',
        'output PDF (default: output/<provider>-<service>-<template>-v<version>.pdf)',
      )
      .option('--template <name>', 'template set: statement, overview, customer', undefined)
      .option('--templates <dir>', 'a folder with your own copy of the templates')
      .option('--tier <id>', 'only this tier (repeat for several)', collect)
      .option('--buyer <name>', 'print "Prepared for <name>" on the cover')
      .option('--reference <ref>', 'the tender reference printed on the cover')
      .option('--draft', 'build even with unanswered principles; marks every page DRAFT')
      .option('--sign', 'sign the document (needs --key)')
      .option('--key <p12>', 'PKCS#12 key file for --sign')
      .option('--signing-time <iso>', 'fix the signing time (reproducible output)')
      .option('--allow-expired', 'sign even with an expired or not-yet-valid certificate')
      .option(
        '--changes-since <old>',
        'add a "Changes since version X" section against an older answers file',
      )
      .option('--each-tier', 'one document per tier')
      .option('-j, --jobs <n>', 'documents built at once in a batch')
      .option('--force', 'overwrite an existing signed PDF')
      .option(
        '--allow-unapproved',
        'sign even with unapproved, void or stale answers (document.approval: required); recorded in the register',
      )
      .option(
        '--audience <level>',
        'public, customer (default) or nda: what is above it reads "available on request"',
      )
      .option('--recipient <who>', 'with --audience nda: "Name <e-mail>", stamped on every page')
      .option(
        '--nda-ref <ref>',
        'with --audience nda: the NDA reference (required), stamped and recorded',
      ),
    () => require('./build') as CommandModule,
  );

  wire(
    program
      .command('sign')
      .description('sign a PDF (a second signature keeps the first valid)')
      .argument('<pdf>', 'the PDF to sign')
      .requiredOption(
        '--key <p12>',
        'PKCS#12 key file; passphrase from SRQ_KEY_PASSPHRASE or a prompt',
      )
      .option('-o, --output <file>', 'signed PDF (default: <pdf> with -signed before .pdf)')
      .option('--signing-time <iso>', 'fix the signing time (reproducible output)')
      .option('--allow-expired', 'sign even with an expired or not-yet-valid certificate')
      .option('--reason <text>', 'the reason recorded in the signature')
      .option('--force', 'overwrite the output file if it exists')
      .option(
        '--allow-unapproved',
        'sign even with unapproved, void or stale answers (document.approval: required); recorded in the register',
      ),
    () => require('./sign') as CommandModule,
  );

  wire(
    program
      .command('verify')
      .description(
        'check every signature of a PDF; exit 0 only when all are intact, every later change is permitted and every signer is trusted',
      )
      .argument('<pdf>', 'the PDF to check')
      .option(
        '--trust <cert>',
        'a certificate you trust (PEM or DER file, or a folder of them; repeatable; also SRQ_TRUST)',
        collect,
      )
      .option('--json', 'print the result as JSON'),
    () => require('./verify') as CommandModule,
  );

  wire(
    program
      .command('keygen')
      .description('make a self-signed certificate and key (P12) for trying signing')
      .requiredOption('--name <name>', "the certificate's common name")
      .option('--email <email>', 'e-mail address in the certificate')
      .option('--ca', 'add CA flags so a viewer trust store can accept it')
      .option('--days <n>', 'validity in days', '365')
      .option('--key-type <type>', 'rsa (2048-bit), ec-p256 or ec-p384 (ECDSA)', 'rsa')
      .option('-o, --output <file>', 'P12 file to write', 'srq-key.p12'),
    () => require('./keygen') as CommandModule,
  );

  wire(
    program
      .command('interview')
      .description('provider interview: creates the answers file or resumes it')
      .argument('[answers]', 'answers file', 'answers/answers.yaml')
      .addOption(
        new Option('--framework <id>', 'framework for a new file (ncsc-2023, ncsc-2016 or a path)'),
      ),
    () => require('./interview') as CommandModule,
  );

  wire(
    program
      .command('review')
      .description('yearly review: walk every answer, keep/edit/remove, bump version and dates')
      .argument('<answers>', 'answers file')
      .option('--yes', 'keep everything and bump non-interactively')
      .option('--major', 'bump the major version (default: minor)')
      .option(
        '--by <name>',
        'who reviews (recorded on each answer kept or edited); asked if not given',
      ),
    () => require('./review') as CommandModule,
  );

  wire(
    program
      .command('approve')
      .description(
        'approve answers as they are now (a later edit voids the approval); default: every answer not approved and current',
      )
      .argument('<answers>', 'answers file')
      .argument('[ids...]', 'answer ids to approve, e.g. 1 2.1')
      .option('--by <name>', 'who approves them')
      .option('--on <date>', 'date of the approval (default: today)')
      .option('--all', 'approve every answer again, even those approved and current')
      .option('--reviewed', 'record it as their review too (reviewed: {by, on})'),
    () => require('./approve') as CommandModule,
    ['file', 'ids'],
  );

  wire(
    program
      .command('customer')
      .description("customer interview: your own answers for your tier of a provider's statement")
      .argument('<provider-answers>', "the provider's answers file")
      .option('--tier <id>', 'the tier you bought (without it: the list of tiers)')
      .option('-o, --output <file>', 'customer answers file to write', 'customer.yaml'),
    () => require('./customer') as CommandModule,
  );

  wire(
    program
      .command('diff')
      .description('what changed between two answers files (FILE@REV for a committed version)')
      .argument('<old>', 'older answers file, or file@git-revision')
      .argument('<new>', 'newer answers file')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['text', 'md', 'json'])
          .default('text'),
      ),
    () => require('./diff') as CommandModule,
    ['oldRef', 'newRef'],
  );

  wire(
    program
      .command('status')
      .description(
        'review dates, expiring evidence and unanswered principles of every answers file',
      )
      .argument('[dir]', 'folder of answers files (or one file)', 'answers')
      .option('--json', 'print the result as JSON')
      .option('--register <file>', 'the issued-documents register', 'output/register.jsonl'),
    () => require('./status') as CommandModule,
  );

  wire(
    program
      .command('register')
      .description('list the issued-documents register (output/register.jsonl)')
      .option('--json', 'print the result as JSON')
      .option('--register <file>', 'the register file', 'output/register.jsonl')
      .option(
        '--affected-by <answers>',
        'issued documents whose answers changed since they were built, compared with this file (FILE@REV for a committed version)',
      )
      .option(
        '--format <format>',
        'with --affected-by: text, md (one change notice per buyer) or json',
      )
      .option(
        '-o, --output <dir>',
        'with --format md: write one notice per buyer into this folder',
      ),
    () => require('./register') as CommandModule,
  );

  wire(
    program
      .command('export')
      .description('export the answers as md, html, csv, xlsx, docx or OSCAL JSON')
      .argument('<answers>', 'answers file, or - for standard input')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['md', 'html', 'csv', 'xlsx', 'docx', 'oscal'])
          .makeOptionMandatory(),
      )
      .option('-o, --output <file>', 'output file (default: output/<name>.<ext>)')
      .option('--tier <id>', 'only this tier (repeat for several)', collect)
      .option(
        '--max-words <n>',
        'word limit per answer (uses the summary where the statement is longer)',
      )
      .option(
        '--template <name>',
        'md, html, docx: template set (statement, overview, customer; as build)',
      )
      .option('--templates <dir>', 'md, html, docx: a folder with your own copy of the templates')
      .option(
        '--front-matter <key=value>',
        'md: a front matter field beside title (repeat for several), e.g. nav_order=3',
        collect,
      )
      .option(
        '--audience <level>',
        'public, customer (default) or nda: what is above it reads "available on request"',
      ),
    () => require('./export') as CommandModule,
  );

  program
    .command('version')
    .description('print the version of srq')
    .action(() => {
      ctx.stdout(srqVersion());
      onExit(EXIT.ok);
    });

  wire(
    program
      .command('fill')
      .description("answer a buyer's questionnaire (.xlsx, .docx, .csv) in the buyer's own file")
      .argument('<questionnaire>', "the buyer's questionnaire (.xlsx, .docx or .csv)")
      .requiredOption('--answers <file>', 'the provider answers file to answer from')
      .option(
        '--tier <id>',
        'the tier the buyer is buying (asked on a terminal when there are several)',
      )
      .option('--map <file>', 'a mapping file from an earlier fill (<name>.map.yaml)')
      .option('--review', 'walk the unanswered and uncertain questions on a terminal')
      .option('-o, --output <file>', 'the filled file (default: output/<name>-filled.<ext>)')
      .option(
        '--max-words <n>',
        'word limit per answer (uses the summary where the statement is longer)',
      )
      .option('--max-chars <n>', 'character limit per answer')
      .option('--overwrite', 'replace answers already in the file')
      .option('--allow-blank', 'exit 0 even when questions were left blank')
      .option('--buyer <name>', 'the buyer (register; also:buyer-<name>:<ref> ids)')
      .option('--reference <ref>', "the buyer's reference for the register")
      .option('--threshold <n>', 'similarity a library entry needs to answer (0 to 1, default 0.2)')
      .option(
        '--confidence <p>',
        "confidence needed to answer from a principle (0 to 1, default the model's, 0.89)",
      ),
    () => require('./fill') as CommandModule,
  );

  wire(
    program
      .command('example', { hidden: true })
      .description('build the bundled example, signed with a demo certificate (npm start)'),
    () => require('./example') as CommandModule,
  );

  return program;
}

/** Runs the CLI and resolves to the exit code. Never throws. */
/**
 * `--today DAY` (anywhere on the command line): the clock every command reads is pinned to
 * noon of that local day. Returns the context to use, or a usage error for a bad day.
 */
export function withToday(argv: string[], ctx: CliContext): CliContext {
  const at = argv.findIndex((a) => a === '--today' || a.startsWith('--today='));
  if (at < 0) return ctx;
  const day = (argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1]) ?? '';
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const noon = new Date(y, m - 1, d, 12);
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(day) &&
    noon.getFullYear() === y &&
    noon.getMonth() === m - 1 &&
    noon.getDate() === d;
  if (!real) {
    throw new UsageError(
      `--today ${day || '(no day)'}: not a calendar day (write it as YYYY-MM-DD, e.g. --today 2027-10-30)`,
    );
  }
  return { ...ctx, now: () => noon };
}

export async function runCli(argv: string[], given: CliContext): Promise<number> {
  let ctx: CliContext;
  try {
    ctx = withToday(argv, given);
  } catch (err) {
    return reportError(err, given);
  }
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, (c) => (exitCode = c));
  if (!argv.filter((a) => a !== '--debug').length) {
    // `srq` alone: the help, on stdout (it is what was asked for, not an error).
    ctx.stdout(program.helpInformation());
    return EXIT.ok;
  }
  try {
    // Each invocation has its own record of the files it read as inputs (src/fsx.ts).
    await withInputScope(() => program.parseAsync(argv, { from: 'user' }));
    return exitCode;
  } catch (err) {
    return reportError(err, ctx);
  }
}

export function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) {
    // commander has printed its own one-line message already.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
    if (err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (isCancel(err)) err = new CancelledError();
  if (err instanceof CancelledError) {
    // Ctrl+C, whichever prompt it came from: one message and one exit code (130).
    ctx.stderr(`\n${err.message}`);
    return err.exitCode;
  }
  if (err instanceof CheckError) {
    for (const d of err.diagnostics) ctx.stderr(formatDiagnostic(d));
    if (!err.diagnostics.length || err.message) ctx.stderr(`srq: ${err.message}`);
    if (ctx.debug && err.stack) ctx.stderr(err.stack);
    return err.exitCode;
  }
  if (err instanceof SrqError) {
    ctx.stderr(`srq: ${err.message}`);
    if (ctx.debug && err.stack) ctx.stderr(err.stack);
    return err.exitCode;
  }
  const e = err as Error;
  ctx.stderr(
    `srq: internal error: ${e?.message ?? String(err)} (run with --debug for details and report it)`,
  );
  if (ctx.debug && e?.stack) ctx.stderr(e.stack);
  return EXIT.bug;
}

export function main(argv: string[]): void {
  recordPeakMemory(process.env.SRQ_BENCH_PEAK);
  const args = argv.slice(2);
  const debug = args.includes('--debug');
  const ctx = processContext(debug);
  void runCli(args, ctx).then((code) => {
    process.exitCode = code;
  });
}

/**
 * For `npm run bench`: writes this process's peak resident memory to `file` when it exits. NOTE:
 * the bench used to preload a script for this through NODE_OPTIONS, which keeps `build` off the
 * startup snapshot (bin/srq.js starts the blob only with NODE_OPTIONS empty), so its scale rows
 * measured another start than users get.
 */
function recordPeakMemory(file: string | undefined): void {
  if (!file) return;
  process.once('exit', () => {
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    fs.writeFileSync(file, JSON.stringify({ peakRssMB }));
  });
}
