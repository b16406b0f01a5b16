# The README's two commands: `make demo` (the main job) and `make test` (every test). Both install what is missing.
SHELL := /bin/bash
MVN := mvn -B -ntp

.PHONY: deps build test demo clean

deps:
	@scripts/install-deps.sh

build: deps
	$(MVN) -DskipTests package

# Unit, emulator-contract and agent tests (surefire), then the real-lab end-to-end tests (failsafe, needs root).
test: deps
	$(MVN) verify

demo: deps
	@scripts/demo.sh

clean:
	$(MVN) -q clean
