# Two-command setup: `make demo` and `make test` each install the Debian packages that are
# missing, configure a Release build, build with every core, then run the demo / all tests.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DEB_PACKAGES := cmake make g++ libtorch-dev libgtest-dev libbenchmark-dev \
                libgloo-dev libsleef-dev libcli11-dev nlohmann-json3-dev libopenblas0-openmp ccache gnuplot-nox \
                chromium fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The demo's Ising run; the README shows its output (tools/update_readme_demo.sh writes it there,
# ReadmeDemoTest checks it).
DEMO_ISING := sample --target ising:n=10,theta=0.3 --sampler gwg --chains 4 --draws 4000 --seed 1 --no-progress

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
	@echo "== NUTS (the default sampler) on German-credit logistic regression, with its HTML report"
	$(BUILD_DIR)/ebmc sample --target blr:data=german --chains 4 --seed 1 --no-progress \
	  --out demo-out/german --report
	@echo
	@echo "== Gibbs-with-gradients on a 10x10 Ising lattice (Hamming distance and energy per draw)"
	$(BUILD_DIR)/ebmc $(DEMO_ISING) --out demo-out/ising
	@echo
	@echo "Open demo-out/german/report.html in a browser; 'ebmc diagnose demo-out/ising/draws.csv'"
	@echo "recomputes the diagnostics from the saved draws."

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
