#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the CLI with esbuild so that a start reads a few
// files instead of ~200-700 modules (zod, yaml, date-fns, pdfkit, docx ... file by file).
//
//   dist/srq.js            the entry: commander, src/cli/index.ts and what it imports (errors,
//                          context), which it also re-exports for the other bundles (`__shared`)
//   dist/srq-<cmd>.js      one per command, required by srq.js only when that command runs
//   dist/srq-export-<f>.js one per export format (docx only for docx)
//   dist/worker.js         the batch build worker (src/batch/index.ts looks for it beside itself)
//
// The split points are the lazy `require('./x')` calls in src/cli/index.ts and
// src/export/index.ts. A command bundle gets errors.ts etc. from srq.js, not its own copy, so
// `instanceof SrqError` in the top-level catch holds for errors thrown by a command. All bundles
// sit directly in dist/, one folder below the package root as the tsc modules are, so
// paths.ts's PACKAGE_ROOT (templates, catalogues, schema) is the same from both; packages'
// own data files are found through require.resolve at run time. The tsc output in dist/ stays
// (tests and bench/ load its modules directly). bin/srq.js loads the bundles through bin/load.js
// (V8 code cache); without dist/srq.js it falls back to tsc's dist/cli/index.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { buildSnapshot } = require('./snapshot');
const { asciiFile } = require('./ascii');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** Lazy require() calls that become separate bundles: importer (from ROOT) -> bundle prefix. */
const SPLIT_POINTS = { 'src/cli/index.ts': 'srq-', 'src/export/index.ts': 'srq-export-' };

// pdfkit's ES module finds its data files (the sRGB ICC profile PDF/A needs, the standard fonts)
// relative to import.meta.url, which a CommonJS bundle does not have: point it at pdfkit's own
// folder, found at run time, so it works from dist/ and from an installed package alike.
const pdfkitDataPlugin = {
  name: 'pdfkit-data',
  setup(build) {
    build.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit\.node\.mjs$/ }, (args) => {
      const src = fs.readFileSync(args.path, 'utf8');
      if (!src.includes('import.meta.url')) throw new Error(`${args.path}: no import.meta.url`);
      return {
        contents: src.replaceAll(
          'import.meta.url',
          'require("node:url").pathToFileURL(require.resolve("pdfkit")).href',
        ),
        loader: 'js',
      };
    });
  },
};

// require.resolve('x') is left as a run-time lookup, but esbuild still bundles the module it names
// (as dead code: pdfkit's CommonJS build and, through it, second copies of fontkit, linebreak,
// unicode-properties and restructure: 1.0 MB of srq-build.js). Marking those calls external
// keeps the lookup and drops the copy.
const requireResolvePlugin = {
  name: 'require-resolve',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'require-resolve' ? { path: args.path, external: true } : undefined,
    );
  },
};

// tiny-inflate -> Node's zlib, base64-js -> Buffer (scripts/shims/ says why).
const SHIMS = { 'tiny-inflate': 'tiny-inflate.js', 'base64-js': 'base64-js.js' };
const tinyInflatePlugin = {
  name: 'shims',
  setup(build) {
    build.onResolve({ filter: /^(tiny-inflate|base64-js)$/ }, (args) => ({
      path: path.join(__dirname, 'shims', SHIMS[args.path]),
    }));
  },
};

// Modules a package imports at load but calls only in some documents: each import becomes a
// stub whose functions load the real module on their first call. @noble/ciphers' AES builds its
// tables at load (pdfkit encrypts only when asked: srq never does); brotli (fontkit, WOFF2 fonts
// only) decodes its dictionary; unicode-properties (fontkit's OpenType shaping) inflates its
// table, which a build whose words are all in the shape cache never looks at.
const LAZY = [
  {
    importer: /[\\/]pdfkit[\\/]js[\\/]pdfkit\.node\.mjs$/,
    spec: '@noble/ciphers/aes',
    names: ['cbc', 'ecb'],
  },
  {
    importer: /[\\/]fontkit[\\/]dist[\\/]module\.mjs$/,
    spec: 'brotli/decompress.js',
    names: ['default'],
  },
  {
    importer: /[\\/]fontkit[\\/]dist[\\/]module\.mjs$/,
    spec: 'unicode-properties',
    names: ['getCombiningClass', 'getScript', 'isDigit', 'getCategory', 'isMark'],
  },
];
/**
 * Node's own modules a dependency requires at load but uses only on a path srq never takes, read
 * on first use instead: commander's node:child_process (for executable subcommands; with what it
 * pulls in, ~2 ms of every start, `--help` included).
 */
