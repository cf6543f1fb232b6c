import type { Responsibility } from '../answers/schema';
import type { ModelEvidence } from '../model/types';
import { formatDate } from '../render/helpers';
import { RESPONSIBILITY_COLOURS } from '../render/marks';

/** Words and colours of the data exports (CSV, XLSX, OSCAL): the PDF's own (src/render/marks.ts). */

export { ASSURANCE_LABELS, RESPONSIBILITY_LABELS } from '../render/helpers';

/** The matrix fills as spreadsheets write them (`RRGGBB`): the PDF's colours. */
export const RESPONSIBILITY_FILL = Object.fromEntries(
  Object.entries(RESPONSIBILITY_COLOURS).map(([r, c]) => [r, c.fill.slice(1).toUpperCase()]),
) as Record<Responsibility, string>;

/** "ISO/IEC 27001:2022 certification (IS 704512, expires 14 March 2028)". */
export function evidenceLine(e: ModelEvidence): string {
  const extra = [e.reference, e.expires ? `expires ${formatDate(e.expires)}` : undefined].filter(
    Boolean,
  );
  return extra.length ? `${e.name} (${extra.join(', ')})` : e.name;
}
