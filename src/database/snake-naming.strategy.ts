import { DefaultNamingStrategy, NamingStrategyInterface, Table, View } from 'typeorm';

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const tableNameOf = (table: Table | View | string) =>
  (typeof table === 'string' ? table : table.name).split('.').pop() as string;

/**
 * snake_case tables and columns, and readable constraint names (pk_, fk_, uq_, idx_) instead of
 * TypeORM's hashes, so a failing constraint says what it guards. Most constraints in this code
 * base are named explicitly anyway; this covers the ones TypeORM derives.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(className: string, customName: string | undefined): string {
    return customName ?? snakeCase(className);
  }

  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]) {
    const prefix = prefixes.map(snakeCase).join('_');
    const name = customName ?? snakeCase(propertyName);
    return prefix ? `${prefix}_${name}` : name;
  }

  override relationName(propertyName: string): string {
    return snakeCase(propertyName);
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override joinTableName(first: string, second: string, firstProperty: string): string {
    return snakeCase(`${first}_${firstProperty.replace(/\./g, '_')}_${second}`);
  }

  override joinTableColumnName(tableName: string, propertyName: string, columnName?: string) {
    return snakeCase(`${tableName}_${columnName ?? propertyName}`);
  }

  override primaryKeyName(table: Table | string): string {
    return `pk_${tableNameOf(table)}`;
  }

  override foreignKeyName(table: Table | string, columns: string[]): string {
    return `fk_${tableNameOf(table)}_${columns.join('_')}`;
  }

  override uniqueConstraintName(table: Table | string, columns: string[]): string {
    return `uq_${tableNameOf(table)}_${columns.join('_')}`;
  }

  override relationConstraintName(table: Table | string, columns: string[]): string {
    return `rel_${tableNameOf(table)}_${columns.join('_')}`;
  }

  override indexName(table: Table | View | string, columns: string[]): string {
    return `idx_${tableNameOf(table)}_${columns.join('_')}`;
  }
}
