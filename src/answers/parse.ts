import { hasOwn, own } from '../own';
import {
  AnswersSchema,
  CustomerSchema,
  type Answers,
  type CustomerAnswers,
  type Responsibility,
  type TierAnswer,
} from './schema';
import { parseYamlSource, type SourceMap } from '../yaml/source-map';
import { sortDiagnostics, validateShape } from '../yaml/zod-diagnostics';
import type { LoadedCatalogue } from '../catalogue';
import type { Diagnostic } from '../errors';
import { closest, countWords } from '../text/suggest';
import { checkLibrary } from './library';
import { checkLifecycle } from './lifecycle';

export interface ParseResult<T> {
  value?: T;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  map?: SourceMap;
}

/** Resolves the `framework` reference; returns a message instead when it cannot. */
export type CatalogueResolver = (ref: string) => LoadedCatalogue | { error: string; hint: string };

export interface ParsedAnswers {
  answers: Answers;
  catalogue: LoadedCatalogue;
}

/**
 * Parses a provider answers file and checks it against its catalogue. Pure: the catalogue is
 * resolved through the injected function. Every error is reported, not just the first.
 */
export function parseAnswers(
  text: string,
  options: { file: string; resolveCatalogue: CatalogueResolver; today?: string },
): ParseResult<ParsedAnswers> {
  const { file } = options;
  const { data, map, errors } = parseYamlSource(text, file);
  if (errors.length) return { errors, warnings: [], map };
  if (
    data == null ||
    (typeof data === 'object' && !Array.isArray(data) && !Object.keys(data).length)
  ) {
    return {
      errors: [
        map.diagnostic([], 'the file is empty', {
          hint: 'start from answers/example-cloud.yaml or run `srq interview`',
        }),
      ],
      warnings: [],
      map,
    };
  }
  const shape = validateShape(AnswersSchema, data, map);
  // Keep checking what can be checked even when the shape has errors, to report everything at once.
  const errs = [...shape.errors];
  const warnings: Diagnostic[] = [];
  const raw = data as Partial<Answers>;
  let catalogue: LoadedCatalogue | undefined;
  if (typeof raw.framework === 'string' && raw.framework.trim()) {
    const res = options.resolveCatalogue(raw.framework);
    if ('error' in res) errs.push(map.diagnostic(['framework'], res.error, { hint: res.hint }));
    else catalogue = res;
  }
  const answers = shape.value;
  if (!answers || !catalogue) return { errors: errs, warnings, map };
  checkAnswers(answers, catalogue, map, errs, warnings);
  checkLibrary(answers, map, errs);
  checkLifecycle(answers, map, { errors: errs, warnings });
  return errs.length
    ? { errors: sortDiagnostics(errs), warnings: sortDiagnostics(warnings), map }
    : { value: { answers, catalogue }, errors: [], warnings: sortDiagnostics(warnings), map };
}

export function tierResponsibility(t: TierAnswer): {
  responsibility: Responsibility;
  customer?: string;
} {
  return typeof t === 'string' ? { responsibility: t } : t;
}

