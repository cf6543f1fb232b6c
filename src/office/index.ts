import path from 'node:path';
import { CheckError, UsageError } from '../errors';
import { readCsv } from './csv-read';
import { readDocx } from './docx-read';
import type { QuestionnaireFile } from './table';
import { readXlsx } from './xlsx-read';
import { containerOf, isEncryptedOffice, readZip } from './zip';

export type { CellEdit, QuestionnaireFile, Table, TableCell } from './table';
export { cellText } from './table';

const UNSUPPORTED: Record<string, string> = {
  '.xls': 'an Excel 97-2003 workbook (.xls)',
  '.xlsb': 'an Excel binary workbook (.xlsb)',
  '.xlsm': '', // handled as xlsx below
  '.ods': 'an OpenDocument spreadsheet (.ods)',
  '.odt': 'an OpenDocument text file (.odt)',
  '.numbers': 'a Numbers spreadsheet (.numbers)',
  '.pages': 'a Pages document (.pages)',
  '.doc': 'a Word 97-2003 document (.doc)',
  '.pdf': 'a PDF',
};

/** The extensions `srq fill` reads. */
export const QUESTIONNAIRE_EXTENSIONS = ['.xlsx', '.xlsm', '.docx', '.csv'] as const;

/**
 * Opens a questionnaire by its extension, checking that the bytes agree: a password-protected
 * workbook, a legacy binary file renamed to .xlsx, or a damaged zip is a one-line CheckError
 * naming the file and what to do.
 */
export function openQuestionnaire(buf: Buffer, file: string): QuestionnaireFile {
  const ext = path.extname(file).toLowerCase();
  const kind = ext === '.xlsm' ? '.xlsx' : ext;
  const saveAs =
    kind === '.docx' || ext === '.doc' || ext === '.odt' || ext === '.pages'
      ? 'save it as a Word Document (.docx)'
      : 'save it as an Excel Workbook (.xlsx) or CSV UTF-8';
  if (UNSUPPORTED[ext])
    throw new UsageError(
      `${file}: srq cannot read ${UNSUPPORTED[ext]}; ${saveAs} and run srq fill on that`,
    );
  if (kind !== '.xlsx' && kind !== '.docx' && kind !== '.csv') {
    throw new UsageError(
      `${file}: srq fill reads .xlsx, .docx and .csv questionnaires (got '${ext || 'no extension'}'); save the questionnaire in one of those formats`,
    );
  }
  if (kind === '.csv') return readCsv(buf, file);
  const container = containerOf(buf);
  if (container === 'ole') {
    if (isEncryptedOffice(buf)) {
      throw new CheckError(
        `${file}: the file is protected with a password, so srq cannot read it; open it, remove the password (File > Info > Protect > Encrypt with Password, clear the box), save, and run srq fill again`,
      );
    }
    throw new CheckError(
      `${file}: this is an older binary Office file named ${ext}; open it and ${saveAs}`,
    );
  }
  if (container !== 'zip') {
    throw new CheckError(
      `${file}: not a ${kind.slice(1)} file (the content is not an Office zip package); open it and ${saveAs}`,
    );
  }
  const zip = readZip(buf, file);
  const mimetype = zip.data.get('mimetype');
  if (mimetype && /opendocument/.test(Buffer.from(mimetype).toString('latin1'))) {
    throw new UsageError(
      `${file}: this is an OpenDocument file named ${ext}; ${saveAs} and run srq fill on that`,
    );
  }
  return kind === '.xlsx' ? readXlsx(zip, file) : readDocx(zip, file);
}
