/**
 * The stored column registrations.search_text: every searchable detail folded by convene_fold, the
 * SQL function of migration AccentInsensitiveSearch (unaccent, then lower case, then the Kazakh
 * letters ә ғ қ ң ө ұ ү һ і and ё to а г к н о у у х и е). A search folds its text with the same
 * function, so both sides agree whatever the script or keyboard.
 */
export const SEARCH_TEXT_EXPRESSION = `convene_fold("given_name" || ' ' || "family_name" || ' ' || "email" || ' ' || "organisation" || ' ' || "reference")`;

/** Escapes LIKE's wildcards so a search for «50%» means those characters. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `search_text LIKE` this, as SQL over a parameter holding the raw text (escaped by escapeLike). */
export const containsFolded = (parameter: string): string =>
  `'%' || convene_fold(${parameter}) || '%'`;
