import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import type { Principal } from '../common/auth/roles';
import { hashSecret, randomToken } from '../common/auth/token-secrets';
import type { TokenAuthenticator } from '../common/auth/token-authenticator';
import { NotFoundError, ValidationFailedError } from '../common/errors/domain-error';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/paging';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventsService } from '../events/events.service';
import { ApiToken } from './api-token.entity';
import { CreateTokenDto } from './dto/create-token.dto';

const SECRET_PREFIX = 'cvn_';
/** How long a resolved token is trusted without asking the database again. */
const CACHE_TTL_MS = 10_000;

export interface TokenView {
  id: string;
  name: string;
  role: string;
  eventSlug: string | null;
  secretPrefix: string;
  createdAt: string;
}

@Injectable()
export class TokensService implements TokenAuthenticator {
  private readonly adminHash: Buffer | null;
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly lookingUp = new Map<string, Promise<Principal | null>>();

  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminHash = config.adminToken ? Buffer.from(hashSecret(config.adminToken), 'hex') : null;
  }

  /** Creates a token; the answer is the only time its secret is shown. */
  async create(dto: CreateTokenDto): Promise<TokenView & { secret: string }> {
    if (dto.role === 'admin' && dto.eventSlug) {
      throw ValidationFailedError.field('eventSlug', 'must be absent for an admin token');
    }
    const event = dto.eventSlug ? await this.events.findBySlug(dto.eventSlug) : null;
    const secret = SECRET_PREFIX + randomToken(32);
    const token = await this.tokens.save(
      this.tokens.create({
        name: dto.name,
        role: dto.role,
        eventId: event?.id ?? null,
        secretHash: hashSecret(secret),
        secretPrefix: secret.slice(0, 10),
      }),
    );
    return { ...present(token, event?.slug ?? null), secret };
  }

  async list(query: PageQueryDto): Promise<Page<TokenView>> {
    const qb = this.tokens
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.event', 'e')
      .where('t.revokedAt IS NULL')
      .orderBy('t.createdAt', 'ASC')
      .addOrderBy('t.id', 'ASC');
    if (query.cursor) {
      // created_at has microseconds, a JS Date only milliseconds: compare with the row itself,
      // not with a rounded copy of its time (which would show that row again on the next page).
      const [id] = decodeCursor(query.cursor, ['uuid']);
      qb.andWhere(
        '(t.createdAt, t.id) > (SELECT c.created_at, c.id FROM api_tokens c WHERE c.id = :id)',
        { id },
      );
    }
    const rows = await qb.limit(query.limit + 1).getMany();
    return toPage(
      rows,
      query.limit,
      (t) => [t.id],
      (t) => present(t, t.event?.slug ?? null),
    );
  }

  async revoke(id: string): Promise<void> {
    const result = await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new NotFoundError(`The token ${id}`, 'TOKEN_NOT_FOUND');
    // Other instances notice within CACHE_TTL_MS; this one at once.
    for (const [hash, entry] of this.cache) {
      if (entry.principal.tokenId === id) this.cache.delete(hash);
    }
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashSecret(secret);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { tokenId: null, name: 'ADMIN_TOKEN', role: 'admin', eventSlug: null };
    }
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    // One look-up per token at a time: when the cache entry of a busy desk's token runs out,
    // the requests that arrive meanwhile wait for that look-up instead of each running its own.
    let lookUp = this.lookingUp.get(hash);
    if (!lookUp) {
      lookUp = this.lookUp(hash).finally(() => this.lookingUp.delete(hash));
      this.lookingUp.set(hash, lookUp);
    }
    return lookUp;
  }

  private async lookUp(hash: string): Promise<Principal | null> {
    const token = await this.tokens.findOne({
      where: { secretHash: hash, revokedAt: IsNull() },
      relations: { event: true },
    });
    if (!token) {
      this.cache.delete(hash);
      return null;
    }
    const principal: Principal = {
      tokenId: token.id,
      name: token.name,
      role: token.role,
      eventSlug: token.event?.slug ?? null,
    };
    this.cache.set(hash, { principal, expiresAt: Date.now() + CACHE_TTL_MS });
    return principal;
  }
}

function present(token: ApiToken, eventSlug: string | null): TokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    eventSlug,
    secretPrefix: token.secretPrefix,
    createdAt: token.createdAt.toISOString(),
  };
}
