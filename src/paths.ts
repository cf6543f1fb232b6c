import path from 'node:path';

/** The package's root folder; the same from src/ (tests) and dist/ (the built CLI). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');
export const CATALOGUE_DIR = path.join(PACKAGE_ROOT, 'src', 'catalogue', 'data');
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
export const SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schema');
