# Two-command setup: `make demo` and `make test` each install the Debian packages that are
# missing, configure a Release build, build with every core, then run the demo / all tests.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DEB_PACKAGES := cmake make g++ libtorch-dev libgtest-dev libbenchmark-dev \
                libcli11-dev nlohmann-json3-dev libopenblas0-openmp ccache gnuplot-nox \
                chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build demo test test-unit test-statistical bench format clean

all: build

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	  cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release; \
	fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target ebmc_cli ebmc_tests

demo: build
	$(BUILD_DIR)/ebmc sample --target gaussian:d=2 --sampler rwm:step_size=1.7 --chains 4 \
	  --warmup 500 --draws 2000 --seed 1 --out demo-out --no-progress
	@echo
	@echo "The same diagnostics, recomputed from demo-out/draws.csv by 'ebmc diagnose':"
	$(BUILD_DIR)/ebmc diagnose demo-out/draws.csv

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

test-statistical: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L statistical

bench: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target ebmc_bench
	$(BUILD_DIR)/ebmc_bench

format:
	find include src apps tests bench examples -name '*.h' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) demo-out