function checkAnswers(
  a: Answers,
  cat: LoadedCatalogue,
  map: SourceMap,
  errors: Diagnostic[],
  warnings: Diagnostic[],
): void {
  const tierIds = a.tiers.map((t) => t.id);
  const tierSet = new Set(tierIds);
  const seenTiers = new Set<string>();
  a.tiers.forEach((t, i) => {
    const duplicate = seenTiers.has(t.id);
    seenTiers.add(t.id);
    if (duplicate) {
      errors.push(
        map.diagnostic(['tiers', i, 'id'], `duplicate tier id '${t.id}'`, {
          hint: 'give every tier its own id',
        }),
      );
    }
  });
  const evidenceIds = (a.evidence ?? []).map((e) => e.id);
  const evidenceSet = new Set(evidenceIds);
  const seenEvidence = new Set<string>();
  (a.evidence ?? []).forEach((e, i) => {
    const duplicate = seenEvidence.has(e.id);
    seenEvidence.add(e.id);
    if (duplicate) {
      errors.push(
        map.diagnostic(['evidence', i, 'id'], `duplicate evidence id '${e.id}'`, {
          hint: 'give every evidence item its own id',
        }),
      );
    }
  });
  if (a.document.review <= a.document.issued) {
    errors.push(
      map.diagnostic(
        ['document', 'review'],
        `review date ${a.document.review} is not after the issue date ${a.document.issued}`,
        {
          hint: 'set review to a later date, usually one year after issued',
        },
      ),
    );
  }
  const ids = cat.items.map((i) => i.id);
  for (const [id, answer] of Object.entries(a.answers)) {
    const item = cat.byId.get(id);
    if (!item) {
      const guess = closest(id, ids);
      errors.push(
        map.diagnostic(['answers', id], `unknown principle '${id}' in ${cat.meta.id}`, {
          at: 'key',
          hint: guess ? `did you mean ${guess}?` : `ids are ${ids.join(', ')}`,
        }),
      );
      continue;
    }
    if (item.parent && own(a.answers, item.parent)) {
      errors.push(
        map.diagnostic(
          ['answers', id],
          `principle ${item.parent} is answered as a whole and also per sub-principle (${id})`,
          {
            at: 'key',
            hint: `keep either "${item.parent}" or its sub-principles ${cat.byId.get(item.parent)!.children.join(', ')}`,
          },
        ),
      );
    }
    for (const [tierId, tierAnswer] of Object.entries(answer.tiers)) {
      if (!tierSet.has(tierId)) {
        const guess = closest(tierId, tierIds);
        errors.push(
          map.diagnostic(['answers', id, 'tiers', tierId], `tier '${tierId}' is not defined`, {
            at: 'key',
            hint: `${guess ? `did you mean '${guess}'? ` : ''}tiers are: ${tierIds.join(', ')}`,
          }),
        );
        continue;
      }
      const { responsibility, customer } = tierResponsibility(tierAnswer);
      if ((responsibility === 'customer' || responsibility === 'shared') && !customer) {
        errors.push(
          map.diagnostic(
            ['answers', id, 'tiers', tierId],
            `responsibility is '${responsibility}' but there is no customer text`,
            {
              hint: `write what the customer must do: { responsibility: ${responsibility}, customer: "..." }`,
            },
          ),
        );
      }
    }
    const misspelt = Object.keys(answer.tiers)
      .filter((t) => !tierSet.has(t))
      .map((t) => closest(t, tierIds));
    for (const tierId of tierIds) {
      // A misspelt tier key is reported once, as the unknown tier, not again as a missing one.
      if (!hasOwn(answer.tiers, tierId) && !misspelt.includes(tierId)) {
        errors.push(
          map.diagnostic(['answers', id, 'tiers'], `no answer for tier '${tierId}'`, {
            hint: `add "${tierId}: provider" (or customer/shared with customer text)`,
          }),
        );
      }
    }
    (answer.evidence ?? []).forEach((ev, i) => {
      if (!evidenceSet.has(ev)) {
        const guess = closest(ev, evidenceIds);
        errors.push(
          map.diagnostic(['answers', id, 'evidence', i], `evidence '${ev}' is not defined`, {
            hint: guess
              ? `did you mean '${guess}'?`
              : evidenceIds.length
                ? `evidence ids are: ${evidenceIds.join(', ')}`
                : 'add it to the evidence list at the top level',
          }),
        );
      }
    });
    const limit = item.maxWords ?? cat.meta.maxWords;
    if (limit) {
      const words = countWords(answer.provider);
      if (words > limit) {
        warnings.push(
          map.diagnostic(
            ['answers', id, 'provider'],
            `the statement has ${words} words, over the limit of ${limit}`,
            {
              severity: 'warning',
              hint: 'shorten it, or add a summary for word-limited portals',
            },
          ),
        );
      }
    }
  }
  for (const id of unansweredIds(cat, a.answers)) {
    warnings.push(
      map.diagnostic(['answers'], `principle ${id} (${cat.byId.get(id)!.title}) is not answered`, {
        severity: 'warning',
        at: 'key',
        hint: `add an answer under answers: "${id}"`,
      }),
    );
  }
  (a.evidence ?? []).forEach((e, i) => {
    if (e.expires && e.expires < a.document.review) {
      warnings.push(
        map.diagnostic(
          ['evidence', i, 'expires'],
          `${e.name} expires on ${e.expires}, before the review date ${a.document.review}`,
          {
            severity: 'warning',
            hint: 'renew it and update the date, or bring the review forward',
          },
        ),
      );
    }
  });
}

