import { checkA11y, screenshot, useBrowser } from './helpers/browser';
import { createDelegation, delegationBody, delegationToken } from './helpers/delegations';
import { publishedEvent } from './helpers/registrations';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

async function statusesOf(delegationId: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      'SELECT given_name, status FROM registrations WHERE delegation_id = $1 ORDER BY given_name',
      [delegationId],
    );
    return Object.fromEntries(
      (rows as { given_name: string; status: string }[]).map((r) => [r.given_name, r.status]),
    );
  });
}

describe('pages: the head of delegation’s page', () => {
  const browser = useBrowser();
  let t: TestApp;
  let slug: string;

  beforeAll(async () => {
    t = await startTestApp();
    slug = (await publishedEvent(t.http, { capacity: { inPerson: 2, online: 50 } })).slug;
  });
  afterAll(() => t.close());

  it('lists a delegation of three with statuses, adds a member and cancels one', async () => {
    const created = await createDelegation(t.http, slug, delegationBody());
    expect(created.status).toBe(201);
    const delegationId = created.body.id as string;
    const token = await delegationToken(delegationId);

    // A browser that asks for none of our languages gets the delegation's (Kazakh).
    const page = await browser.newPage({ locale: 'de-DE' });
    await page.goto(`${t.baseUrl}/d/${token}`);
    expect(await page.getAttribute('html', 'lang')).toBe('kk');
    await page.getByRole('link', { name: 'English' }).click();
    const rows = page.locator('ul.members > li');
    await expect(rows.count()).resolves.toBe(3);
    const table = (await page.locator('ul.members').textContent()) ?? '';
    expect(table).toMatch(/Айгерім Нұрланқызы\s*\(head of delegation\)/);
    expect(table).toContain('Ғалым Әбенов');
    expect(table).toContain('Ұлжан Һадиева');
    // Two seats in the room: the head and the first member have them; the online member too.
    await expect(rows.locator('.status').allTextContents()).resolves.toEqual([
      'Confirmed',
      'Confirmed',
      'Confirmed',
    ]);
    await expect(page.locator('main').textContent()).resolves.toContain('3 of at most 10 people');
    await checkA11y(page);
    await screenshot(page, 'delegation');

    // Add a fourth in person: the room is full, so they wait.
    await page.fill('[name=email]', `added.${Date.now()}@example.kz`);
    await page.fill('[name=givenName]', 'Бауыржан');
    await page.fill('[name=familyName]', 'Сейітов');
    await page.check('input[name=attendanceMode][value=in_person]');
    await page.check('[name="consent.dataProcessing"]');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\?done=added$/);
    await expect(page.locator('[role=status]').textContent()).resolves.toContain(
      'The member has been added',
    );
    await expect(rows.count()).resolves.toBe(4);
    expect(await statusesOf(delegationId)).toMatchObject({ Бауыржан: 'waitlisted' });

    // Cancel the first member, after a confirmation step: their seat goes to the newcomer.
    await page.getByRole('link', { name: 'Cancel Ғалым Әбенов' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Cancel Ғалым Әбенов');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Cancel Ғалым Әбенов' }).click();
    await page.waitForURL(/\?done=cancelled$/);
    expect(await statusesOf(delegationId)).toEqual({
      Айгерім: 'confirmed',
      Ғалым: 'cancelled',
      Ұлжан: 'confirmed',
      Бауыржан: 'confirmed',
    });
    const row = rows.filter({ hasText: 'Ғалым Әбенов' });
    await expect(row.locator('.status').textContent()).resolves.toBe('Cancelled');
    await expect(row.getByRole('link').count()).resolves.toBe(0);
    await screenshot(page, 'delegation-after');
    expect(browser.problemsOf(page)).toEqual({ console: [], failedRequests: [] });
  });

  it('shows the errors of a member beside their fields and adds nobody', async () => {
    const created = await createDelegation(t.http, slug, delegationBody({ language: 'ru' }));
    const token = await delegationToken(created.body.id as string);
    const page = await browser.newPage({ locale: 'ru-RU' });
    await page.goto(`${t.baseUrl}/d/${token}`);
    await page.fill('[name=email]', 'nobody@');
    await page.fill('[name=givenName]', 'Олег');
    await page.click('main form button[type=submit]');
    await expect(page.locator('#f-email-error').textContent()).resolves.toBe(
      'Укажите адрес электронной почты, например name@example.org.',
    );
    await expect(page.locator('#f-familyName-error').count()).resolves.toBe(1);
    await expect(page.locator('#f-attendanceMode-error').count()).resolves.toBe(1);
    await expect(page.locator('[id="f-consent-dataProcessing-error"]').count()).resolves.toBe(1);
    await expect(page.locator('[name=givenName]').inputValue()).resolves.toBe('Олег');
    // The answer to the post links its languages to the page, not to the post's address.
    await expect(page.getByRole('link', { name: 'English' }).getAttribute('href')).resolves.toBe(
      `/d/${token}?lang=en`,
    );
    await checkA11y(page);
    await screenshot(page, 'delegation-errors-ru');
    await expect(page.locator('ul.members > li').count()).resolves.toBe(3);
  });

  it('answers an unknown delegation link or member with a 404 page', async () => {
    const created = await createDelegation(t.http, slug, delegationBody());
    const token = await delegationToken(created.body.id as string);
    for (const path of [
      '/d/not-a-token',
      `/d/${token}/members/00000000-0000-4000-8000-000000000000/cancel`,
      `/d/${token}/members/not-a-uuid/cancel`,
    ]) {
      const res = await t.http.get(path, { token: null });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
  });
});
