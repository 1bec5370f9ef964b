# The two set-up commands of the README. Each installs what it needs, then runs.
.PHONY: demo test bench lock mutate

demo:
	@./scripts/bootstrap.sh
	@.venv/bin/station --home "$${STATION_HOME:-$(CURDIR)/.demo-home}" demo

test:
	@./scripts/bootstrap.sh
	@./scripts/test.sh

bench:
	@./scripts/bootstrap.sh
	@for b in bench/*.py; do echo "== $$b"; .venv/bin/python "$$b"; done

# Re-pin dependencies after changing pyproject.toml (needs network).
lock:
	rm -rf .lockenv && python3 -m venv .lockenv
	.lockenv/bin/pip install -q -e '.[dev]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^trace-station' > requirements.lock
	rm -rf .lockenv

# Mutation testing over the promise-carrying modules, then the named bugs put in by hand (not part of `make test`;
# about an hour and a half on 2 cores; `scripts/mutate.py --fresh AREA` after changing its tests).
# `make mutate AREAS="codes pickup"` runs some areas only; the report is artifacts/mutation-report.md.
mutate:
	@./scripts/bootstrap.sh
	@.venv/bin/python scripts/mutate.py $(AREAS); m=$$?; .venv/bin/python scripts/named_bugs.py; n=$$?; exit $$((m || n))
