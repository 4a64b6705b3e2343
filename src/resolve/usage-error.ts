/** A problem with what the user asked for (a missing path, an unreadable lockfile): exit code 2, no stack. */
export class UsageError extends Error {}
