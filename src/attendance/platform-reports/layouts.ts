/** Header names as compared (see headerKey), per column, in the layouts the platforms export. */
export const ZOOM = {
  name: ['name (original name)', 'user name (original name)'],
  email: ['user email', 'email'],
  join: ['join time'],
  leave: ['leave time'],
  duration: ['duration (minutes)', 'time in session (minutes)'],
  attended: ['attended'],
} as const;

/** Teams "3. In-Meeting Activities": one row per join. */
export const TEAMS_ACTIVITIES = {
  name: ['name'],
  email: ['email'],
  join: ['join time'],
  leave: ['leave time'],
  duration: ['duration'],
} as const;

/** Teams "2. Participants": one row per person. */
export const TEAMS_PARTICIPANTS = {
  name: ['name'],
  email: ['email', 'participant id (upn)'],
  join: ['first join'],
  leave: ['last leave'],
  duration: ['in-meeting duration'],
} as const;

/** The older Teams attendance list: one row per join or leave event. */
export const TEAMS_LEGACY = {
  name: ['full name'],
  action: ['user action'],
  timestamp: ['timestamp'],
} as const;

export type Columns = Record<string, readonly string[]>;

export const EXPECTED_HEADERS =
  'a Zoom participants table ("Name (Original Name), User Email, Join Time, Leave Time, Duration (Minutes)"), ' +
  'a Teams attendance report ("2. Participants" / "3. In-Meeting Activities" with "Name, Join Time, Leave Time") ' +
  'or an older Teams attendance list ("Full Name, User Action, Timestamp")';
