import { DomainError } from '@kkd/core';
import { CsvProblem } from './utils/parse-members-csv.util';

/** The members CSV was refused as a whole; nothing was imported. */
export class MemberImportError extends DomainError {
  constructor(readonly problems: CsvProblem[]) {
    super('members.import_invalid', problems.map((p) => `row ${p.row}, column ${p.column}: ${p.message}`).join('\n'), { problems });
  }
}
