import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { StaffSessionService } from '../staff/staff-session.service';

/** Every /admin/events/:slug route needs an organiser session that may see the event. */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly staff: StaffSessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.staff.require(request, 'organiser', (request.params as Record<string, string>).slug);
    return true;
  }
}
