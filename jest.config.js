/** @type {import('jest').Config} */
const transform = {
  '^.+\\.(t|j|mj)sx?$': [
    '@swc/jest',
    { jsc: { target: 'es2022' }, module: { type: 'commonjs', ignoreDynamic: true } },
  ],
};
const common = {
  transform,
  testEnvironment: 'node',
  transformIgnorePatterns: [
    '/node_modules/(?!(@inquirer|fast-wrap-ansi|fast-string-width|fast-string-truncated-width|marked)/)',
  ],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'] },
    { ...common, displayName: 'interop', testMatch: ['<rootDir>/test/interop/**/*.interop.ts'] },
  ],
  testTimeout: 60000,
};
