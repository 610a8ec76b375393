# Neighbourhood Ops. `make` alone lists the targets. Everything runs through scripts/ (see the
# comments at the top of each script); ports and paths come from scripts/env.sh.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Extra arguments for pytest: make test ARGS="-k postings -x"
ARGS ?=
# Extra arguments for bench/run.py: make bench BENCH_ARGS="--fresh"
BENCH_ARGS ?=

.PHONY: help run dev test lint services stop status assets install bench backup restore clean-local

help: ## List the targets
	@echo "Neighbourhood Ops: make <target>"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-12s %s\n", $$1, $$2}'

run: ## Provision, migrate, load data, seed demo users, serve on http://127.0.0.1:8000 (Ctrl-C stops)
	bash scripts/run.sh

dev: ## As run, with the development settings (DEBUG on, Django's error pages)
	RUN_MODE=dev bash scripts/run.sh

test: ## Provision, then ruff, makemigrations --check and pytest (ARGS="..." go to pytest)
	bash scripts/test.sh $(ARGS)

lint: ## ruff check .
	@bash -c '. scripts/env.sh && ensure_venv && exec ruff check .'

services: ## Start the project's PostgreSQL (127.0.0.1:5544) and Redis (127.0.0.1:6390)
	bash scripts/services.sh start

stop: ## Stop the project's PostgreSQL and Redis
	bash scripts/services.sh stop

status: ## Are PostgreSQL and Redis up?
	bash scripts/services.sh status

assets: ## npm ci and copy GOV.UK Frontend, MoJ Frontend and Chart.js into static/vendor/
	bash scripts/assets.sh

install: ## Create .venv and (re)install the project with its dev extras
	bash -c '. scripts/env.sh && ensure_venv --force'

bench: ## London-scale data, every key page under load beside a bare view, reports vs SQL (BENCH_ARGS="...")
	bash scripts/services.sh start && bash scripts/assets.sh && \
		bash -c '. scripts/env.sh && ensure_venv && exec python bench/run.py $(BENCH_ARGS)'

backup: ## Encrypted pg_dump of the database into BACKUP_DIR (.local/backups); see README "Backups"
	bash scripts/backup.sh

restore: ## Restore FILE=… (a make backup file) into the database, replacing it; see README "Backups"
	@[ -n "$(FILE)" ] || { echo "usage: make restore FILE=path/to/backup.dump.age" >&2; exit 2; }
	bash scripts/restore.sh "$(FILE)"

clean-local: ## Stop the services and delete .local/ (database cluster, Redis files, stamps)
	bash scripts/services.sh purge
	rm -rf .local
