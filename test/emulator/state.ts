export * from '../../main/emulator/state.ts';
