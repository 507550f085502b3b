/** The tests' Vitally emulator is the app's own (`main/emulator/`, also behind "Try it without Vitally"). */
export * from '../../main/emulator/server.ts';
