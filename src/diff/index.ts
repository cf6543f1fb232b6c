export { diffModels, type DiffOptions } from './diff';
export { formatDiffText, formatDiffMarkdown, formatDiffJson, summaryLine } from './format';
export { renderChangesMarkdown } from './changes';
export { changesSinceMarkdown } from './appendix';
export { loadVersion, parseVersionRef, readAtRevision, type LoadedVersion } from './load';
export { normaliseText, diffText, hunks } from './words';
export type * from './types';
