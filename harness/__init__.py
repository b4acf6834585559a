"""Real servers, browsers and page drivers shared by the test suite and the benchmarks."""