/** Catalogue items with no answer: a principle counts as answered as a whole or through all its sub-principles. */
export function unansweredIds(cat: LoadedCatalogue, answers: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const item of cat.items) {
    if (item.parent) {
      if (!answers[item.parent] && !answers[item.id]) out.push(item.id);
    } else if (item.children.length === 0 && !answers[item.id]) {
      out.push(item.id);
    }
  }
  return out;
}

export interface ParsedCustomer {
  customer: CustomerAnswers;
  provider: ParsedAnswers;
  providerFile: string;
}

/** Loads the provider file a customer file points at; returns a message instead when it cannot. */
export type ProviderResolver = (
  ref: string,
) => { value: ParsedAnswers; file: string } | { error: string; hint: string };

/** Parses a customer answers file and checks it against the provider's answers. */
export function parseCustomer(
  text: string,
  options: { file: string; resolveProvider: ProviderResolver },
): ParseResult<ParsedCustomer> {
  const { data, map, errors } = parseYamlSource(text, options.file);
  if (errors.length) return { errors, warnings: [], map };
  if (data == null) {
    return {
      errors: [
        map.diagnostic([], 'the file is empty', {
          hint: 'run `srq customer <provider-file> --tier ID`',
        }),
      ],
      warnings: [],
      map,
    };
  }
  const shape = validateShape(CustomerSchema, data, map);
  if (!shape.value) return { errors: shape.errors, warnings: [], map };
  const c = shape.value;
  const prov = options.resolveProvider(c.provider);
  if ('error' in prov) {
    return {
      errors: [map.diagnostic(['provider'], prov.error, { hint: prov.hint })],
      warnings: [],
      map,
    };
  }
  const { answers, catalogue } = prov.value;
  const errs: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const tierIds = answers.tiers.map((t) => t.id);
  if (!tierIds.includes(c.tier)) {
    const guess = closest(c.tier, tierIds);
    errs.push(
      map.diagnostic(['tier'], `tier '${c.tier}' is not one of the provider's tiers`, {
        hint: `${guess ? `did you mean '${guess}'? ` : ''}tiers are: ${tierIds.join(', ')}`,
      }),
    );
    return { errors: errs, warnings, map };
  }
  const needed = customerItemIds(answers, c.tier, catalogue);
  for (const id of Object.keys(c.answers ?? {})) {
    if (!catalogue.byId.has(id) || !own(answers.answers, id)) {
      const guess = closest(id, needed);
      errs.push(
        map.diagnostic(['answers', id], `principle '${id}' is not answered by the provider`, {
          at: 'key',
          hint: guess
            ? `did you mean ${guess}?`
            : `principles needing your answer: ${needed.join(', ')}`,
        }),
      );
    } else if (!needed.includes(id)) {
      warnings.push(
        map.diagnostic(
          ['answers', id],
          `in tier '${c.tier}' the provider carries all of principle ${id}; this answer is not shown`,
          {
            severity: 'warning',
            at: 'key',
            hint: 'remove it',
          },
        ),
      );
    }
  }
  for (const id of needed) {
    if (!own(c.answers, id)) {
      warnings.push(
        map.diagnostic(
          ['answers'],
          `principle ${id} needs your answer (responsibility: ${tierResponsibility(own(own(answers.answers, id)!.tiers, c.tier)!).responsibility})`,
          {
            severity: 'warning',
            at: 'key',
            hint: `add "${id}: { customer: ... }" or run srq customer again`,
          },
        ),
      );
    }
  }
  return errs.length
    ? { errors: errs, warnings, map }
    : {
        value: { customer: c, provider: prov.value, providerFile: prov.file },
        errors: [],
        warnings,
        map,
      };
}

/** Answered ids where the customer carries any responsibility in `tier`, in catalogue order. */
export function customerItemIds(answers: Answers, tier: string, cat?: LoadedCatalogue): string[] {
  const index = new Map(cat?.items.map((item, i) => [item.id, i]));
  const order = (id: string) => index.get(id) ?? 0;
  return Object.entries(answers.answers)
    .sort(([a], [b]) => order(a) - order(b))
    .filter(([, a]) => {
      const t = own(a.tiers, tier);
      if (!t) return false;
      const r = tierResponsibility(t).responsibility;
      return r === 'customer' || r === 'shared';
    })
    .map(([id]) => id);
}

/** Whether parsed YAML data looks like a customer file rather than a provider file. */
export function looksLikeCustomerFile(text: string): boolean {
  return /^customer\s*:/m.test(text) && !/^framework\s*:/m.test(text);
}
