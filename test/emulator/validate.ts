export * from '../../main/emulator/validate.ts';
