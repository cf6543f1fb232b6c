import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir, writeFiles } from '../helpers/cli';

/**
 * No import cycles between srq's modules (architecture.md: the layout of src/ reads as the
 * pipeline). Walks the compiled dist/ tree, lazy requires included (scripts/check-cycles.js).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { moduleGraph, stageGraph, findCycles } = require('../../scripts/check-cycles.js') as {
  moduleGraph: (root: string) => Map<string, string[]>;
  stageGraph: (root: string, graph: Map<string, string[]>) => Map<string, string[]>;
  findCycles: (graph: Map<string, string[]>) => string[][];
};

describe('import cycles', () => {
  it('dist/ has none', () => {
    const dist = path.join(ROOT, 'dist');
    const graph = moduleGraph(dist);
    expect(graph.size).toBeGreaterThan(50);
    const cycles = findCycles(graph).map((c) => c.map((f) => path.relative(dist, f)));
    expect(cycles).toEqual([]);
  });

  it('no cycle between stages (folders of src/, and its root files) either', () => {
    const dist = path.join(ROOT, 'dist');
    const stages = stageGraph(dist, moduleGraph(dist));
    expect(stages.get('answers')).toEqual(expect.arrayContaining(['catalogue', 'yaml']));
    expect(stages.get('catalogue')).toEqual(expect.arrayContaining(['yaml']));
    expect(findCycles(stages)).toEqual([]);
  });

  it('the check finds a cycle, lazy requires included', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'a.js': "require('./b');",
      'b.js': "function later() { return require('./sub/c'); }",
      'sub/c.js': "const x = require('../a.js');",
      'd.js': "require('./a');",
    });
    fs.mkdirSync(path.join(dir, 'empty'));
    const cycles = findCycles(moduleGraph(dir)).map((c) => c.map((f) => path.relative(dir, f)));
    expect(cycles).toEqual([['a.js', 'b.js', 'sub/c.js']]);
    expect(findCycles(stageGraph(dir, moduleGraph(dir)))).toEqual([['a', 'b', 'sub']]);
  });
});
