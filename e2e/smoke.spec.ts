import { expect, test } from './fixtures.ts';

test('the studio loads without console errors and runs on the built-in simulator', async ({
  page,
  request,
}) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/');
  await expect(page).toHaveTitle(/Motion Studio/);
  await expect(page.getByRole('heading', { name: 'Motion Studio' })).toBeVisible();

  const health = await (await request.get('/api/health')).json();
  expect(health.ok).toBe(true);
  expect(health.upstream.kind).toBe('simulator');
  expect(errors).toEqual([]);
});
