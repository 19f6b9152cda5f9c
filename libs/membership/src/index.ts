export { MembershipModule } from './membership.module';
export { MemberRepository } from './member.repository';
export { MemberImportService } from './member-import.service';
export { ContractService } from './contract.service';
export { MemberIdentityService } from './member-identity.service';
export { IdentityMaskService } from './identity-mask.service';
export { ContractSweepService } from './contract-sweep.service';
export { ContractSweepJob } from './jobs/contract-sweep.job';
export { MemberImportError } from './membership.exception';
export { Member, MEMBER_STATUSES } from './entities/member.entity';
export { MemberEmail } from './entities/member-email.entity';
export { ContractEvent } from './entities/contract-event.entity';
export { memberDisplayName } from './utils/display-name.util';
export { contractEndFor, isCalendarDate } from './utils/calendar-date.util';
export { cancellationEffectiveOn, earliestCancellationOn } from './utils/contract-rules.util';
export { contractStateOn } from './utils/contract-state.util';
export { addressLiterals, identityMasker, IDENTITY_MASK_TOKENS, maskFileName, memberIdentityOf } from './utils/identity-mask.util';
// Pure identity-finding pieces shared with the FAQ anonymiser (@kkd/knowledge-base).
export { foldWidth } from './utils/text-fold.util';
export { LiteralMatcher, asciiLower } from './utils/literal-matcher.util';
export { applyHits, patternHits, MASK_TOKEN } from './utils/text-mask.util';
export { companyHits, companyMatcher } from './utils/company-name.util';
export { signatureBlocks, signatureNames, stripSignature } from './utils/signature-block.util';
export { memberDomains } from './utils/member-domains.util';
export {
  ADDRESS, companyCore, EMAIL, HONORIFIC, HOST, hostOfUrl, IPV4, IPV6, ipv4ToInt, isIpv6, isMemberDomainHost, isPhoneDigits, isPlausibleName, isPrivateIpv4, LABELLED_NAME, LEGAL_FORM,
  NAME_KANJI, NAME_KATA, NAME_LATIN, normaliseIndicator, OTHER_COMPANY, PHONE, POSTAL, SELF_INTRO, SIGN_OFF, SIGNATURE_NAME_LINE, URL,
} from './utils/identity-patterns.util';

export type { CsvEncoding, ImportResult } from './member-import.service';
export type { MemberDetailsInput } from './contract.service';
export type { IdentityChannel } from './member-identity.service';
export type { ContractSweepResult } from './contract-sweep.service';
export type { MemberStatus } from './entities/member.entity';
export type { ContractState } from './utils/contract-state.util';
export type { ContractEventKind } from './entities/contract-event.entity';
export type { CsvProblem } from './utils/parse-members-csv.util';
export type { MemberIdentity, IdentityMaskKind, IdentityMaskListener } from './utils/identity-mask.util';
export type { MaskHit } from './utils/text-mask.util';
export type { LineRange } from './utils/signature-block.util';
