import { DatabaseTooNewError } from '../app/journal/database.ts';

/**
 * What to tell the user when the app cannot start, in plain words, with the folder they can look in. Both hosts
 * show it (the desktop app in a dialog, the web host in its terminal); the details go to the log.
 */
export function startupFailureMessage(error: unknown, folders: { dataDir: string; logDir: string }): string {
  if (error instanceof DatabaseTooNewError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return (
      `Vitally Importer cannot write to its data folder (${folders.dataDir}). Check that the folder exists and ` +
      'that you may write to it, or free it from whatever holds it, then start the app again.'
    );
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return (
      `Vitally Importer cannot use its data folder (${folders.dataDir}): part of that path is a file, not a folder. ` +
      'Move or rename that file, or point the app at another folder, then start the app again.'
    );
  }
  if (code === 'ENOSPC') {
    return `The disk that holds Vitally Importer's data folder (${folders.dataDir}) is full. Free some space, then start the app again.`;
  }
  return (
    'Vitally Importer could not start because of an error in the app. Nothing in your data was changed. ' +
    `The details are in the log in ${folders.logDir}; start the app again, and if it happens again, send that log to support.`
  );
}
