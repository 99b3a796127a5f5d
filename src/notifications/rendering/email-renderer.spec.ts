import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NotificationsModule } from '../notifications.module';
import { EmailRenderer } from './email-renderer';
import { sampleContext } from './sample-contexts';

@Module({ providers: [EmailRenderer], exports: [EmailRenderer] })
class RendererOnlyModule {}

describe('EmailRenderer', () => {
  it('is injectable and renders an email', async () => {
    const app = await NestFactory.createApplicationContext(RendererOnlyModule, { logger: false });
    try {
      const email = await app.get(EmailRenderer).render(sampleContext('ru'));
      expect(email.subject).toBe(
        'Регистрация подтверждена: «Национальный диалог по вопросам наркополитики» (K7M2QX9D)',
      );
      expect(email.text).toContain('Здравствуйте, Дмитрий Соколов!');
    } finally {
      await app.close();
    }
  });

  it('is provided and exported by the notifications module', () => {
    expect(Reflect.getMetadata('providers', NotificationsModule)).toContain(EmailRenderer);
    expect(Reflect.getMetadata('exports', NotificationsModule)).toContain(EmailRenderer);
  });
});
