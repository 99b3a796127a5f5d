import type { CreateRegistrationDto } from './dto/create-registration.dto';
import type { Registration } from './registration.entity';

/** The fields of a new registration that come from the person, not from the process. */
export type PersonDetails = Pick<
  Registration,
  | 'email'
  | 'givenName'
  | 'familyName'
  | 'organisation'
  | 'position'
  | 'country'
  | 'stakeholderType'
  | 'attendanceMode'
  | 'language'
  | 'consentDataProcessing'
  | 'consentListOfParticipants'
  | 'consentPhotography'
  | 'delegationId'
  | 'isDelegationHead'
>;

export function detailsFrom(dto: CreateRegistrationDto): PersonDetails {
  return {
    email: dto.email,
    givenName: dto.givenName,
    familyName: dto.familyName,
    organisation: dto.organisation,
    position: dto.position ?? null,
    country: dto.country,
    stakeholderType: dto.stakeholderType,
    attendanceMode: dto.attendanceMode,
    language: dto.language,
    consentDataProcessing: dto.consent.dataProcessing,
    consentListOfParticipants: dto.consent.listOfParticipants,
    consentPhotography: dto.consent.photography ?? false,
    delegationId: null,
    isDelegationHead: false,
  };
}
