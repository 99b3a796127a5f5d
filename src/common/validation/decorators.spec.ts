import { validateSync } from 'class-validator';
import { IsIanaTimezone, isIanaTimezone } from './decorators';

describe('isIanaTimezone', () => {
  it.each(['Asia/Almaty', 'UTC', 'Europe/Brussels', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'accepts the IANA name %s',
    (name) => {
      expect(isIanaTimezone(name)).toBe(true);
    },
  );

  it.each([
    ['an invented zone', 'Mars/Olympus'],
    ['an offset', '+06:00'],
    ['an offset with a prefix', 'GMT+06:00'],
    ['an empty string', ''],
    ['a path-like name', '../etc/passwd'],
    ['a name with spaces', 'Asia/ Almaty'],
  ])('refuses %s (%j)', (_, value) => {
    expect(isIanaTimezone(value)).toBe(false);
  });

  it.each([null, undefined, 6, {}, ['Asia/Almaty']])('refuses the non-string %j', (value) => {
    expect(isIanaTimezone(value)).toBe(false);
  });
});

describe('@IsIanaTimezone', () => {
  class Holder {
    @IsIanaTimezone()
    timezone: unknown;
  }
  const errorsFor = (timezone: unknown) => validateSync(Object.assign(new Holder(), { timezone }));

  it('passes a real zone', () => {
    expect(errorsFor('Asia/Almaty')).toEqual([]);
  });

  it('fails an invented zone with a message that says what is expected', () => {
    const [error] = errorsFor('Mars/Olympus');
    expect(error.property).toBe('timezone');
    expect(Object.values(error.constraints ?? {})).toEqual([
      'must be an IANA time zone name such as Asia/Almaty',
    ]);
  });
});
