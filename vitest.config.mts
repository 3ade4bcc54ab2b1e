import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more workers only add contention for the tests that load the open data.
    maxWorkers: 2,
  },
});
