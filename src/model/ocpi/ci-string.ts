/** OCPI ids are CiStrings (case-insensitive): one canonical key per id, for storage and comparison. */
export const idKey = (id: string) => id.toUpperCase();
