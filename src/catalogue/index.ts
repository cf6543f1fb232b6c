import fs from 'node:fs';
import path from 'node:path';
import { parseYamlSource } from '../yaml/source-map';
import { CatalogueSchema, type Catalogue } from './schema';
import { validateShape } from '../yaml/zod-diagnostics';
import { CheckError, type Diagnostic } from '../errors';
import { readTextFile } from '../fsx';
import { CATALOGUE_DIR } from '../paths';

export const BUILTIN_CATALOGUES = ['ncsc-2023', 'ncsc-2016'] as const;

/** A principle or sub-principle, flattened, in catalogue order. */
export interface CatalogueItem {
  id: string;
  title: string;
  requirement: string;
  maxWords?: number;
  /** The parent principle's id, for a sub-principle. */
  parent?: string;
  /** Sub-principle ids, for a principle that has them. */
  children: string[];
}

export interface LoadedCatalogue {
  /** Where it came from: the built-in id or the file path. */
  ref: string;
  meta: Omit<Catalogue, 'principles'>;
  /** Every principle and sub-principle in catalogue order (a parent precedes its children). */
  items: CatalogueItem[];
  byId: Map<string, CatalogueItem>;
}

/** Parses and checks a catalogue. Pure: string in, catalogue or located errors out. */
export function parseCatalogue(
  text: string,
  file: string,
  ref = file,
): { value?: LoadedCatalogue; errors: Diagnostic[] } {
  const { data, map, errors } = parseYamlSource(text, file);
  if (errors.length) return { errors };
  if (data == null) {
    return {
      errors: [
        map.diagnostic([], 'the catalogue file is empty', {
          hint: 'see "Catalogue format" in the README',
        }),
      ],
    };
  }
  const shape = validateShape(CatalogueSchema, data, map);
  if (!shape.value) return { errors: shape.errors };
  const { principles, ...meta } = shape.value;
  const items: CatalogueItem[] = [];
  const byId = new Map<string, CatalogueItem>();
  const problems: Diagnostic[] = [];
  principles.forEach((p, i) => {
    const add = (item: CatalogueItem, at: (string | number)[]) => {
      if (byId.has(item.id)) {
        problems.push(
          map.diagnostic([...at, 'id'], `duplicate id '${item.id}'`, {
            hint: 'every id must be unique',
          }),
        );
        return;
      }
      byId.set(item.id, item);
      items.push(item);
    };
    const { principles: subs = [], ...rest } = p;
    const parent: CatalogueItem = { ...rest, children: subs.map((s) => s.id) };
    add(parent, ['principles', i]);
    subs.forEach((s, j) => {
      const at = ['principles', i, 'principles', j];
      if (!s.id.startsWith(`${p.id}.`)) {
        problems.push(
          map.diagnostic(
            [...at, 'id'],
            `sub-principle '${s.id}' is not under its parent '${p.id}'`,
            {
              hint: `number it ${p.id}.${j + 1}`,
            },
          ),
        );
      }
      add({ ...s, parent: p.id, children: [] }, at);
    });
  });
  if (problems.length) return { errors: problems };
  return { value: { ref, meta, items, byId }, errors: [] };
}

const cache = new Map<string, LoadedCatalogue>();

/**
 * Loads a built-in catalogue by id, or a catalogue file by path (relative to `baseDir`).
 * Parsed once per process.
 */
export function loadCatalogue(ref: string, baseDir = process.cwd()): LoadedCatalogue {
  const builtin = (BUILTIN_CATALOGUES as readonly string[]).includes(ref);
  const file = builtin ? path.join(CATALOGUE_DIR, `${ref}.yaml`) : path.resolve(baseDir, ref);
  const hit = cache.get(file);
  if (hit) return hit;
  const shown = builtin ? ref : path.relative(process.cwd(), file) || file;
  const { value, errors } = parseCatalogue(readTextFile(file), shown, ref);
  if (!value) throw new CheckError(`${shown}: the catalogue has errors`, errors);
  cache.set(file, value);
  return value;
}

/** Whether `ref` names a catalogue that exists (built-in id or an existing file). */
export function catalogueExists(ref: string, baseDir: string): boolean {
  if ((BUILTIN_CATALOGUES as readonly string[]).includes(ref)) return true;
  return fs.existsSync(path.resolve(baseDir, ref));
}
