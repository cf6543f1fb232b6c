import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli';

/**
 * The packages whose private internals srq uses are pinned to one exact version, the one the
 * contract tests beside this file check; an upgrade is a deliberate edit that reruns them.
 */
const PINNED = ['pdfkit', 'fontkit', 'zod', 'node-forge'];

describe('pinned packages', () => {
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  it.each(PINNED)('%s is pinned exactly, to the installed version', (name) => {
    const installed = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version: string };
    expect(ours.dependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ours.dependencies[name]).toBe(installed.version);
  });
});
