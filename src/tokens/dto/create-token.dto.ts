import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '../../common/auth/roles';

export class CreateTokenDto {
  @ApiProperty({ example: 'Entrance desk 1' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Limit the token to one event (not for admin tokens).' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  eventSlug?: string;
}
