# StreamGate — a Kubernetes operator for token-gated video streaming.
# `make help` lists the targets.

# The image the manifests name (config/manager) and the one to deploy instead.
IMAGE_NAME := ghcr.io/streamgate-io/streamgate
IMAGE_TAG ?= dev
IMG ?= $(IMAGE_NAME):$(IMAGE_TAG)
# Go builds use the local toolchain only; no toolchain downloads.
export GOTOOLCHAIN := local

GO ?= go
CONTROLLER_GEN ?= $(GO) tool controller-gen
KUSTOMIZE ?= $(GO) run ./hack/kustomize
KUBECTL ?= kubectl

# Real kube-apiserver + etcd for envtest, built from source by hack/.
K8S_BIN ?= $(CURDIR)/bin/k8s
K8S_VERSION ?= 1.37.2
ETCD_VERSION ?= 3.7.3
export KUBEBUILDER_ASSETS := $(K8S_BIN)

# Tests run with a generous per-package timeout; envtest starts in seconds.
TEST_FLAGS ?= -count=1 -timeout 20m
# The local cluster of `make demo` and the e2e tests also runs these.
DEV_K8S_CMDS := kubectl kube-controller-manager kube-scheduler

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: ## Generate CRDs and RBAC into config/ with controller-gen.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd:allowDangerousTypes=true paths="./..." output:crd:artifacts:config=config/crd/bases

.PHONY: crd-docs
crd-docs: manifests ## Write docs/crd-reference.md from the CRDs.
	$(GO) run ./hack/crd-docs > docs/crd-reference.md

.PHONY: argocd-cm
argocd-cm: ## Write config/argocd/argocd-cm.yaml from the health.lua of each kind.
	hack/argocd-cm.sh

.PHONY: generate
generate: ## Generate DeepCopy methods with controller-gen.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./..."

.PHONY: fmt
fmt: ## go fmt.
	$(GO) fmt ./...

.PHONY: vet
vet: ## go vet.
	$(GO) vet ./...

.PHONY: k8s-binaries
k8s-binaries: ## Build kube-apiserver and etcd for envtest into bin/k8s (cached).
	K8S_VERSION=$(K8S_VERSION) ETCD_VERSION=$(ETCD_VERSION) hack/build-k8s-binaries.sh $(K8S_BIN)

.PHONY: tools
tools: ## Install the Debian packages tests use for real (ffmpeg), if missing.
	hack/ensure-tools.sh

# npm install, not npm ci: npm 11 leaves litesvm's optional per-platform
# packages out of the lock file and then refuses it in ci mode. Versions are
# pinned exactly in package.json, and the lock file is still honoured.
.PHONY: chain-tools
chain-tools: tools ## Install anvil, cast, solc and litesvm from npm into hack/chain/node_modules.
	@if [ ! -d hack/chain/node_modules ] || [ hack/chain/package-lock.json -nt hack/chain/node_modules ]; then \
		npm install --prefix hack/chain --no-audit --no-fund && touch hack/chain/node_modules; fi