const LAZY_BUILTINS = [
  {
    importer: /[\\/]commander[\\/]lib[\\/]command\.js$/,
    spec: 'node:child_process',
    names: ['spawn'],
  },
];
const lazyPlugin = {
  name: 'lazy',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) => {
      const lazy = LAZY_BUILTINS.find(
        (l) => l.spec === args.path && l.importer.test(args.importer),
      );
      if (!lazy) return undefined;
      return { path: lazy.spec, namespace: 'lazy-builtin', pluginData: lazy };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const lazy = args.pluginData;
      const real = `(m ??= require(${JSON.stringify(lazy.spec)}))`;
      return {
        contents: [
          'let m;',
          ...lazy.names.map((n) => `exports.${n} = (...args) => ${real}.${n}(...args);`),
        ].join('\n'),
        loader: 'js',
      };
    });
    build.onResolve(
      { filter: /^(@noble\/ciphers\/aes|brotli\/decompress\.js|unicode-properties)$/ },
      async (args) => {
        const lazy = LAZY.find((l) => l.spec === args.path && l.importer.test(args.importer));
        if (!lazy || args.pluginData === 'lazy') return undefined;
        // The file the import would have used (the ES build, not the CommonJS one require() picks).
        const real = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'lazy',
        });
        if (real.errors.length) return undefined;
        return { path: rel(real.path), namespace: 'lazy', pluginData: lazy };
      },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const call = (name) => (name === 'default' ? 'real()' : `real().${name}`);
      const fn = (name) =>
        `export ${name === 'default' ? 'default function' : `function ${name}`}(...args) { return ${call(name)}(...args); }`;
      const lazy = args.pluginData;
      return {
        contents: [
          'let m;',
          `const real = () => (m ??= require(${JSON.stringify(`./${args.path}`)}));`,
          ...lazy.names.map(fn),
        ].join('\n'),
        loader: 'js',
        resolveDir: ROOT,
      };
    });
  },
};

/**
 * src/interview/prompts.ts's lazy require('@inquirer/prompts') becomes its own bundle,
 * dist/srq-inquirer.js, so the commands that never prompt (and --help) do not read it.
 */
function inquirerPlugin(entries) {
  return {
    name: 'inquirer',
    setup(build) {
      build.onResolve({ filter: /^@inquirer\/prompts$/ }, (args) => {
        if (args.kind !== 'require-call' || rel(args.importer) !== 'src/interview/prompts.ts')
          return undefined;
        entries['srq-inquirer'] = 'scripts/shims/inquirer.js';
        return { path: './srq-inquirer.js', external: true };
      });
    },
  };
}

const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

/** Turns the lazy require('./x') at the split points into require('./<prefix>x.js'); collects x. */
function splitPlugin(entries) {
  return {
    name: 'split',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const prefix = SPLIT_POINTS[rel(args.importer)];
        if (args.kind !== 'require-call' || prefix === undefined) return undefined;
        const source = path.join(args.resolveDir, `${args.path}.ts`);
        if (!fs.existsSync(source)) throw new Error(`${rel(args.importer)}: no ${args.path}.ts`);
        const name = `${prefix}${path.basename(args.path)}`;
        entries[name] = rel(source);
        return { path: `./${name}.js`, external: true };
      });
    },
  };
}

