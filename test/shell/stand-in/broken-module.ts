// What a package whose native binding was built for another system (or left out) throws when it is loaded.
throw new Error('Cannot find native binding. npm has a bug related to optional dependencies.');
export {};
