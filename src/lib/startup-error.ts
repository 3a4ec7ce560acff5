/** A reason the service cannot start that the operator can fix (port taken, database unusable): one line, no stack. */
export class StartupError extends Error {}

/** The SQLite/OS error codes an operator meets at start, said in words. */
export function databaseProblem(path: string, error: unknown): StartupError {
  const code = (error as { code?: string }).code ?? '';
  const reason =
    code === 'SQLITE_NOTADB'
      ? 'the file is not a SQLite database'
      : code === 'SQLITE_READONLY' || code === 'EROFS'
        ? 'it is read-only'
        : ['SQLITE_CANTOPEN', 'EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'ENOENT'].includes(code)
          ? 'it cannot be created or opened (does its directory exist and allow writing?)'
          : (error as Error).message;
  return new StartupError(`Cannot use the database at ${path}: ${reason} [${code || 'error'}]`);
}
