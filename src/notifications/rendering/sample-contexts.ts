import type { Language } from '../../common/validation/decorators';
import type { EmailKind } from '../email-request';
import type { EmailContext } from './email-context';

/**
 * Made-up but realistic contexts: the sample emails in docs/emails are rendered from these, and
 * the unit specs start from them. Nothing here is read at run time by the service.
 */

const TITLES: Record<Language, string> = {
  en: 'National dialogue on drug policy',
  ru: 'Национальный диалог по вопросам наркополитики',
  kk: 'Есірткі саясаты жөніндегі ұлттық диалог',
};

const PEOPLE: Record<Language, { givenName: string; familyName: string }> = {
  en: { givenName: 'Sarah', familyName: 'Whitfield-Okonkwo' },
  ru: { givenName: 'Дмитрий', familyName: 'Соколов' },
  kk: { givenName: 'Айгерім', familyName: 'Нұрланқызы' },
};

const SESSIONS: Record<Language, string[]> = {
  en: ['Opening plenary', 'Harm reduction services: what works'],
  ru: ['Открытие и пленарное заседание', 'Снижение вреда: что работает'],
  kk: ['Ашылу және пленарлық отырыс', 'Зиянды азайту қызметтері: не тиімді'],
};

export const SAMPLE_PUBLIC_URL = 'https://events.example.org';

export function sampleContext(
  language: Language,
  kind: EmailKind = 'registration_confirmed',
  overrides: Partial<EmailContext> = {},
): EmailContext {
  const person = PEOPLE[language];
  const [opening, workshop] = SESSIONS[language];
  return {
    emailId: '6f1c9a4e-2b7d-4c1a-9e53-0d8f6b2a7c11',
    kind,
    language,
    to: 'participant@example.kz',
    facts: {},
    publicUrl: SAMPLE_PUBLIC_URL,
    event: {
      slug: 'drug-policy-dialogue-2023',
      title: TITLES[language],
      timezone: 'Asia/Almaty',
      startsAt: new Date('2023-06-07T09:00:00+06:00'),
      endsAt: new Date('2023-06-07T17:00:00+06:00'),
      format: 'hybrid',
      status: 'published',
      venueName: 'Congress Centre, Hall A',
      venueAddress: '1 Dostyk Street, Astana',
    },
    registration: {
      id: '0b6c2f8e-5a41-4d3b-8f2e-7c9d1a3e5b60',
      reference: 'K7M2QX9D',
      status: 'confirmed',
      attendanceMode: 'in_person',
      givenName: person.givenName,
      familyName: person.familyName,
      manageToken: 'mT4u9Qv2Lx7Rk1Zp3Wn8Ya',
      joinToken: 'jH6s2Df8Gk4Lq9Xc1Vb5Nm',
      checkinCode: 'cQ3w7Er1Ty5Ui9Op2As6Dz',
      sessions: [
        {
          title: opening,
          startsAt: new Date('2023-06-07T09:00:00+06:00'),
          endsAt: new Date('2023-06-07T10:30:00+06:00'),
          room: 'Hall A',
        },
        {
          title: workshop,
          startsAt: new Date('2023-06-07T11:00:00+06:00'),
          endsAt: new Date('2023-06-07T12:30:00+06:00'),
          room: null,
        },
      ],
    },
    icsSequence: 0,
    ...overrides,
  };
}

export function sampleDelegationContext(language: Language): EmailContext {
  const person = PEOPLE[language];
  return sampleContext(language, 'delegation_summary', {
    registration: undefined,
    facts: { reason: 'created' },
    delegation: {
      id: '3e2d1c0b-9a87-4654-b321-0fedcba98765',
      name: 'Ministry of Health of the Republic of Kazakhstan',
      headGivenName: person.givenName,
      headFamilyName: person.familyName,
      manageToken: 'dL2k8Jh4Gf6Ds0Aq9Wx3Ez',
      members: [
        {
          givenName: person.givenName,
          familyName: person.familyName,
          attendanceMode: 'in_person',
          status: 'confirmed',
          reference: 'K7M2QX9D',
        },
        {
          givenName: 'Ерлан',
          familyName: 'Сәрсенбаев',
          attendanceMode: 'online',
          status: 'confirmed',
          reference: 'P3R8TW4F',
        },
        {
          givenName: 'Maria',
          familyName: 'Lopez García',
          attendanceMode: 'in_person',
          status: 'waitlisted',
          reference: 'H9C6VN2B',
        },
      ],
    },
  });
}
