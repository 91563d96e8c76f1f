/** The connector stub lives in scripts/ so that the benchmark drives the same one as the tests. */
export * from '../../scripts/connector-stub.js';
