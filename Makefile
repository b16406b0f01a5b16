# The README's two commands: `make demo` (the main job) and `make test` (every test). Both install what is missing.
SHELL := /bin/bash
MVN := mvn -B -ntp

.PHONY: deps build test demo example-countries example-spring-countries clean

deps:
	@scripts/install-deps.sh

build: deps
	$(MVN) -DskipTests package

# Unit, emulator-contract and agent tests (surefire), then the real-lab end-to-end tests (failsafe, needs root).
# A lab left up by a killed test run is taken down first (scripts/reap-abandoned-test-lab.sh says which).
test: deps
	@scripts/reap-abandoned-test-lab.sh
	$(MVN) verify

# Builds everything (the agent/lab jar and the countries example), then runs the demo; `make demo ARGS=--keep`
# leaves the lab running.
demo: deps build
	./pgflip demo $(ARGS)

# The seed's app (examples/countries) on the running lab ('./pgflip lab up' first).
example-countries: build
	eval "$$(./pgflip lab env)" && java -jar examples/countries/target/countries.jar

# The same app as a Spring Boot service on 127.0.0.1:8080 (examples/spring-countries/README.md); Ctrl-C stops it.
example-spring-countries: build
	eval "$$(./pgflip lab env)" && java -jar examples/spring-countries/target/spring-countries.jar

clean:
	$(MVN) -q clean