.PHONY: contracts
contracts: chain-tools ## Compile StreamGate's contracts (contracts/: artifacts in contracts/build, Go bindings by abigen in internal/chain/passes) and the test contracts (test/contracts) into internal/devchain/contracts.
	node hack/chain/compile.mjs contracts/build contracts/*.sol
	$(GO) run ./hack/abigen -pkg passes -out internal/chain/passes/bindings.go contracts/build/StreamGatePass.json contracts/build/PassSale.json
	node hack/chain/compile.mjs internal/devchain/contracts test/contracts/*.sol

.PHONY: storage-servers
storage-servers: ## Build kubo (IPFS) and versitygw (S3) from source into bin/storage (cached).
	hack/build-storage-servers.sh bin/storage

.PHONY: test
test: tools k8s-binaries chain-tools storage-servers ## Run every test: real kube-apiserver + etcd, ffmpeg, anvil.
	$(GO) test $(TEST_FLAGS) ./...

.PHONY: test-e2e
test-e2e: tools dev-binaries chain-tools storage-servers ## Whole-system tests on the local cluster (the demo, Job retries, scaling, GC).
	$(GO) test -tags e2e $(TEST_FLAGS) -v ./test/e2e

.PHONY: verify
verify: ## Fail when generated code, manifests or go.mod are stale, or code is unformatted.
	hack/verify-generated.sh

##@ Local cluster (no Docker: see internal/devcluster)

# The run's folder: certificates, kubeconfig, logs, pods and volumes.
DEMO_DIR ?= $(CURDIR)/bin/demo

# streamgate and streamgate-dev, for the local cluster.
BUILD_STREAMGATE = $(GO) build -trimpath -o bin/ ./cmd/streamgate ./cmd/streamgate-dev

.PHONY: dev-binaries
dev-binaries: ## Build the whole control plane (once, from source), streamgate and streamgate-dev into bin/.
	K8S_VERSION=$(K8S_VERSION) ETCD_VERSION=$(ETCD_VERSION) EXTRA_CMDS="$(DEV_K8S_CMDS)" hack/build-k8s-binaries.sh $(K8S_BIN)
	$(BUILD_STREAMGATE)

.PHONY: demo
demo: tools chain-tools dev-binaries storage-servers ## Local cluster + anvil + S3 + IPFS + StreamGate + two gated videos (a volume, IPFS into S3); prints the watch URL; Ctrl-C stops it.
	rm -rf $(DEMO_DIR)
	bin/streamgate-dev demo --dir $(DEMO_DIR)

.PHONY: demo-check
demo-check: tools chain-tools dev-binaries storage-servers ## The demo, checked as a viewer would (holder watches, stranger refused); exits 0/1.
	rm -rf $(DEMO_DIR)
	bin/streamgate-dev demo --check --dir $(DEMO_DIR)

.PHONY: node-tools
node-tools: ## Debian packages of a real node and of image builds without Docker (containerd, runc, CNI plugins, iptables, buildah, debootstrap).
	hack/ensure-node-tools.sh

.PHONY: node-binaries
# Not built on dev-binaries: a fresh machine then builds every Kubernetes
# command in one go build.
node-binaries: ## dev-binaries plus kubelet, kube-proxy and CoreDNS, built from source into bin/k8s (cached).
	K8S_VERSION=$(K8S_VERSION) ETCD_VERSION=$(ETCD_VERSION) EXTRA_CMDS="$(DEV_K8S_CMDS) kubelet kube-proxy coredns" hack/build-k8s-binaries.sh $(K8S_BIN)
	$(BUILD_STREAMGATE)

.PHONY: node-images
node-images: node-tools node-binaries image ## The pause and CoreDNS images a real node needs, into bin/images/.
	K8S_VERSION=$(K8S_VERSION) hack/node-images.sh

.PHONY: demo-real
demo-real: tools chain-tools storage-servers node-images ## The demo on a real node (kubelet, kube-proxy, containerd, CoreDNS; root); Ctrl-C stops and cleans the host.
	rm -rf $(DEMO_DIR)
	bin/streamgate-dev demo --node real --dir $(DEMO_DIR)

.PHONY: demo-real-check
demo-real-check: tools chain-tools storage-servers node-images ## demo-real, checked as a viewer would; exits 0/1.
	rm -rf $(DEMO_DIR)
	bin/streamgate-dev demo --node real --check --dir $(DEMO_DIR)

.PHONY: test-e2e-real
test-e2e-real: tools chain-tools storage-servers node-images ## The whole-system suite on a real node, plus what only a real node can show.
	$(GO) test -tags e2e,e2e_real $(TEST_FLAGS) -timeout 30m -v ./test/e2e

.PHONY: dev-cluster
dev-cluster: dev-binaries ## Only the local cluster (for trying manifests); Ctrl-C stops it.
	rm -rf $(DEMO_DIR)
	bin/streamgate-dev up --dir $(DEMO_DIR)

##@ Build

.PHONY: build
build: ## Build the streamgate binary into bin/.
	$(GO) build -trimpath -o bin/streamgate ./cmd/streamgate

.PHONY: run
run: manifests generate ## Run the manager against the current kubeconfig.
	$(GO) run ./cmd/streamgate manager --image=$(IMG) --transcoder-image=$(IMAGE_NAME)-transcoder:$(IMAGE_TAG) --metrics-bind-address=:8080 --metrics-secure=false

.PHONY: image
image: ## Build both images from the Dockerfile (Docker/Podman, else buildah) into bin/images/*.tar; prints their sizes.
	IMAGE_NAME=$(IMAGE_NAME) TAG=$(IMAGE_TAG) hack/image.sh

.PHONY: docker-build
docker-build: ## Build both images with a Docker engine: $(IMG) and its -transcoder twin.
	docker build -t $(IMG) .
	docker build --target transcoder -t $(IMAGE_NAME)-transcoder:$(IMAGE_TAG) .

.PHONY: build-installer
build-installer: manifests ## Write dist/install.yaml: CRDs, RBAC and the manager.
	@mkdir -p dist
	$(KUSTOMIZE) build config/default --image $(IMAGE_NAME)=$(IMG) > dist/install.yaml

##@ Deployment

.PHONY: install
install: manifests ## Install the CRDs into the cluster of the current kubeconfig.
	$(KUSTOMIZE) build config/crd | $(KUBECTL) apply --server-side -f -

.PHONY: uninstall
uninstall: ## Remove the CRDs (and with them every StreamGate object!).
	$(KUSTOMIZE) build config/crd | $(KUBECTL) delete --ignore-not-found -f -

.PHONY: deploy
deploy: manifests ## Install CRDs, RBAC and the manager Deployment.
	$(KUSTOMIZE) build config/default --image $(IMAGE_NAME)=$(IMG) | $(KUBECTL) apply --server-side -f -

.PHONY: undeploy
undeploy: ## Remove what deploy installed.
	$(KUSTOMIZE) build config/default | $(KUBECTL) delete --ignore-not-found -f -

##@ Benchmarks (not tests: they print comparisons)

.PHONY: bench-transcode
bench-transcode: tools build ## streamgate transcode vs one ffmpeg per rendition vs a hand-written single ffmpeg.
	$(GO) run ./hack/bench/transcode $(BENCH_FLAGS)

.PHONY: bench-scale
bench-scale: k8s-binaries build ## The manager alone with 1k, 5k and 10k Videos (one namespace, and 100): Videos/s, writes/Video, RSS, idle and restart writes.
	$(GO) run ./hack/bench/scale $(BENCH_FLAGS)

##@ Fuzzing

# An iteration count rather than a duration: duration-bound fuzzing can end
# with a spurious "context deadline exceeded" on a loaded machine.
FUZZTIME ?= 50000x

.PHONY: fuzz
fuzz: ## Run each fuzz target briefly (CI does; raise FUZZTIME for a longer hunt).
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/chain/siwe
	$(GO) test -run '^$$' -fuzz '^FuzzTokenVerify$$' -fuzztime $(FUZZTIME) ./internal/gate
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeMetadata$$' -fuzztime $(FUZZTIME) ./internal/chain/solana
	$(GO) test -run '^$$' -fuzz '^FuzzSolanaSignIn$$' -fuzztime $(FUZZTIME) ./internal/chain
	$(GO) test -run '^$$' -fuzz '^FuzzVideoPath$$' -fuzztime $(FUZZTIME) ./internal/stream
	$(GO) test -run '^$$' -fuzz '^FuzzSignInBodies$$' -fuzztime $(FUZZTIME) ./internal/stream
	$(GO) test -run '^$$' -fuzz '^FuzzPlaylist$$' -fuzztime $(FUZZTIME) ./internal/stream
	$(GO) test -run '^$$' -fuzz '^FuzzStringHidesUserinfo$$' -fuzztime $(FUZZTIME) ./internal/redact

.PHONY: bench-gate
bench-gate: chain-tools ## Sign-ins/s, token checks/s, ownership checks/s against anvil with and without the cache.
	hack/bench/gate.sh

.PHONY: player-assets
player-assets: chain-tools ## Bundle hls.js from npm into the player page (internal/stream/assets).
	cp hack/chain/node_modules/hls.js/dist/hls.min.js internal/stream/assets/hls.min.js

.PHONY: bench-serve
bench-serve: tools build ## wrk against streamgate serve (gated) and nginx on the same files: requests/s ratio and p99.
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "bench-serve needs wrk and nginx: apt-get install -y wrk nginx-light"; exit 1; }
	$(GO) run ./hack/bench/serve $(BENCH_FLAGS)

.PHONY: bench-storage
bench-storage: tools storage-servers ## The object-store path on one ladder: upload vs a plain parallel upload; serving cold/warm vs a volume; cache hit ratio.
	$(GO) run ./hack/bench/storage $(BENCH_FLAGS)

.PHONY: bench-index
bench-index: chain-tools ## Indexer backfill of 100,000 Transfer logs vs a plain eth_getLogs loop on anvil; query p50/p99.
	$(GO) test -run '^$$' -bench '^BenchmarkIndexer$$' -benchtime 1x -timeout 20m ./internal/indexer

##@ OLM

BUNDLE_VERSION ?= 0.1.0

.PHONY: bundle
bundle: manifests ## Write the OLM bundle (bundle/ and bundle.Dockerfile) from config/default and the samples.
	$(GO) run ./hack/bundle --version $(BUNDLE_VERSION) --image $(IMAGE_NAME):v$(BUNDLE_VERSION) --out bundle
