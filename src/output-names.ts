import path from 'node:path';
import type { Model } from './model/types';
import { bareVersion, withSuffix } from './text/output-name';
import { slug } from './text/slug';

/**
 * Where a command writes when no `-o` is given, relative to the working folder:
 *   output/<provider>-<service>[-<tier>…]-<template>-v<version>.<ext>, or for a customer file
 *   output/<customer>-<provider>-<tier>-<template>-v<version>.<ext>.
 * The template part is left out for the data exports (csv, xlsx, oscal), which no template makes.
 */
export function defaultOutput(
  model: Model,
  options: { template?: string; tiers?: readonly string[]; ext?: string } = {},
): string {
  const { template, tiers = [], ext = 'pdf' } = options;
  const parts = model.customer
    ? [model.customer.name, model.provider.name, model.customer.tier.id]
    : [model.provider.name, model.service.name, ...tiers];
  if (template) parts.push(template);
  return path.join(
    'output',
    `${parts.map((p) => slug(p)).join('-')}-v${slug(bareVersion(model.document.version))}.${ext}`,
  );
}

/** `name` with `-draft` before the extension when `draft`: a draft never replaces the final. */
export function draftName(name: string, draft: boolean | undefined): string {
  return draft ? withSuffix(name, 'draft') : name;
}