/** In the command bundles, imports of modules srq.js holds resolve to srq.js's copy. */
function sharedPlugin(shared) {
  return {
    name: 'shared',
    setup(build) {
      build.onResolve({ filter: /^\.\/srq\.js$/, namespace: 'srq-shared' }, () => ({
        path: './srq.js',
        external: true,
      }));
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.pluginData === 'shared' || args.importer.includes('node_modules'))
          return undefined;
        const r = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'shared',
        });
        if (r.errors.length || !shared.includes(rel(r.path))) return undefined;
        return { path: rel(r.path), namespace: 'srq-shared' };
      });
      build.onLoad({ filter: /.*/, namespace: 'srq-shared' }, (args) => ({
        contents: `module.exports = require('./srq.js').__shared[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

const common = {
  absWorkingDir: ROOT,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
  // The fonts package and pdfkit are located at run time (their data files are read from disk).
  logOverride: { 'require-resolve-not-external': 'silent' },
  legalComments: 'none',
  metafile: true,
};

async function bundle() {
  // 1. What src/cli/index.ts pulls in eagerly: those modules are shared through srq.js.
  const probe = await esbuild.build({
    ...common,
    entryPoints: ['src/cli/index.ts'],
    write: false,
    plugins: [splitPlugin({})],
  });
  const shared = Object.keys(probe.metafile.inputs).filter(
    (f) => f.startsWith('src/') && f !== 'src/cli/index.ts',
  );
  // 2. srq.js: the CLI entry, re-exporting the shared modules.
  const entries = {};
  const main = [
    "export * from './src/cli/index.ts';",
    ...shared.map((f, i) => `import * as s${i} from './${f}';`),
    `export const __shared = {${shared.map((f, i) => `${JSON.stringify(f)}: s${i}`).join(', ')}};`,
  ].join('\n');
  const out = [];
  out.push(
    await esbuild.build({
      ...common,
      stdin: { contents: main, resolveDir: ROOT, sourcefile: 'srq-main.ts', loader: 'ts' },
      outfile: 'dist/srq.js',
      outdir: undefined,
      plugins: [
        splitPlugin(entries),
        inquirerPlugin(entries),
        pdfkitDataPlugin,
        requireResolvePlugin,
        tinyInflatePlugin,
        lazyPlugin,
      ],
    }),
  );
  // 3. The commands, then the export formats they name, then the worker.
  const built = new Set();
  for (;;) {
    const todo = Object.fromEntries(Object.entries(entries).filter(([n]) => !built.has(n)));
    if (!Object.keys(todo).length) break;
    Object.keys(todo).forEach((n) => built.add(n));
    out.push(
      await esbuild.build({
        ...common,
        entryPoints: todo,
        plugins: [
          splitPlugin(entries),
          inquirerPlugin(entries),
          sharedPlugin(shared),
          pdfkitDataPlugin,
          requireResolvePlugin,
          tinyInflatePlugin,
          lazyPlugin,
        ],
      }),
    );
  }
  out.push(
    await esbuild.build({
      ...common,
      entryPoints: { worker: 'src/batch/worker.ts' },
      plugins: [pdfkitDataPlugin, requireResolvePlugin, tinyInflatePlugin, lazyPlugin],
    }),
  );
  for (const r of out)
    for (const f of Object.keys(r.metafile.outputs)) asciiFile(path.join(ROOT, f));
  // Code caches written by earlier runs belong to the old bundles.
  fs.rmSync(path.join(DIST, '.cache'), { recursive: true, force: true });
  // srq fill's example-question bank with its terms worked out (src/fill/bank.ts, bankFor).
  require(path.join(DIST, 'fill', 'bank.js')).writeBankCaches();
  // Last, from the finished dist/: the V8 startup snapshot the PDF commands start from.
  // NOTE: with lazyPlugin, brotli's dictionary and @noble/ciphers' tables (never used by the
  // warm-up) are not part of the snapshot's heap either: ~6 ms of every start from it.
  await buildSnapshot(common, [
    pdfkitDataPlugin,
    requireResolvePlugin,
    tinyInflatePlugin,
    lazyPlugin,
  ]);
  if (process.env.SRQ_BUNDLE_ANALYSE) {
    for (const r of out) console.error(await esbuild.analyzeMetafile(r.metafile));
  }
}

/**
 * A bundle of the library entry points the bench's warm build calls (loadModel, buildDocument),
 * made with the same options and plugins as the CLI's bundles, so that the bench measures the
 * code srq runs, not tsc's modules (which tests and the bench's other parts load). It goes in
 * dist/, beside the other bundles (paths.ts finds the package from there).
 */
async function bundleBenchLibrary() {
  const outfile = path.join(DIST, 'bench-warm.js');
  await esbuild.build({
    ...common,
    metafile: false,
    outdir: undefined,
    stdin: {
      contents: [
        "export { loadModel } from './src/model/resolve';",
        "export { buildDocument } from './src/build-document';",
      ].join('\n'),
      resolveDir: ROOT,
      sourcefile: 'bench-warm.ts',
      loader: 'ts',
    },
    outfile,
    plugins: [pdfkitDataPlugin, requireResolvePlugin, tinyInflatePlugin, lazyPlugin],
  });
  asciiFile(outfile);
  return outfile;
}

// `node scripts/bundle.js --bench-library` makes only that bundle (bench/run.js runs it).
if (require.main === module) {
  (process.argv.includes('--bench-library') ? bundleBenchLibrary() : bundle()).catch((e) => {
    console.error(e.message || e);
    process.exit(1);
  });
}
