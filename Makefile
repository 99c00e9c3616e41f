# The two commands of the README, and a few more. The real build is CMake
# (CMakeLists.txt); this file only strings the steps together.
#   make run    install what is missing, build, initialise ./data, serve
#   make check  install what tests need, build with sanitizers, run every suite
#   make bench  benchmarks (prints ratios against baselines run alongside)
#   make lint   clang-format and cppcheck

DATA ?= ./data
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
BACKENDS ?= sqlite;pg

.PHONY: all build web run check bench lint format clean

all: build

build:
	@scripts/deps.sh build
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j $(JOBS)
	@$(MAKE) --no-print-directory web

web:
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

run: build
	@if [ ! -f "$(DATA)/yiye.db" ]; then build/yiye init --demo --data "$(DATA)"; fi
	@echo "Yiye: http://$(LISTEN)/"
	build/yiye serve --data "$(DATA)" --listen "$(LISTEN)"

# The release build is part of the check: optimisation enables warnings
# (-Werror) that the Debug build of the tests does not see.
check: build lint
	@scripts/deps.sh test
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DYIYE_SANITIZE=ON \
	      "-DYIYE_TEST_BACKENDS=$(BACKENDS)" >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

bench: build
	@scripts/deps.sh bench
	bench/run.sh build

lint:
	@scripts/deps.sh lint
	clang-format --dry-run -Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	         --suppress=missingIncludeSystem --include=cmake/cppcheck-macros.h -I src src

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')

clean:
	rm -rf build build-asan web/dist
