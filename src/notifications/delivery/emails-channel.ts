/** The channel enqueue notifies on commit, so an idle worker wakes at once. */
export const EMAILS_CHANNEL = 'convene_emails';
