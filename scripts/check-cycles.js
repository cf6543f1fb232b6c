#!/usr/bin/env node
'use strict';
/**
 * Import cycles between srq's own modules, found by walking the compiled dist/ tree: every
 * require('./x') or require('../x') call, at the top or lazy inside a function, is an edge.
 * Prints each cycle and exits 1 if there is one; `npm run build` first.
 */
const fs = require('node:fs');
const path = require('node:path');

// NOTE: the esbuild bundles at dist/'s top (srq.js, srq-<command>.js, worker.js; see
// scripts/bundle.js) load each other lazily by design; the module graph is tsc's output.
const BUNDLE = /^(srq(-[\w-]+)?|worker)\.js$/;

function jsFiles(dir, top = true) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name.startsWith('.') ? [] : jsFiles(p, false);
    return d.name.endsWith('.js') && !(top && BUNDLE.test(d.name)) ? [p] : [];
  });
}

function resolveLocal(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.js`, path.join(base, 'index.js')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return undefined;
}

/** Module graph: file → the local files it requires. */
function moduleGraph(root) {
  const graph = new Map();
  for (const file of jsFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const deps = new Set();
    for (const m of text.matchAll(/\brequire\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
      const dep = resolveLocal(file, m[1]);
      if (dep) deps.add(dep);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** Strongly connected components with more than one module, or a module requiring itself (Tarjan). */
function findCycles(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** The same graph one level up: src/ folders (stages) and root files as nodes. */
function stageGraph(root, graph) {
  const stage = (f) => path.relative(root, f).split(path.sep)[0].replace(/\.js$/, '');
  const out = new Map();
  for (const [file, deps] of graph) {
    const from = stage(file);
    const set = out.get(from) ?? new Set();
    for (const d of deps) if (stage(d) !== from) set.add(stage(d));
    out.set(from, set);
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

module.exports = { moduleGraph, stageGraph, findCycles };

if (require.main === module) {
  const root = path.resolve(__dirname, '..', 'dist');
  if (!fs.existsSync(root)) {
    process.stderr.write('check-cycles: no dist/ folder (run npm run build first)\n');
    process.exit(3);
  }
  const graph = moduleGraph(root);
  const cycles = findCycles(graph);
  for (const c of cycles) {
    process.stdout.write(`cycle: ${c.map((f) => path.relative(root, f)).join(' <-> ')}\n`);
  }
  const stages = findCycles(stageGraph(root, graph));
  for (const c of stages) process.stdout.write(`stage cycle: ${c.join(' <-> ')}\n`);
  process.exit(cycles.length || stages.length ? 1 : 0);
}
